"""Speaker attribution: the subject noun phrase, pro-drop, titles and descriptions.

«قال الرئيس الروسي فلاديمير بوتين» names the speaker explicitly (title الرئيس الروسي,
name فلاديمير بوتين); «وأكد:» drops it (resolved to the last speaker that agrees in
gender and number); «أكد الرئيس الروسي» and «الدبلوماسي الأمريكي» are resolved to the
person the document names with that title, or to the person just quoted. Every name is
finally replaced by its most complete form in the document (بوتين → فلاديمير بوتين).
"""

from __future__ import annotations

from dataclasses import dataclass

from qala.nlp.doc import Doc, Quote, Span, Speaker, Token
from qala.nlp.lexicon import Lexicon, lexicon
from qala.nlp.quotes import Candidate, cue_at, find_statements, is_word, strip_conj

NAME_LINKS = {"بن", "ابن", "بنت", "ابو", "ابي", "ام", "عبد", "ال", "دي", "دا", "فون", "فان", "لا", "ولد", "بو"}
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما")
NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان", "يتين", "يات")
TIME_SKIP = {"اليوم", "امس", "غدا", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت",
             "صباح", "مساء", "ليل", "فجر", "ظهر", "قد", "ايضا", "كذلك", "مجددا", "بدوره", "بدورها", "لاحقا",
             "يوم", "الماضي", "الماضيه", "الجاري", "امس،", "اول"}


@dataclass(slots=True)
class NounPhrase:
    """A subject: «الرئيس الروسي فلاديمير بوتين» → title «الرئيس الروسي», name «فلاديمير بوتين»."""

    start: int  # char offsets of the whole phrase
    end: int
    title: str | None
    name: str | None
    kind: str  # person | body | source | group | unknown
    gender: str  # m | f | ?
    number: str  # sg | pl
    title_key: str | None = None  # folded title, for coreference

    @property
    def text_key(self) -> str:
        return self.name or self.title or ""


def _definite(norm: str) -> bool:
    return norm.startswith("ال") and len(norm) > 3


def _bare(norm: str) -> str:
    """«الرئيس» → «رئيس», «والوزير» → «وزير»."""
    norm = strip_conj(norm) if norm[:1] in "وف" and len(norm) > 4 and norm[1:3] == "ال" else norm
    return norm[2:] if _definite(norm) else norm


