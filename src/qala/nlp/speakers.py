"""Speaker attribution: explicit subjects, pro-drop, titles and descriptions.

«قال الرئيس الروسي فلاديمير بوتين» names the speaker explicitly; «وأكد:» drops it (the
last speaker that agrees in gender and number); «أكد الرئيس الروسي» and «الدبلوماسي
الأمريكي» resolve to the person the document names with that title, or to the person just
quoted. Every name is finally replaced by its most complete form (بوتين → فلاديمير بوتين).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from qala.nlp.clitics import bare, strip_conj
from qala.nlp.doc import Doc, Quote, Span, Speaker
from qala.nlp.lexicon import lexicon
from qala.nlp.normalize import fold
from qala.nlp.phrases import NounPhrase, PhraseParser, unglue
from qala.nlp.quotes import Candidate
from qala.nlp.ranker import CandidateFinder, Source, SpeakerRanker, keeps_rule_extent
from qala.nlp.referents import EntityNames, History, Mentions, Names, TitledNames, agree, agreement
from qala.nlp.referents import Said as _Said

RECENT_STATEMENTS = 4  # how far back a title or description looks for its person
# The rules' decision stands unless the ranker is fairly sure: it rejects the rules' answer (no
# candidate is a source) from this probability of "none" up, and names a source where the rules
# found none from this probability of its pick up.
REJECT_RULE_AT = 0.6
NAME_OVER_ABSTAIN_AT = 0.7


def _agrees(gender: str, number: str, np: NounPhrase) -> bool:
    return agree(gender, number, agreement(np))


class SpeakerResolver:
    """Resolves the speakers of one document's statements in text order."""

    def __init__(self, doc: Doc, cands: list[Candidate]) -> None:
        self.doc = doc
        self.lex = lexicon()
        self.parser = PhraseParser(doc, self.lex)
        self.cands = cands
        self.cue_starts = [c.cue[0] for c in cands]
        self.token_starts = [t.start for t in doc.tokens]
        self.mentions = Mentions(doc.entities)
        self.registry = TitledNames(self._titled_names())
        self.history = History()
        names = self.registry.names()
        names += [c.np.name for c in cands if c.np is not None and c.np.name and c.np.kind == "person"]
        names += [m.text for e in doc.entities if e.type == "PER" for m in e.mentions]
        self.names = Names(names)
        self.entity_names = EntityNames(doc.entities)
        self._heads: dict[str, list[int]] | None = None  # bare head word -> token indices
        self._subjects: list[int] | None = None  # see _subject_heads

    def _ner_person(self, np: NounPhrase) -> bool:
        """NER tagged a person inside the phrase's name (or the document has no NER layer)."""
        if not self.doc.entities:
            return True
        name_start = np.end - len(np.name or "")
        return any(ent.type == "PER" for _, _, ent in self.mentions.overlapping(name_start, np.end))

    def grounded(self, np: NounPhrase) -> bool:
        """A phrase we trust as a referent: it has a title or body head, or NER tagged its name."""
        if np.title or np.kind in ("body", "source"):
            return True
        return any(ent.type in ("PER", "ORG") for _, _, ent in self.mentions.overlapping(np.start, np.end))

    def entity_of(self, name: str, span: tuple[int, int] | None) -> str | None:
        """The id of the entity a speaker is: by its mention, else by its name."""
        if span is not None:
            for _, _, ent in self.mentions.overlapping(*span):
                if ent.type in ("PER", "ORG"):
                    return ent.id
        return self.entity_names.first_containing(fold(name).split()[-2:])

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
        return self.names.complete(name)

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
        same = [h for h in self.history.in_sentence(c.sent) if _agrees(gender, number, h.np)]
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
            h = self.history.last(lambda a, strict=strict: (a[0] == gender or not strict) and agree(gender, number, a))
            if h is not None:
                return _Said(h.np, h.name, c.cue[0], c.sent), "pronoun"
        before = self.registry.last_before(c.cue[0], lambda a: agree(gender, number, a))
        if before is not None:
            return self._said(before, c), "pronoun"
        return None

    def _sentence_first_token(self, sent: int) -> int:
        if sent >= len(self.doc.sentences):
            return len(self.doc.tokens)
        return bisect_left(self.token_starts, self.doc.sentences[sent].start)

    def _subject_of(self, sent: int) -> NounPhrase | None:
        return self.parser.sentence_subject(self._sentence_first_token(sent), self._sentence_first_token(sent + 1))

    def _nearest_subject(self, first: int, cue: int, gender: str, number: str) -> NounPhrase | None:
        """The sentence's own subject if it agrees, else the closest agreeing title or body phrase."""
        np = self.parser.sentence_subject(first, cue)
        if np is not None and np.kind in ("person", "body") and self.grounded(np) and _agrees(gender, number, np) and (
                gender == "?" or np.gender == gender):
            return np
        heads = self._subject_heads()
        for h in range(bisect_left(heads, cue) - 1, bisect_left(heads, first) - 1, -1):
            cand = self.parser.phrase(heads[h], cue)
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
        h = self.history.last_body(head, len(words))
        if h is not None:
            return _Said(h.np, h.name, c.cue[0], c.sent), "title"
        toks = self.doc.tokens
        at = self._head_tokens().get(head, [])
        for k in (at[j] for j in range(bisect_left(at, c.cue_tok) - 1, -1, -1)):
            t = toks[k]
            if not t.norm.startswith(("ال", "وال")):
                cand = self.parser.phrase(k, min(len(toks), k + 8))
                if cand.kind == "body" and len((cand.name or "").split()) > 1:
                    return self._said(cand, c), "title"
        return None

    def _subject_heads(self) -> list[int]:
        """Indices of the tokens a described subject may start with: a title or body word that
        names no place or time («الوزير», «الخارجية»), built once."""
        if self._subjects is None:
            p = self.parser
            self._subjects = [k for k, t in enumerate(self.doc.tokens)
                              if (p.title_word(t) or p.body_word(t)) and not p.place_word(t)
                              and t.norm not in self.lex.time_words]
        return self._subjects

    def _head_tokens(self) -> dict[str, list[int]]:
        """Token indices by the word without conjunction and ال («والحكومة» → «حكومة»), built once."""
        if self._heads is None:
            self._heads = {}
            for k, t in enumerate(self.doc.tokens):
                self._heads.setdefault(bare(strip_conj(t.norm)), []).append(k)
        return self._heads

    def _document_source(self, np: NounPhrase, c: Candidate) -> tuple[_Said, str] | None:
        """«وأضاف البيان» is said by whoever issued the statement: the last body or speaker."""
        words = fold(self.doc.text[np.start:np.end]).split()
        if not words or bare(strip_conj(words[0])) not in self.lex.documents:  # «ـ» folds to nothing
            return None
        toks = self.doc.tokens
        k = bisect_left(self.token_starts, np.start)
        if k < len(toks):
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
        same = self.registry.with_key(np.title_key)
        if not same and key:
            # «المتحدث» → «المتحدث باسم المفوضية، أندريه ماهيكيك»
            same = self.registry.with_title_prefix(key)
        if same:
            return self._said(self.registry.pick(same, pos), c), "title"
        head = key[:1]
        recent = self.history[-RECENT_STATEMENTS:]
        for h in reversed(recent):
            if h.np.title_key and h.np.title_key.split()[:1] == head:
                return _Said(h.np, h.name, pos, c.sent), "title"
        # «رئيسة الوزراء» → «رئيسة الحكومة تيريزا ماي»: the same head title
        same = [k for k in self.registry.with_title_prefix(head)
                if _agrees(np.gender, np.number, self.registry.items[k][1])]
        if same:
            return self._said(self.registry.pick(same, pos), c), "title"
        for h in reversed(recent):
            if h.np.kind == "person" and h.np.name and c.sent - h.sent <= 3 and _agrees(np.gender, np.number, h.np):
                return _Said(h.np, h.name, pos, c.sent), "description"
        for k in range(bisect_right(self.cue_starts, pos), len(self.cands)):
            other = self.cands[k]
            if other.sent - c.sent > 2:
                break  # statements are in text order
            o = other.np
            if o is not None and o.kind == "person" and o.name:
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
        rest = []
        for t in (toks[m] for m in range(np.tok_end, i)):
            if t.text not in "،,":
                rest.append(t)
                if len(rest) > 1:
                    return None
        if rest and rest[0].norm != "قد":
            return None
        return np

    def resolve(self, c: Candidate) -> tuple[_Said, str] | None:
        if c.shape == "participle":
            same = self.history.in_sentence(c.sent)
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
        return self._speaker(c, *got) if got is not None else None

    def _speaker(self, c: Candidate, said: _Said, resolution: str) -> Speaker:
        self.history.append(said)
        mention = None
        if resolution != "pronoun" and c.np is not None:
            mention = self.doc.span(c.np.start, c.np.end)
        span = (said.np.start, said.np.end)
        return Speaker(name=said.name, resolution=resolution, mention=mention, title=said.np.title,
                       entity=self.entity_of(said.name, span))

    def ranked(self, c: Candidate, ranker: SpeakerRanker | None, finder: CandidateFinder,
               collect: list | None) -> tuple[Speaker | None, float | None]:
        """The rules' answer among the candidates, then the model's pick (and its probability)."""
        rule = self.resolve(c)
        if ranker is None and collect is None:
            return (self._speaker(c, *rule) if rule else None), None
        sources = finder.sources(c, rule)
        if collect is not None:
            collect.append(sources)
        best = ranker.best(sources) if ranker is not None else None
        if best is None:
            return (self._speaker(c, *rule) if rule else None), None
        src, p = best
        if "none" in src.origins and (rule is None or p >= REJECT_RULE_AT):
            return None, None  # no candidate is a source (a passive «ووصف بأنه», a link footer)
        if "none" in src.origins:
            return self._speaker(c, *rule), 1 - p  # the model is unsure the rules' answer is wrong
        if rule is None and p < NAME_OVER_ABSTAIN_AT:
            return None, None  # the rules found no source: only a fairly likely candidate overrides that
        if rule is not None and ("rule" in src.origins or keeps_rule_extent(src, rule[0].name)):
            # the rules' answer, or another extent of its name: the rules' name and resolution stand
            return self._speaker(c, *rule), p
        return self._speaker(c, self._said_of(src, c), self._resolution_of(src, c)), p

    def _said_of(self, src: Source, c: Candidate) -> _Said:
        np = src.np
        if np is None:
            s, e = src.spans[0] if src.spans else (c.cue[0], c.cue[0])
            kind = "body" if src.ent_type == "ORG" else "person"
            np = NounPhrase(s, e, c.cue_tok, None, src.name, kind, "?", "sg")
        return _Said(np, src.name, c.cue[0], c.sent)

    @staticmethod
    def _resolution_of(src: Source, c: Candidate) -> str:
        """How the ranker's pick was found: the clause's own words, or the referent of its title."""
        if src.origins & {"subject", "after", "before"}:
            return "headline" if c.shape == "headline" else ("explicit" if c.np is not None else "pronoun")
        if c.np is None:
            return "pronoun"
        return "title" if c.np.kind in ("title", "body") else "description"


