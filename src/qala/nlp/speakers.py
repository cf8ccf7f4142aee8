"""Speaker attribution: explicit subjects, pro-drop, titles and descriptions.

«قال الرئيس الروسي فلاديمير بوتين» names the speaker explicitly; «وأكد:» drops it (the
last speaker that agrees in gender and number); «أكد الرئيس الروسي» and «الدبلوماسي
الأمريكي» resolve to the person the document names with that title, or to the person just
quoted. Every name is finally replaced by its most complete form (بوتين → فلاديمير بوتين).
"""

from __future__ import annotations

from dataclasses import dataclass

from qala.nlp.doc import Doc, Quote, Span, Speaker
from qala.nlp.lexicon import lexicon
from qala.nlp.normalize import fold
from qala.nlp.phrases import NounPhrase, PhraseParser, bare, strip_conj, unglue
from qala.nlp.quotes import Candidate

RECENT_STATEMENTS = 4  # how far back a title or description looks for its person


@dataclass(slots=True)
class _Said:
    np: NounPhrase
    name: str
    pos: int
    sent: int


def _agrees(gender: str, number: str, np: NounPhrase) -> bool:
    if number == "pl":
        return np.number == "pl" or np.kind == "body"
    if np.number == "pl":
        # broken plurals and bodies take a feminine singular verb: «وأفادت مصادر»
        return gender == "f" and (np.kind in ("body", "source"))
    if gender == "f":
        return np.gender in ("f", "?")
    return np.gender in ("m", "?")


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