class _Parser:
    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.toks = doc.tokens
        self.lex = lex

    def is_title(self, tok: Token) -> bool:
        return _bare(tok.norm) in self.lex.titles or tok.norm in self.lex.titles

    def is_body(self, tok: Token) -> bool:
        return _bare(tok.norm) in self.lex.bodies

    def is_function(self, tok: Token) -> bool:
        return tok.norm in self.lex.function_words or strip_conj(tok.norm) in self.lex.function_words

    def stops_name(self, tok: Token) -> bool:
        n = tok.norm
        if not is_word(tok) or self.is_function(tok) or n in self.lex.complementizers:
            return True
        if cue_at(tok, self.lex) is not None or self.is_title(tok) or n in TIME_SKIP:
            return True
        # «لوسائل», «للصحفيين», «بالقول»: a preposition glued to the next word
        return len(n) > 3 and n[0] in "لب" and n[1:3] in ("ال", "لل")

    def parse(self, i: int, j: int) -> NounPhrase | None:
        """The subject that opens tokens i..j-1 (after the cue), or None when it is dropped."""
        toks = self.toks
        k = i
        while k < j:
            t = toks[k]
            n = t.norm
            if t.text in {"،", ",", "-", "–"} or n in TIME_SKIP or (n.isdigit() and k > i):
                k += 1
                continue
            if n in {"ل", "لـ"} and k + 1 < j:  # «أكد لـ"الاقتصادية" عبدالرحمن المسعد»: the addressee
                k = self._skip_quoted(k + 1, j)
                continue
            break
        if k >= j:
            return None
        t = toks[k]
        if t.text in '"“”«„':
            end = self._skip_quoted(k, j)
            inner = [x for x in toks[k + 1:end] if is_word(x)]
            if 0 < len(inner) <= 4:
                s, e = inner[0].start, inner[-1].end
                return NounPhrase(s, e, None, self.doc.text[s:e], "body", "?", "sg")
            return None
        if not is_word(t) or self.is_function(t) or t.norm in self.lex.complementizers:
            return None
        if cue_at(t, self.lex) is not None:
            return None
        if self._has_pronoun_suffix(t):
            return None  # «واعتبرت دعوته ...»: an object, the subject is dropped
        return self._phrase(k, j)

    def _has_pronoun_suffix(self, t: Token) -> bool:
        return (len(t.norm) > 4 and t.text.endswith(("ه", "ها")) and not _definite(t.norm)
                and not self.is_title(t) and not self.is_body(t))

    def _skip_quoted(self, k: int, j: int) -> int:
        toks = self.toks
        if k < j and toks[k].text in '"“”«„':
            m = k + 1
            while m < j and toks[m].text not in '"“”»‟':
                m += 1
            return m + 1
        return k + 1

    def _phrase(self, k: int, j: int) -> NounPhrase:
        toks = self.toks
        start = k
        title_toks: list[Token] = []
        name_toks: list[Token] = []
        kind = "unknown"
        head = toks[k]
        if self.is_title(head) or self.is_body(head):
            kind = "body" if self.is_body(head) and not self.is_title(head) else "person"
            if _bare(head.norm) in {"مصدر", "مصادر", "مسوول", "مسوولون", "مسوولين", "مسووله"} and not _definite(head.norm):
                kind = "source"
            title_toks.append(head)
            k += 1
            definite = _definite(head.norm) or (k < j and _definite(toks[k].norm))
            while k < j:
                t = toks[k]
                n = t.norm
                if n in {"باسم", "لدى", "في"} and k + 1 < j and kind != "source" and n != "في":
                    title_toks.append(t)
                    k += 1
                    continue
                if n == "في" and kind == "body" and k + 1 < j and is_word(toks[k + 1]) and not self.stops_name(toks[k + 1]):
                    # «مكتب رعاية الشباب في جدة»
                    title_toks.extend(toks[k:k + 2])
                    k += 2
                    continue
                if not is_word(t) or n in self.lex.complementizers or cue_at(t, self.lex) is not None:
                    break
                if self.is_function(t) or n in TIME_SKIP:
                    break
                if _definite(n) or self.is_title(t) or self.is_body(t):
                    if self.is_title(t) and title_toks and kind == "person" and _definite(n) and len(title_toks) > 1 and name_toks:
                        break
                    title_toks.append(t)
                    k += 1
                    continue
                if not definite and n.endswith(NISBA_ENDINGS):
                    title_toks.append(t)  # «مصدر أمني يمني»
                    k += 1
                    continue
                break
        if kind != "source":
            while k < j and len(name_toks) < 5:
                t = toks[k]
                n = t.norm
                if name_toks and self.is_title(t):
                    break
                if self.stops_name(t) and not (n in NAME_LINKS and name_toks):
                    if not name_toks and n in NAME_LINKS:
                        pass
                    else:
                        break
                if name_toks and n in self.lex.bodies:
                    break
                name_toks.append(t)
                k += 1
            while name_toks and name_toks[-1].norm in NAME_LINKS:
                name_toks.pop()
        if not title_toks and not name_toks:
            name_toks = [toks[k]] if k < j else []
        parts = title_toks + name_toks
        if not parts:
            parts = [toks[start]]
        s, e = parts[0].start, parts[-1].end
        text = self.doc.text
        title = text[title_toks[0].start:title_toks[-1].end] if title_toks else None
        name = text[name_toks[0].start:name_toks[-1].end] if name_toks else None
        if kind == "body" and name_toks:
            # «وزارة الخارجية المصرية»: a body's words are its name
            name = text[s:e]
            title = None
        gender, number = self._agreement(title_toks[0] if title_toks else (name_toks[0] if name_toks else toks[start]), kind)
        if kind == "unknown" and not title_toks and name_toks and _definite(name_toks[0].norm) and len(name_toks) == 1:
            kind = "unknown"
        elif kind == "unknown":
            kind = "person"
        title_key = " ".join(_bare(t.norm) for t in title_toks) if title_toks else None
        return NounPhrase(s, e, title, name, kind, gender, number, title_key)

    def _agreement(self, head: Token, kind: str) -> tuple[str, str]:
        raw = head.text
        n = head.norm
        if n.endswith(("ون", "ين")) and len(_bare(n)) > 4 and not n.endswith("يين") or n.endswith(("يون", "يين")):
            return "m", "pl"
        if n.endswith("ات") and len(_bare(n)) > 4:
            return "f", "pl"
        if raw.endswith("ة") or (kind == "body" and n.endswith("ه")):
            return "f", "sg"
        if kind == "person" and (self.is_title(head)):
            return "m", "sg"
        return "?", "sg"


def _agrees(form_gender: str, form_number: str, np: NounPhrase) -> bool:
    if form_number == "pl":
        return np.number == "pl" or np.kind in ("body",)
    if np.number == "pl":
        return False
    if form_gender == "f":
        return np.gender in ("f", "?") and not (np.kind == "person" and np.gender == "m")
    return np.gender in ("m", "?") or np.kind == "body" and np.gender != "f"


@dataclass(slots=True)
class _Resolved:
    np: NounPhrase
    resolution: str
    mention: tuple[int, int] | None
    pos: int


