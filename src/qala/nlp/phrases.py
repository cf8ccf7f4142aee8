"""Noun phrases that name a source: title chains, names, bodies and unnamed descriptions.

«الرئيس الروسي فلاديمير بوتين» → title «الرئيس الروسي», name «فلاديمير بوتين»;
«المدير التنفيذي لسوق عكاظ الدكتور راشد الغامدي» → title «المدير التنفيذي لسوق عكاظ الدكتور»,
name «راشد الغامدي»; «وزارة الخارجية المصرية» → a body; «مصدر أمني يمني» → an unnamed
source. Which words are titles, bodies and function words comes from ``lang/ar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from qala.nlp.clitics import bare, definite, strip_conj, strip_preposition
from qala.nlp.doc import Doc, Token
from qala.nlp.lexicon import Lexicon
from qala.nlp.words import word_of

NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يان", "يتين", "يات", "يا")
PRONOUN_SUFFIXES = ("ها", "هم", "هما", "ه")
OPEN_MARKS = '"“”«„('
CLOSE_MARKS = '"“”»‟)'
SKIP_PUNCT = {"،", ",", "-", "–", "—"}


@dataclass(slots=True)
class NounPhrase:
    """A source phrase; ``kind`` is person | body | source | title (a title with no name)."""

    start: int  # char offsets of the whole phrase
    end: int
    tok_end: int  # token index after the phrase
    title: str | None
    name: str | None
    kind: str
    gender: str  # m | f | ?
    number: str  # sg | pl
    title_key: str | None = None  # folded title words, for coreference
    definite: bool = False

    @property
    def label(self) -> str:
        """What to call the speaker when nothing better is known."""
        return self.name or self.title or ""


@cache
def _person_words() -> frozenset[str]:
    """Every word of the person names the NER gazetteer knows («لافروف» of «سيرغي لافروف»)."""
    from qala.nlp.ner_features import load_resources

    return frozenset(w for words, kind in load_resources().gazetteer.items() if kind == "PER" for w in words)


def unglue(tok: Token) -> Token:
    """«للمتحدث» → «المتحدث», «لوزير» → «وزير»: the word without its glued ل/ب."""
    prep, rest = strip_preposition(tok.norm)
    if not prep:
        return tok
    if rest.startswith("ال") and tok.norm.startswith("لل"):
        return Token(tok.start, tok.end, tok.text, rest, tok.sent)
    return Token(tok.start + 1, tok.end, tok.text[1:], rest, tok.sent)


class PhraseParser:
    """Parses source noun phrases over one document's tokens."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.toks = doc.tokens
        self.lex = lex
        # entity mentions by the token they start in: NER bounds the names we read
        self.mention_at: dict[int, tuple[int, str]] = {}
        starts = self._index = {t.start: i for i, t in enumerate(doc.tokens)}
        for e in doc.entities:
            for m in e.mentions:
                i = starts.get(m.start, starts.get(m.start - 1))
                if i is not None:
                    self.mention_at[i] = (m.end, e.type)

    def common_word(self, tok: Token) -> bool:
        """A word the training texts use often and never as a name part («سرقة», «الصمت»)."""
        from qala.nlp.ner_features import load_resources

        res = load_resources()
        n = tok.norm
        if (n,) in res.gazetteer or n in res.first_names or n in _person_words():
            return False
        return res.vocabulary.get(n, 0) >= 3

    def mention_end(self, k: int) -> tuple[int, str] | None:
        """(end char, type) of the entity mention starting at token k, if NER found one."""
        return self.mention_at.get(k)

    # -- word classes ----------------------------------------------------------------------

    def title_word(self, tok: Token) -> bool:
        """«الرئيس», «مسؤولون», «سماحته»: a title or group noun with no clitic before it."""
        w = word_of(tok)
        return (not w.conj and not w.prep and ("title" in w.classes or "group" in w.classes)) \
            or "possessed_title" in w.classes

    def possessed_title(self, tok: Token) -> bool:
        """«ومتحدثها», «سماحته»: a title with a possessive pronoun, definite by it."""
        return "possessed_title" in word_of(tok).classes

    def body_word(self, tok: Token) -> bool:
        w = word_of(tok)
        return not w.conj and not w.prep and ("body" in w.classes or "place" in w.classes)

    def place_word(self, tok: Token) -> bool:
        """«منطقة», «مدينة»: heads of place names; a place does not speak."""
        w = word_of(tok)
        return not w.prep and "place" in w.classes

    def function_word(self, tok: Token) -> bool:
        if tok.norm == "علي" and tok.text.endswith("ي"):
            return False  # the name علي, not the preposition على (both fold to علي)
        return "function" in word_of(tok).classes

    @staticmethod
    def _word_is(tok: Token, cls: str) -> bool:
        """``tok`` is a word of class ``cls`` as written, with no clitic before it."""
        w = word_of(tok)
        return cls in w.classes and not w.conj and not w.prep

    def name_link(self, tok: Token) -> bool:
        """«بن», «أبو», «عبد»: a word that joins the parts of a name."""
        return self._word_is(tok, "name_link")

    def is_word(self, tok: Token) -> bool:
        return tok.text[:1].isalnum()

    def is_cue(self, tok: Token) -> bool:
        return word_of(tok).cue is not None

    def glued_preposition(self, tok: Token) -> bool:
        """«لسوق», «للصحفيين», «بالقول»: a preposition written onto the next word."""
        w = word_of(tok)
        return w.prep in ("ل", "ب") and (w.definite or "body" in w.classes or "title" in w.classes)

    def hard_stop(self, tok: Token) -> bool:
        n = tok.norm
        return (not self.is_word(tok) or self.function_word(tok) or n in self.lex.complementizers
                or self.is_cue(tok) or n in self.lex.time_words or n.isdigit())

    # -- parsing ---------------------------------------------------------------------------

    def subject_after_cue(self, i: int, j: int) -> NounPhrase | None:
        """The subject opening tokens i..j-1 after a cue, or None when the verb drops it."""
        toks = self.toks
        k = i
        while k < j:
            t = toks[k]
            n = t.norm
            if t.text in SKIP_PUNCT or n in self.lex.time_words or n in {"قد", "ايضا", "كذلك", "بدوره", "بدورها"}:
                k += 1
            elif t.text.endswith(("اً", "ًا")) and not self.title_word(t):
                k += 1  # «وقال مراراً إن»: an adverb, not the subject
            elif t.text == "#" and k + 1 < j and self.is_word(toks[k + 1]):
                k += 1  # «وأكد #الاتحاد_الأوروبي»: a hashtag name
            elif t.text == "(" and k + 2 < j and toks[k + 2].text == ")":
                k += 3  # «اليوم (الاثنين)»
            elif n in {"ل", "لـ"} or (self.glued_preposition(t) and n[0] == "ل"):
                k = self._skip_addressee(k, j)  # «أكد لـ"الاقتصادية" عبدالرحمن المسعد»
            else:
                break
        if k >= j:
            return None
        t = toks[k]
        if t.text in OPEN_MARKS:
            return self._quoted_name(k, j)
        if not self.is_word(t) or self.hard_stop(t) or self.glued_preposition(t):
            return None
        if self._pronoun_object(t):
            return None  # «واعتبرت دعوته ...»: an object; the subject is dropped
        np = self.phrase(k, j)
        if (np.kind == "person" and not np.title and np.tok_end == k + 1 and definite(strip_conj(t.norm))
                and np.tok_end < len(toks) and (toks[np.tok_end].norm in self.lex.complementizers
                                                or toks[np.tok_end].text == ":")):
            # «وقال القصر إن», «وقالت المصادر:»: nothing else can stand between the verb and إن
            return NounPhrase(np.start, np.end, np.tok_end, None, np.name, "body", "?", "sg", None, True)
        if np.kind == "person" and not np.title and not self._named(np, k):
            named = self._name_inside(k, j)
            if named is not None:  # «نتائج مؤشر "موني سمارت"»: a phrase around a quoted or known name
                return named
            if self._group(t):  # «مراقبون أردنيون»: a group source, described
                return NounPhrase(np.start, np.end, np.tok_end, self.doc.text[np.start:np.end], None, "source",
                                  "m", "pl", None, definite(t.norm))
            return None  # «وقال بذلك ...», «فيديو», «نتائج»: no name, no title: not a subject
        return np

    def _name_inside(self, k: int, j: int) -> NounPhrase | None:
        """A body named within the first words after the cue: a short quotation or an NER name."""
        toks = self.toks
        for m in range(k + 1, min(j, k + 4)):
            t = toks[m]
            if self.hard_stop(t) and t.text not in OPEN_MARKS:
                return None
            end = None
            if t.text in OPEN_MARKS:
                quoted = self._quoted_name(m, j)
                end = (quoted.end, quoted.tok_end) if quoted is not None else None
            elif (self.mention_end(m) or ("", ""))[1] in ("ORG", "PER"):
                stop = self.mention_end(m)[0]
                e = m
                while e < j and toks[e].start < stop:
                    e += 1
                end = (toks[e - 1].end, e)
            if end is not None:
                s = toks[k].start
                return NounPhrase(s, end[0], end[1], None, self.doc.text[s:end[0]], "body", "?", "sg")
        return None

    def _named(self, np: NounPhrase, k: int) -> bool:
        """Whether a phrase with no title names someone: NER found an entity there, or it is an
        uncommon word or a first name, or a title follows it in apposition («المسعد مدير ...»)."""
        if not self.doc.entities or self.mention_end(k) is not None:
            return True
        from qala.nlp.ner_features import load_resources

        if strip_conj(self.toks[k].norm) in load_resources().first_names:
            return True
        if np.tok_end < len(self.toks) and self.title_word(self.toks[np.tok_end]):
            return True
        words = [t for t in self.toks[k:np.tok_end] if self.is_word(t)]
        if len(words) == 1 and words[0].norm[:1] in "بلك":
            return False  # «بضم»: a preposition on a noun, no name
        return bool(words) and not any(self.common_word(t) for t in words)

    def _group(self, t: Token) -> bool:
        """«المعلقون», «مراقبون أردنيون»: a plural (definite, or with an adjective) names a group."""
        n = strip_conj(t.norm)
        if not n.endswith(("ون", "ين")) or len(bare(n)) < 5:
            return False
        if definite(n):
            return True
        k = self._index.get(t.start, -1)  # a token made by ``unglue`` is none of the document's
        if k >= 0 and self.toks[k] != t:
            k = -1
        nxt = self.toks[k + 1].norm if 0 <= k < len(self.toks) - 1 else ""
        return nxt.endswith(("يون", "يين"))

    def _pronoun_object(self, t: Token) -> bool:
        return (len(t.norm) > 4 and t.text.endswith(("ه", "ها")) and not definite(t.norm)
                and not self.title_word(t) and not self.body_word(t))

    def _skip_addressee(self, k: int, j: int) -> int:
        toks = self.toks
        k += 1 if toks[k].norm in {"ل", "لـ"} else 0
        if k < j and toks[k].text in OPEN_MARKS:
            m = k + 1
            while m < j and toks[m].text not in CLOSE_MARKS:
                m += 1
            return m + 1
        k += 1
        while k < j and (definite(toks[k].norm) or toks[k].text.isascii() and self.is_word(toks[k])):
            k += 1
        return k

    def _quoted_name(self, k: int, j: int) -> NounPhrase | None:
        toks = self.toks
        m = k + 1
        while m < j and toks[m].text not in CLOSE_MARKS:
            m += 1
        inner = [x for x in toks[k + 1:m] if self.is_word(x)]
        if not 0 < len(inner) <= 4:
            return None
        s, e = inner[0].start, inner[-1].end
        return NounPhrase(s, e, m + 1, None, self.doc.text[s:e], "body", "?", "sg")

    def phrase(self, k: int, j: int, glued: bool = False) -> NounPhrase:
        """Title chain, then name, then an apposed title: the phrase that starts at token k.

        ``glued``: the first token carries a preposition to drop («للمتحدث باسم الجيش»)."""
        toks = self.toks
        text = self.doc.text
        start = k
        title_toks: list[Token] = []
        kind = "person"
        head = toks[k]
        if glued:
            head = unglue(head)
        nxt = k + 1
        while nxt < j and toks[nxt].text == "_":
            nxt += 1
        first_name = nxt < j and self.name_link(toks[nxt])  # «سلطان بن سحيم»: a name, not the title
        if (self.title_word(head) or self.body_word(head)) and not first_name:
            kind = "body" if self.body_word(head) and not self.title_word(head) else "person"
            title_toks.append(head)
            k += 1
            k = self._title_chain(k, j, title_toks, construct=kind == "body" or not definite(head.norm))
        while title_toks and k < j and (self.mention_end(k) or ("", ""))[1] in ("LOC", "ORG"):
            # «رئيس كتلة الحرة لحركة مشروع تونس بمجلس نواب الشعب عبد الرؤوف الشريف»
            m_end = self.mention_end(k)[0]
            while k < j and toks[k].start < m_end:
                title_toks.append(toks[k])
                k += 1
            k = self._title_chain(k, j, title_toks, construct=False)
        name_toks: list[Token] = []
        if (title_toks and kind == "person" and not self._definite_chain(title_toks)
                and not (k < j and self._name_start(toks[k]) and len(title_toks) == 1 and not self.plural(head))):
            # «مصدر عسكري أردني مخول له»: an unnamed source; its description runs on a little
            kind = "source"
            while k < j and len(title_toks) < 7:
                t = toks[k]
                if t.norm in {"في", "من", "علي", "داخل", "لدي"} and k + 1 < j and not self.hard_stop(toks[k + 1]):
                    title_toks.extend(toks[k:k + 2])  # «مصادر مطلعة على الأمر», «ضباط في الجيش الروسي»
                    k += 2
                    continue
                if self.hard_stop(t) or (t.norm[:1] == "ل" and t.text.endswith(PRONOUN_SUFFIXES)) \
                        or (self.title_word(t) and not definite(t.norm)):
                    break
                nxt = toks[k + 1] if k + 1 < j else None
                adjective = t.norm.endswith(NISBA_ENDINGS) or t.text.endswith("ة") or t.norm[:1] in "لب"
                if not adjective and not (nxt is not None and self.glued_preposition(nxt)):
                    break  # «مصادر طبية فلسطينية سقوط ...»: a noun starts the object
                title_toks.append(t)
                k += 1
            j = k
        if title_toks and k + 1 < j and toks[k].text in SKIP_PUNCT and self._definite_chain(title_toks):
            if self._name_start(toks[k + 1]):
                k += 1  # «رئيس الهيئة الوطنية لمكافحة الفساد، شوقي الطبيب،»
            elif self.title_word(toks[k + 1]) and not self.body_word(toks[k + 1]):
                inner = self.phrase(k + 1, j)  # «المتحدث باسم الحكومة، الدكتور محمد المومني،»
                if inner.kind == "person" and inner.name and inner.title and len(inner.title.split()) == 1:
                    title_toks.extend(toks[k + 1:k + 2])
                    k += 2
        if title_toks and k + 1 < j and toks[k].text == "#" and self.is_word(toks[k + 1]):
            k += 1  # «الشيخ #سلطان_بن_سحيم»: a hashtag name after its title
        bound = self.mention_end(k) if k < j else None
        if bound is not None and bound[1] in ("PER", "ORG") and not (title_toks and bound[1] == "ORG"):
            # NER says where the name ends: «وانتقد بنس سرقة ...» → «بنس»
            while k < j:
                while k < j and toks[k].start < bound[0]:
                    name_toks.append(head if k == start else toks[k])
                    k += 1
                # NER often stops early: «عبدالعزيز بن عبدالله آل [الشيخ]», «مارسيلو [بييلسا]»
                if k < j and name_toks and self.name_link(name_toks[-1]) and self.is_word(toks[k]):
                    bound = (toks[k].end, "PER")
                elif k + 1 < j and self.name_link(toks[k]) and self.is_word(toks[k + 1]):
                    bound = (toks[k + 1].end, "PER")
                elif k + 1 < j and toks[k].text in ("#", "_") and self.is_word(toks[k + 1]):
                    k += 1  # «سيرغي #لافروف»: the hashtag spelling goes on with the name
                    bound = self.mention_end(k) if (self.mention_end(k) or ("", ""))[1] == "PER" \
                        else (toks[k].end, "PER")
                elif k < j and (self.mention_end(k) or ("", ""))[1] == "PER":
                    bound = self.mention_end(k)
                elif (k < j and len(name_toks) == 1 and self._name_start(toks[k]) and not self.common_word(toks[k])
                      and not definite(toks[k].norm)):
                    bound = (toks[k].end, "PER")
                else:
                    break
            j = k
        elif bound is not None and bound[1] == "LOC" and not title_toks:
            j = k  # a place is not who speaks («بكوريا الجنوبية»)
        while k < j and len(name_toks) < 6:
            if toks[k].text in ("#", "_") and name_toks and k + 1 < j and self.is_word(toks[k + 1]):
                k += 1  # «سيرغي #لافروف», «سلطان_بن_سحيم»: hashtag spellings inside a name
            t = head if k == start else toks[k]
            n = t.norm
            if name_toks and self.mention_end(k) is not None and self.mention_end(k)[1] != "PER":
                break  # «بوتين موسكو»: another entity starts
            if (name_toks and kind == "person" and not definite(n) and not definite(name_toks[0].norm)
                    and not self.name_link(name_toks[-1]) and not self.name_link(t) and self.common_word(t)):
                break  # «ونفى نتنياهو ارتكاب ...»: the object, not the name
            if name_toks and self.name_link(name_toks[-1]) and self.is_word(t):
                name_toks.append(t)  # «آل الشيخ», «بن عبدالله»
                k += 1
                continue
            if self.hard_stop(t) or self.glued_preposition(t) or n.startswith("وال"):
                break
            if len(name_toks) >= 2 and n[:1] in "لب" and len(n) > 3:
                break  # «نبيل أبو ردينة لوسائل إعلام»: a preposition after a full name
            if self.title_word(t) and (name_toks or not title_toks) and not (first_name and not name_toks):
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                ends = nxt is None or not self.is_word(nxt) or self.hard_stop(nxt)
                surname = (len(name_toks) == 1 and definite(n)) or (len(name_toks) > 1 and self.name_link(name_toks[-2]))
                if not (surname and ends):
                    break  # «خالد الزيلعي لاعب التعاون»: an apposed title, not part of the name
            if name_toks and self.body_word(t):
                break
            if name_toks and definite(name_toks[-1].norm) and not definite(n) \
                    and not (len(name_toks) >= 2 and self._word_is(name_toks[-1], "compound_second")):
                if not title_toks and all(definite(x.norm) for x in name_toks) and self._name_start(t) \
                        and k + 1 < j and self._name_start(toks[k + 1]):
                    # «المهاجم الفرنسي أنطوان غريزمان»: a title we do not list, then the name
                    title_toks, name_toks = name_toks, []
                    kind = "person"
                else:
                    break  # «النجيمي غرد»: a name does not go on after its family name
            if not name_toks and title_toks and kind == "person" and not self._definite_chain(title_toks) \
                    and n.endswith(NISBA_ENDINGS):
                break  # «مسؤول فلسطيني»: an adjective of an unnamed source, not a name
            name_toks.append(t)
            k += 1
        while name_toks and self.name_link(name_toks[-1]):
            name_toks.pop()
            k -= 1
        if title_toks and name_toks:
            # «مستشار ترمب للأمن القومي، جون بولتون،»: the first name belongs to the title, the
            # apposed one is the speaker
            m = k
            while m < j and (self.glued_preposition(toks[m]) or (definite(toks[m].norm) and not self.hard_stop(toks[m]))):
                m += 1
            if m > k and m + 1 < j and toks[m].text in SKIP_PUNCT and (self.mention_end(m + 1) or ("", ""))[1] == "PER":
                apposed = self.phrase(m + 1, j)
                if apposed.kind == "person" and apposed.name and not apposed.title:
                    title_toks = title_toks + name_toks + list(toks[k:m])
                    name_toks = [t for t in toks[m + 1:apposed.tok_end] if self.is_word(t)]
                    k = apposed.tok_end
        if title_toks and bare(strip_conj(title_toks[0].norm)) in self.lex.relations:
            # «زوجة الرئيس السوري بشار الأسد، أسماء الأسد»: the relative, named after a comma or not
            if k + 1 < j and toks[k].text in SKIP_PUNCT and self._name_start(toks[k + 1]):
                rel = self.phrase(k + 1, j)
                if rel.name and rel.kind == "person" and not rel.title:
                    title_toks = title_toks + name_toks
                    name_toks = [t for t in toks[k + 1:rel.tok_end] if self.is_word(t)]
                    k = rel.tok_end
            else:
                title_toks, name_toks = title_toks + name_toks, []
        head_tok = title_toks[0] if title_toks else (name_toks[0] if name_toks else head)
        # «وزير الخارجية» is definite through its genitive
        is_definite = (definite(strip_conj(head_tok.norm)) or (bool(title_toks) and self._definite_chain(title_toks))
                       or self.possessed_title(head_tok))
        if not title_toks and not name_toks:
            name_toks = [head]
            k = start + 1
        if not name_toks:
            if kind == "person":
                kind = "title" if is_definite else "source"
        elif kind == "body":
            name_toks = title_toks + name_toks
            title_toks = []
        if not title_toks and len(name_toks) == 1 and definite(name_toks[0].norm) and self.function_word(name_toks[0]):
            kind = "source"
        parts = title_toks + name_toks
        s, e = parts[0].start, parts[-1].end
        title = text[title_toks[0].start:title_toks[-1].end] if title_toks else None
        name = text[name_toks[0].start:name_toks[-1].end] if name_toks else None
        gender_tok = head_tok
        if len(title_toks) > 1 and self._word_is(head_tok, "honorific"):
            gender_tok = title_toks[1]  # «سماحة المفتي»: the honorific is feminine, the man is not
        gender, number = self._agreement(gender_tok, kind)
        title_key = " ".join(bare(t.norm[1:] if t.norm.startswith("وال") else t.norm) for t in title_toks) or None
        return NounPhrase(s, e, k, title, name, kind, gender, number, title_key, is_definite)

    def _title_chain(self, k: int, j: int, out: list[Token], construct: bool) -> int:
        """Words that continue a title: «وزير الخارجية التركي», «المتحدث باسم البيت الأبيض»."""
        toks = self.toks
        proper_ok = construct  # «نادي التعاون», «لنادي اشبيلية»: a proper noun may follow a body word
        while k < j:
            t = toks[k]
            n = t.norm
            if t.text == "_" and out and k + 1 < j and self.is_word(toks[k + 1]):
                k += 1  # «الاتحاد_الأوروبي»: a hashtag spelling of the chain
                continue
            mention = self.mention_end(k)
            if mention is not None and mention[1] in ("ORG", "LOC") and out:
                # «رئيس كتلة الحرة لحركة مشروع تونس ...»: a body or place NER found stays in the title
                while k < j and toks[k].start < mention[0]:
                    out.append(toks[k])
                    k += 1
                proper_ok = False
                continue
            if t.text == "." and out and len(out[-1].norm) == 1 and k + 1 < j and self.is_word(toks[k + 1]):
                k += 1  # «د.محمد المومني»: an abbreviated title
                continue
            if n[:1] == "و" and len(n) > 4 and (definite(n[1:]) or bare(n[1:]) in self.lex.bodies):
                n = n[1:]  # «هيئة كبار العلماء وإدارة البحوث العلمية والإفتاء»
            if not self.is_word(t):
                if t.text in OPEN_MARKS and out:  # «هيئة "أونيمي" للطوارئ»
                    m = k + 1
                    while m < j and toks[m].text not in CLOSE_MARKS and m - k < 6:
                        m += 1
                    if m < j and toks[m].text in CLOSE_MARKS:
                        out.extend(x for x in toks[k + 1:m] if self.is_word(x))
                        k = m + 1
                        continue
                break
            if n in {"باسم", "لدى"} and k + 1 < j:
                out.append(t)
                k += 1
                proper_ok = True
                continue
            if n in self.lex.complementizers or self.is_cue(t):
                break
            if n in self.lex.title_modifiers and (self.title_word(out[-1]) or out[-1].norm in self.lex.title_modifiers):
                out.append(t)  # «مفتي عام المملكة», «الأمين العام», «الرئيس السابق»
                k += 1
                continue
            if n in self.lex.time_words:
                break
            if self.function_word(t):
                if n == "في" and k + 1 < j and (self.body_word(out[0]) or not self._definite_chain(out)) \
                        and self.is_word(toks[k + 1]) and not self.hard_stop(toks[k + 1]):
                    out.extend(toks[k:k + 2])  # «مكتب رعاية الشباب في جدة», «مصادر في الشرطة»
                    proper_ok = self.body_word(toks[k + 1]) and not definite(toks[k + 1].norm)
                    k += 2
                    continue
                break
            if definite(n) or self.title_word(t) or self.body_word(t) or bare(n) in self.lex.bodies:
                out.append(t)
                # only a body word in construct («نادي», not «الرئاسة») takes a proper noun after it
                proper_ok = self.body_word(t) and not definite(n)
                k += 1
                continue
            if (self.glued_preposition(t) or (n[:1] == "ل" and len(n) > 3 and definite(out[-1].norm))) \
                    and not t.text.endswith(PRONOUN_SUFFIXES):  # «الشركة لزبائنها»: an addressee
                out.append(t)  # «المدير التنفيذي لسوق عكاظ», «الهيئة الوطنية لمكافحة الفساد»
                proper_ok = not (n[1:3] == "ال" or n[1:2] == "ل")  # «لسوق» takes «عكاظ», «للانتخابات» nothing
                k += 1
                continue
            if n.endswith(NISBA_ENDINGS) and not any(definite(x.norm) for x in out):
                out.append(t)  # «مصدر أمني يمني»
                k += 1
                continue
            if proper_ok:
                out.append(t)
                proper_ok = False
                k += 1
                continue
            break
        return k

    def plural(self, tok: Token) -> bool:
        b = bare(strip_conj(tok.norm))
        return b in self.lex.groups or b.endswith(("ون", "ين")) and len(b) > 5

    def _definite_chain(self, title_toks: list[Token]) -> bool:
        """«وزير الخارجية» and «رئيس أفغانستان» are definite through their genitive;
        «مسؤول فلسطيني» and «مصادر مطلعة» are not (an adjective follows)."""
        if definite(title_toks[0].norm) or self.possessed_title(title_toks[0]):
            return True
        if len(title_toks) < 2:
            return False
        for t in title_toks[1:]:
            if self.function_word(t):
                break  # «مصادر مطلعة في الهند»: what follows في does not make the head definite
            if definite(t.norm) or self.title_word(t) or self.body_word(t):
                return True  # «وزير الخارجية», «سماحة مفتي عام المملكة», «أمين منطقة جازان»
        second = title_toks[1].norm
        # a proper noun genitive after a singular head: «رئيس أفغانستان»
        return not self.plural(title_toks[0]) and not second.endswith(NISBA_ENDINGS + ("ه", "ون", "ين", "ات"))

    def _name_start(self, tok: Token) -> bool:
        return (self.is_word(tok) and not self.hard_stop(tok) and not definite(tok.norm)
                and not self.glued_preposition(tok) and not self.title_word(tok) and not self.body_word(tok))

    def _agreement(self, head: Token, kind: str) -> tuple[str, str]:
        raw = head.text
        n = bare(strip_conj(head.norm))
        if n.endswith(("يون", "يين", "ون")) or (n.endswith("ين") and len(n) > 5) or n in self.lex.groups \
                or (n.endswith("ان") and n[:-2] in self.lex.titles):
            return "m", "pl"
        if n.endswith("ات") and len(n) > 4:
            return "f", "pl"
        if raw.endswith("ة") or (kind == "body" and n.endswith("ه")):
            return "f", "sg"
        if kind in ("person", "title", "source") and self.title_word(head):
            return "m", "sg"
        return "?", "sg"

    def sentence_subject(self, first: int, last: int) -> NounPhrase | None:
        """The subject of a sentence's main clause: «النجيمي غرد ...», «وامتنع الدبلوماسي ...»,
        «من جهة ثانية، عبر عبد الله الدخيل ...», «وقد فتحت سلطة الأمن ...»."""
        toks = self.toks
        k = first
        while k < last and not self.is_word(toks[k]):
            k += 1
        verb_next = False
        if k < last and self.function_word(toks[k]):
            if strip_conj(toks[k].norm) in {"قد", "لقد", "كما", "ثم", "لكن", "بينما", "فيما"}:
                k += 1
                verb_next = True
            else:
                # a fronted phrase («من جهته،», «وفي بيان،») ends at the first comma
                m = k
                while m < last and m - k < 6 and toks[m].text not in SKIP_PUNCT:
                    m += 1
                if m >= last or m - k >= 6:
                    return None
                k = m + 1
                verb_next = True
        if k >= last:
            return None
        t = toks[k]
        n = strip_conj(t.norm)
        if self.function_word(t):
            return None
        if definite(n) or self.title_word(t) or self.body_word(t):
            return self.phrase(k, min(last, k + 12))
        if verb_next or (t.norm[:1] == "و" and len(t.norm) > 3):  # a verb: the subject follows
            return self.subject_after_cue(k + 1, min(last, k + 12))
        return None