class SpeakerResolver:
    """Resolves the speakers of one document's statements in text order."""

    def __init__(self, doc: Doc, cands: list[Candidate]) -> None:
        self.doc = doc
        self.lex = lexicon()
        self.parser = PhraseParser(doc, self.lex)
        self.cands = cands
        self.registry = self._titled_names()
        self.history: list[_Said] = []
        names = [np.name for _, np in self.registry if np.name]
        names += [c.np.name for c in cands if c.np is not None and c.np.name and c.np.kind == "person"]
        names += [m.text for e in doc.entities if e.type == "PER" for m in e.mentions]
        self.names = [(n, fold(n).split()) for n in names]
        self.mentions = sorted((m.start, m.end, e) for e in doc.entities for m in e.mentions)

    def _ner_person(self, np: NounPhrase) -> bool:
        """NER tagged a person inside the phrase's name (or the document has no NER layer)."""
        if not self.doc.entities:
            return True
        name_start = np.end - len(np.name or "")
        return any(ent.type == "PER" and m.start < np.end and name_start < m.end
                   for ent in self.doc.entities for m in ent.mentions)

    def grounded(self, np: NounPhrase) -> bool:
        """A phrase we trust as a referent: it has a title or body head, or NER tagged its name."""
        if np.title or np.kind in ("body", "source"):
            return True
        return any(s < np.end and np.start < e and ent.type in ("PER", "ORG") for s, e, ent in self.mentions)

    def entity_of(self, name: str, span: tuple[int, int] | None) -> str | None:
        """The id of the entity a speaker is: by its mention, else by its name."""
        if span is not None:
            for s, e, ent in self.mentions:
                if s < span[1] and span[0] < e and ent.type in ("PER", "ORG"):
                    return ent.id
        words = fold(name).split()
        for ent in self.doc.entities:
            if ent.type in ("PER", "ORG") and _contains_run(fold(ent.name).split(), words[-2:] if words else []):
                return ent.id
        return None

    def _titled_names(self) -> list[tuple[int, NounPhrase]]:
        """Every «title + name» phrase of the document: where full names and titles come from."""
        found: list[tuple[int, NounPhrase]] = []
        toks = self.doc.tokens
        i = 0
        while i < len(toks):
            t = toks[i]
            if self.parser.title_word(t) and not self.parser.function_word(t):
                end = min(len(toks), i + 14)
                while end > i and toks[end - 1].sent != t.sent:
                    end -= 1
                np = self.parser.phrase(i, end)
                if np.kind == "person" and np.name and np.title and self._ner_person(np):
                    found.append((np.start, np))
                    i = max(i + 1, np.tok_end)
                    continue
            i += 1
        return found

    def complete(self, name: str) -> str:
        """«بوتين» → «فلاديمير بوتين»: the longest name of the document that contains it."""
        words = fold(name).split()
        best, best_len = name, len(words)
        for cand, cw in self.names:
            if len(cw) > best_len and _contains_run(cw, words):
                best, best_len = cand, len(cw)
        return best

    def _said(self, np: NounPhrase, c: Candidate) -> _Said:
        if np.kind == "person" and np.name:
            name = self.complete(np.name)
        elif np.kind in ("body", "source"):
            name = self.doc.text[np.start:np.end] if np.kind == "source" else (np.name or np.label)
        else:
            name = np.label
        return _Said(np, name, c.cue[0], c.sent)

    # -- strategies ------------------------------------------------------------------------

    def _first_token(self, c: Candidate) -> int:
        return self._sentence_first_token(c.sent)

    def _pro_drop(self, c: Candidate) -> tuple[_Said, str] | None:
        gender = c.form.gender if c.form else "?"
        number = c.form.number if c.form else "sg"
        # a weak verb with no subject is often passive («ووصف بأنه»): only a speaker quoted
        # in the last two sentences can be meant
        if c.form is not None and "bare" in c.form.flags and (
                not self.history or c.sent - self.history[-1].sent > 2):
            return None
        same = [h for h in self.history if h.sent == c.sent and _agrees(gender, number, h.np)]
        if same:
            # «وقالت ماي ... إن ...، لكنها أضافت»: the speaker of this sentence goes on
            return _Said(same[-1].np, same[-1].name, c.cue[0], c.sent), "pronoun"
        first = self._first_token(c)
        if first < c.cue_tok - 1:
            # «الخارجية المصرية ... خرجت في بيان ...، واعتبرت»: a subject earlier in this sentence
            np = self._nearest_subject(first, c.cue_tok, gender, number)
            if np is not None:
                return self._from_phrase(np, c, "pronoun")
        last_sent = self.history[-1].sent if self.history else -1
        for sent in range(c.sent - 1, max(last_sent, c.sent - 3), -1):
            # «عبر عبد الله الدخيل عن ارتياحه ... وقال:» — a person introduced since the last statement
            np = self._subject_of(sent)
            if np is not None and np.kind == "person" and np.name and self.grounded(np) and _agrees(gender, number, np):
                return self._from_phrase(np, c, "pronoun")
        for strict in (True, False):
            for h in reversed(self.history):
                if (h.np.gender == gender or not strict) and _agrees(gender, number, h.np):
                    return _Said(h.np, h.name, c.cue[0], c.sent), "pronoun"
        before = [np for p, np in self.registry if p < c.cue[0] and _agrees(gender, number, np)]
        if before:
            return self._said(before[-1], c), "pronoun"
        return None

    def _sentence_first_token(self, sent: int) -> int:
        toks = self.doc.tokens
        if sent >= len(self.doc.sentences):
            return len(toks)
        start = self.doc.sentences[sent].start
        lo, hi = 0, len(toks)
        while lo < hi:
            mid = (lo + hi) // 2
            if toks[mid].start < start:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _subject_of(self, sent: int) -> NounPhrase | None:
        return self.parser.sentence_subject(self._sentence_first_token(sent), self._sentence_first_token(sent + 1))

    def _nearest_subject(self, first: int, cue: int, gender: str, number: str) -> NounPhrase | None:
        """The sentence's own subject if it agrees, else the closest agreeing title or body phrase."""
        np = self.parser.sentence_subject(first, cue)
        if np is not None and np.kind in ("person", "body") and self.grounded(np) and _agrees(gender, number, np) and (
                gender == "?" or np.gender == gender):
            return np
        toks = self.doc.tokens
        for k in range(cue - 1, first - 1, -1):
            t = toks[k]
            if (self.parser.title_word(t) or self.parser.body_word(t)) and not self.parser.place_word(t) \
                    and t.norm not in self.lex.time_words:
                cand = self.parser.phrase(k, cue)
                if cand.kind in ("person", "body", "title", "source") and _agrees(gender, number, cand) and (
                        gender == "?" or cand.gender == gender):
                    return cand
        if np is not None and np.kind in ("person", "body") and self.grounded(np) and _agrees(gender, number, np):
            return np
        return None

    def _body_referent(self, np: NounPhrase, c: Candidate) -> tuple[_Said, str] | None:
        """«السلطة», «الشركة» → the body the document named in full before."""
        words = fold(self.doc.text[np.start:np.end]).split()
        if not words or len(words) > 2 or not np.definite:
            return None
        head = bare(strip_conj(words[0]))
        for h in reversed(self.history):
            hw = fold(h.name).split()
            if h.np.kind == "body" and len(hw) > len(words) and bare(hw[0]) == head:
                return _Said(h.np, h.name, c.cue[0], c.sent), "title"
        toks = self.doc.tokens
        for k in range(c.cue_tok - 1, -1, -1):
            t = toks[k]
            if bare(strip_conj(t.norm)) == head and not t.norm.startswith(("ال", "وال")):
                cand = self.parser.phrase(k, min(len(toks), k + 8))
                if cand.kind == "body" and len((cand.name or "").split()) > 1:
                    return self._said(cand, c), "title"
        return None

    def _document_source(self, np: NounPhrase, c: Candidate) -> tuple[_Said, str] | None:
        """«وأضاف البيان» is said by whoever issued the statement: the last body or speaker."""
        words = fold(self.doc.text[np.start:np.end]).split()
        if not words or bare(strip_conj(words[0])) not in self.lex.documents:  # «ـ» folds to nothing
            return None
        toks = self.doc.tokens
        k = next((i for i, t in enumerate(toks) if t.start >= np.start), None)
        if k is not None:
            # «بيان البيت الأبيض», «بيان للشرطة», «بيان مقتضب نشره المركز الإعلامي»: the issuer
            for m in range(k + 1, min(len(toks), k + 8)):
                t = toks[m]
                if t.sent != toks[k].sent or t.text in "،,:" or self.parser.is_cue(t):
                    break
                u = unglue(t) if t.norm[:1] in "لب" else t
                if (self.parser.body_word(u) or self.parser.title_word(u)
                        or (self.parser.mention_end(m) or ("", ""))[1] in ("PER", "ORG")):
                    issuer = self.parser.phrase(m, min(len(toks), m + 10), glued=u is not t)
                    return self._said(issuer, c), "description"
        if self.history:
            h = self.history[-1]
            return _Said(h.np, h.name, c.cue[0], c.sent), "description"
        return None

    def _title_referent(self, np: NounPhrase, c: Candidate) -> tuple[_Said, str] | None:
        """«الرئيس الروسي» → whom the document names with that title, or who was just quoted."""
        pos = c.cue[0]
        key = (np.title_key or "").split()
        same = [(p, r) for p, r in self.registry if r.title_key == np.title_key]
        if not same and key:
            # «المتحدث» → «المتحدث باسم المفوضية، أندريه ماهيكيك»
            same = [(p, r) for p, r in self.registry if (r.title_key or "").split()[:len(key)] == key]
        if same:
            before = [x for x in same if x[0] < pos]
            return self._said((before[-1] if before else same[0])[1], c), "title"
        head = key[:1]
        recent = self.history[-RECENT_STATEMENTS:]
        for h in reversed(recent):
            if h.np.title_key and h.np.title_key.split()[:1] == head:
                return _Said(h.np, h.name, pos, c.sent), "title"
        # «رئيسة الوزراء» → «رئيسة الحكومة تيريزا ماي»: the same head title
        same = [(p, r) for p, r in self.registry if (r.title_key or "").split()[:1] == head
                and _agrees(np.gender, np.number, r)]
        if same:
            before = [x for x in same if x[0] < pos]
            return self._said((before[-1] if before else same[0])[1], c), "title"
        for h in reversed(recent):
            if h.np.kind == "person" and h.np.name and c.sent - h.sent <= 3 and _agrees(np.gender, np.number, h.np):
                return _Said(h.np, h.name, pos, c.sent), "description"
        for other in self.cands:
            o = other.np
            if other.cue[0] > pos and o is not None and o.kind == "person" and o.name and other.sent - c.sent <= 2:
                return self._said(o, other), "title"
        for sent in range(c.sent - 1, max(-1, c.sent - 4), -1):
            # «وقدم بييلسا خطاب الاستقالة ... وقال المدرب الأرجنتيني»: the person the text is about
            o = self._subject_of(sent)
            if (o is not None and o.kind == "person" and o.name and not o.title and self.grounded(o)
                    and _agrees(np.gender, np.number, o)):
                return self._said(o, c), "description"
        return None

    def _before_verb(self, c: Candidate) -> NounPhrase | None:
        """A subject before its verb: «وكان الناطق ... جوس أرنست قد قال», «النجيمي غرد قائلا»."""
        toks = self.doc.tokens
        i = c.cue_tok
        first = self._first_token(c)
        k = first
        if k < i and strip_conj(toks[k].norm) in {"كان", "كانت", "وكان"}:
            k += 1
        if k >= i:
            return None
        np = self.parser.sentence_subject(k, i) if k == first else self.parser.phrase(k, i)
        if np is None:
            return None
        rest = [t for t in toks[np.tok_end:i] if t.text not in "،,"]
        if len(rest) > 1 or (rest and rest[0].norm != "قد"):
            return None
        return np

    def resolve(self, c: Candidate) -> tuple[_Said, str] | None:
        if c.shape == "participle":
            same = [h for h in self.history if h.sent == c.sent]
            if same:
                return _Said(same[-1].np, same[-1].name, c.cue[0], c.sent), "pronoun"
            first = self._first_token(c)
            np = self.parser.sentence_subject(first, c.cue_tok)
            if np is None:
                return self._pro_drop(c)
            return self._from_phrase(np, c, "pronoun")
        np = c.np
        if np is None and c.shape == "verb":
            np = self._before_verb(c)
        if np is None:
            return self._pro_drop(c)
        return self._from_phrase(np, c, "headline" if c.shape == "headline" else "explicit")

    def _from_phrase(self, np: NounPhrase, c: Candidate, resolution: str) -> tuple[_Said, str] | None:
        doc_src = self._document_source(np, c)
        if doc_src is not None:
            return doc_src
        if np.kind == "title":
            ref = self._title_referent(np, c)
            if ref is not None:
                return ref
        if np.kind == "body":
            ref = self._body_referent(np, c)
            if ref is not None:
                return ref
        return self._said(np, c), resolution

    def speaker(self, c: Candidate) -> Speaker | None:
        got = self.resolve(c)
        if got is None:
            return None
        said, resolution = got
        self.history.append(said)
        mention = None
        if resolution != "pronoun" and c.np is not None:
            mention = self.doc.span(c.np.start, c.np.end)
        span = (said.np.start, said.np.end)
        return Speaker(name=said.name, resolution=resolution, mention=mention, title=said.np.title,
                       entity=self.entity_of(said.name, span))


def attribute(doc: Doc, cands: list[Candidate]) -> list[Quote]:
    """Statements of ``doc`` with their speakers, e.g. «وأكد: “...”» → the last speaker named."""
    resolver = SpeakerResolver(doc, cands)
    quotes: list[Quote] = []
    for c in cands:
        spk = resolver.speaker(c)
        quotes.append(Quote(type=c.type, cue=doc.span(*c.cue), content=doc.span(*c.content), speaker=spk,
                            confidence=c.confidence if spk else c.confidence * 0.5))
    return quotes


def unattributed(doc: Doc, cands: list[Candidate]) -> list[Quote]:
    """The statements with no speaker: what ``attribute`` gives when it finds nobody."""
    return [Quote(type=c.type, cue=doc.span(*c.cue), content=doc.span(*c.content), speaker=None,
                  confidence=c.confidence * 0.5) for c in cands]


__all__ = ["SpeakerResolver", "Span", "attribute", "unattributed"]