def attribute(doc: Doc, cands: list[Candidate], ranker: SpeakerRanker | None = None,
              collect: list | None = None) -> list[Quote]:
    """Statements of ``doc`` with their speakers, e.g. «وأكد: “...”» → the last speaker named.

    With a ``ranker`` the rules' answer is one candidate among several and the model picks; its
    probability times the statement's own confidence is the quote's confidence. ``collect``
    receives each statement's candidate sources (for training)."""
    resolver = SpeakerResolver(doc, cands)
    finder = CandidateFinder(resolver)
    quotes: list[Quote] = []
    for c in cands:
        spk, p = resolver.ranked(c, ranker, finder, collect)
        confidence = c.confidence if spk else c.confidence * 0.5
        if spk is not None and p is not None:
            confidence = c.confidence * p
        quotes.append(Quote(type=c.type, cue=doc.span(*c.cue), content=doc.span(*c.content), speaker=spk,
                            confidence=confidence))
    return quotes


def unattributed(doc: Doc, cands: list[Candidate]) -> list[Quote]:
    """The statements with no speaker: what ``attribute`` gives when it finds nobody."""
    return [Quote(type=c.type, cue=doc.span(*c.cue), content=doc.span(*c.content), speaker=None,
                  confidence=c.confidence * 0.5) for c in cands]


__all__ = ["SpeakerResolver", "Span", "attribute", "unattributed"]