class SpeakerResolver:
    """Resolves the speaker of each statement of one document, in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lex = lexicon()
        self.parser = _Parser(doc, self.lex)
        self.registry = self._name_registry()
        self.history: list[_Resolved] = []

    def _name_registry(self) -> list[tuple[int, NounPhrase]]:
        """Every «title + name» phrase of the document, the source of full names and titles."""
        found: list[tuple[int, NounPhrase]] = []
        toks = self.doc.tokens
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if is_word(t) and (self.parser.is_title(t) or _definite(t.norm)) and not self.parser.is_function(t):
                end = min(n, i + 12)
                while end > i and toks[end - 1].sent != t.sent:
                    end -= 1
                np = self.parser._phrase(i, end)
                if np.name and np.title and np.kind == "person":
                    found.append((np.start, np))
                    i += 1
                    continue
            i += 1
        return found

    def resolve(self, cand: Candidate) -> _Resolved | None:
        form = cand.form
        gender = form.gender if form else "?"
        number = form.number if form else "sg"
        np: NounPhrase | None = None
        if cand.subject is not None:
            i, j = cand.subject
            np = self.parser.parse(i, j) if cand.shape != "headline" else self.parser._phrase(i, j)
        if cand.shape == "participle":
            same = [h for h in self.history if self.doc.tokens[self._tok_of(h.pos)].sent == cand.sent]
            if same:
                h = same[-1]
                return _Resolved(h.np, "pronoun", None, cand.cue[0])
            return self._pro_drop(gender, number, cand.cue[0])
        if np is None:
            return self._pro_drop(gender, number, cand.cue[0])
        resolution = "headline" if cand.shape == "headline" else "explicit"
        mention = (np.start, np.end)
        if not np.name and np.title:
            ref = self._title_referent(np, cand.cue[0])
            if ref is not None:
                return _Resolved(ref[0], ref[1], mention, cand.cue[0])
        return _Resolved(np, resolution, mention, cand.cue[0])

    def _tok_of(self, pos: int) -> int:
        lo, hi = 0, len(self.doc.tokens) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.doc.tokens[mid].end <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _pro_drop(self, gender: str, number: str, pos: int) -> _Resolved | None:
        for h in reversed(self.history):
            if _agrees(gender, number, h.np):
                return _Resolved(h.np, "pronoun", None, pos)
        before = [np for p, np in self.registry if p < pos and _agrees(gender, number, np)]
        if before:
            return _Resolved(before[-1], "pronoun", None, pos)
        if self.history:
            return _Resolved(self.history[-1].np, "pronoun", None, pos)
        return None

    def _title_referent(self, np: NounPhrase, pos: int) -> tuple[NounPhrase, str] | None:
        """«الرئيس الروسي» → the person the document names with that title, or the one just quoted."""
        key = np.title_key
        same = [(p, r) for p, r in self.registry if r.title_key == key and r.name]
        if same:
            before = [x for x in same if x[0] < pos]
            p, r = before[-1] if before else same[0]
            return r, "title"
        head = key.split()[0] if key else ""
        for h in reversed(self.history[-4:]):
            hk = h.np.title_key or ""
            if hk.split()[:1] == [head]:
                return h.np, "title"
        if np.kind == "person" and _definite(self.doc.text[np.start:np.end].split()[0].replace("أ", "ا")):
            for h in reversed(self.history[-3:]):
                if h.np.kind == "person" and h.np.name and _agrees(np.gender, np.number, h.np):
                    return h.np, "description"
            nxt = [(p, r) for p, r in self.registry if p > pos]
            if nxt and nxt[0][0] - pos < 400:
                return nxt[0][1], "title"
        return None

    def complete_name(self, name: str) -> str:
        """The most complete form of a name in the document: «بوتين» → «فلاديمير بوتين»."""
        from qala.nlp.normalize import fold

        words = fold(name).split()
        best = name
        best_len = len(words)
        candidates = [np.name for _, np in self.registry if np.name] + [
            h.np.name for h in self.history if h.np.name
        ]
        for cand in candidates:
            cw = fold(cand).split()
            if len(cw) > best_len and _contains_run(cw, words):
                best, best_len = cand, len(cw)
        return best

    def speaker(self, cand: Candidate) -> Speaker | None:
        res = self.resolve(cand)
        if res is None:
            return None
        self.history.append(res)
        np = res.np
        name = np.name or np.title or ""
        if np.name and np.kind != "body":
            name = self.complete_name(np.name)
        mention = self.doc.span(*res.mention) if res.mention else None
        return Speaker(name=name, resolution=res.resolution, mention=mention, title=np.title)


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def attribute(doc: Doc) -> list[Quote]:
    """Statements of ``doc`` with their speakers, e.g. «وأكد: “...”» → the last speaker named."""
    cands = find_statements(doc)
    resolver = SpeakerResolver(doc)
    quotes: list[Quote] = []
    for c in cands:
        spk = resolver.speaker(c)
        quotes.append(Quote(type=c.type, cue=Span(c.cue[0], c.cue[1], doc.text[c.cue[0]:c.cue[1]]),
                            content=Span(c.content[0], c.content[1], doc.text[c.content[0]:c.content[1]]),
                            speaker=spk, confidence=c.confidence if spk else c.confidence * 0.5))
    return quotes


__all__ = ["attribute", "SpeakerResolver", "NounPhrase"]
