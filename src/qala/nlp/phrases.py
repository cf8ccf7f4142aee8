"""Noun phrases that name a source: title chains, names, bodies and unnamed descriptions.

«الرئيس الروسي فلاديمير بوتين» → title «الرئيس الروسي», name «فلاديمير بوتين»;
«المدير التنفيذي لسوق عكاظ الدكتور راشد الغامدي» → title «المدير التنفيذي لسوق عكاظ الدكتور»,
name «راشد الغامدي»; «وزارة الخارجية المصرية» → a body; «مصدر أمني يمني» → an unnamed
source. Which words are titles, bodies and function words comes from ``lang/ar``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from qala.nlp.doc import Doc, Token
from qala.nlp.lexicon import Lexicon
from qala.nlp.words import Word, word_of

# -- settings --------------------------------------------------------------------------------
SOURCE_WORDS_MAX = 7  # words an unnamed source's description runs to: «مصادر مطلعة على الأمر»
NAME_WORDS_MAX = 6  # words of a name: «عبدالعزيز بن عبدالله آل الشيخ»
SUBJECT_WINDOW = 12  # tokens after a sentence's first word searched for its subject
FRONTED_MAX = 6  # tokens of a fronted phrase before its comma: «من جهته،», «وفي بيان،»
NAME_INSIDE_REACH = 4  # tokens from a phrase's first word within which a name may stand in it
QUOTED_NAME_MAX = 4  # words of a quoted name: «"موني سمارت"»
QUOTED_BODY_REACH = 6  # tokens from an open quote to its close inside a title: «هيئة "أونيمي" للطوارئ»
COMMON_WORD_MIN = 3  # training-text count from which a word no name uses is a common word

OPEN_MARKS = '"“”«„('
CLOSE_MARKS = '"“”»‟)'
SKIP_PUNCT = {"،", ",", "-", "–", "—"}
STOP_CLASSES = frozenset({"function", "complementizer", "cue", "time", "number"})


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


@dataclass(slots=True)
class _Parse:
    """A phrase being read by ``PhraseParser.phrase``: its head, how far it has got (``k``),
    how far it may reach (``j``), and the title and name words so far."""

    start: int
    k: int
    j: int
    head: Token  # token ``start``, without its glued preposition when asked
    first_name: bool  # a name link follows the head: «سلطان بن سحيم»
    kind: str = "person"
    title: list[Token] = field(default_factory=list)
    name: list[Token] = field(default_factory=list)


@dataclass(slots=True)
class _Chain:
    """A title chain being read: the next token (``k``), the reach (``j``), the words so far,
    and whether a proper noun may come next («نادي التعاون»: after a body word in construct)."""

    k: int
    j: int
    out: list[Token]
    proper_ok: bool

    def take(self, t: Token, proper_ok: bool | None = None) -> bool:
        """Add ``t`` to the chain (and say whether a proper noun may follow it)."""
        self.out.append(t)
        self.k += 1
        if proper_ok is not None:
            self.proper_ok = proper_ok
        return True


@cache
def _person_words() -> frozenset[str]:
    """Every word of the person names the NER gazetteer knows («لافروف» of «سيرغي لافروف»)."""
    from qala.nlp.ner_features import load_resources

    return frozenset(w for words, kind in load_resources().gazetteer.items() if kind == "PER" for w in words)


def unglue(tok: Token) -> Token:
    """«للمتحدث» → «المتحدث», «لوزير» → «وزير»: the word without its glued ل/ب."""
    w = word_of(tok)
    if w.conj or (w.prep or w.loose_prep) not in ("ل", "ب"):
        return tok
    if not w.prep:
        return Token(tok.start + 1, tok.end, tok.text[1:], tok.norm[1:], tok.sent)
    if w.definite and w.stem[:1] != tok.norm[1:2]:  # «للمتحدث» = ل + المتحدث: the ل of ال is written once
        return Token(tok.start, tok.end, tok.text, w.stem, tok.sent)
    return Token(tok.start + 1, tok.end, tok.text[1:], w.stem, tok.sent)


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
        return res.vocabulary.get(n, 0) >= COMMON_WORD_MIN

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
        """What no phrase runs through: punctuation, function and time words, cues, numbers."""
        return not self.is_word(tok) or bool(word_of(tok).classes & STOP_CLASSES)

    # -- parsing ---------------------------------------------------------------------------

    def subject_after_cue(self, i: int, j: int) -> NounPhrase | None:
        """The subject opening tokens i..j-1 after a cue, or None when the verb drops it."""
        toks = self.toks
        k = i
        while k < j:
            t = toks[k]
            w = word_of(t)
            if t.text in SKIP_PUNCT or w.is_("time") or w.is_("before_subject"):
                k += 1
            elif w.accusative and not self.title_word(t):
                k += 1  # «وقال مراراً إن»: an adverb, not the subject
            elif t.text == "#" and k + 1 < j and self.is_word(toks[k + 1]):
                k += 1  # «وأكد #الاتحاد_الأوروبي»: a hashtag name
            elif t.text == "(" and k + 2 < j and toks[k + 2].text == ")":
                k += 3  # «اليوم (الاثنين)»
            elif w.is_("addressee_preposition") or (self.glued_preposition(t) and w.prep == "ل"):
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
        if (np.kind == "person" and not np.title and np.tok_end == k + 1 and self._article(t)
                and np.tok_end < len(toks) and (word_of(toks[np.tok_end]).is_("complementizer")
                                                or toks[np.tok_end].text == ":")):
            # «وقال القصر إن», «وقالت المصادر:»: nothing else can stand between the verb and إن
            return NounPhrase(np.start, np.end, np.tok_end, None, np.name, "body", "?", "sg", None, True)
        if np.kind == "person" and not np.title and not self._named(np, k):
            named = self._name_inside(k, j)
            if named is not None:  # «نتائج مؤشر "موني سمارت"»: a phrase around a quoted or known name
                return named
            if self._group(t):  # «مراقبون أردنيون»: a group source, described
                return NounPhrase(np.start, np.end, np.tok_end, self.doc.text[np.start:np.end], None, "source",
                                  "m", "pl", None, self._article(t))
            return None  # «وقال بذلك ...», «فيديو», «نتائج»: no name, no title: not a subject
        return np

    def _name_inside(self, k: int, j: int) -> NounPhrase | None:
        """A body named within the first words after the cue: a short quotation or an NER name."""
        toks = self.toks
        for m in range(k + 1, min(j, k + NAME_INSIDE_REACH)):
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

        if word_of(self.toks[k]).stem in load_resources().first_names:
            return True
        if np.tok_end < len(self.toks) and self.title_word(self.toks[np.tok_end]):
            return True
        words = [t for t in self.toks[k:np.tok_end] if self.is_word(t)]
        if len(words) == 1 and self._preposition(words[0]):
            return False  # «بضم»: a preposition on a noun, no name
        return bool(words) and not any(self.common_word(t) for t in words)

    def _group(self, t: Token) -> bool:
        """«المعلقون», «مراقبون أردنيون»: a plural (definite, or with an adjective) names a group."""
        w = word_of(t)
        if w.plural != "m" or w.prep:
            return False
        if w.definite:
            return True
        k = self._index.get(t.start, -1)  # a token made by ``unglue`` is none of the document's
        if k >= 0 and self.toks[k] != t:
            k = -1
        nxt = word_of(self.toks[k + 1]) if 0 <= k < len(self.toks) - 1 else None
        return nxt is not None and nxt.nisba and nxt.plural == "m"

    def _pronoun_object(self, t: Token) -> bool:
        """«دعوته»: a noun with an object pronoun, which is no title or body."""
        w = word_of(t)
        return (w.pronoun_end in ("ه", "ها") and not w.definite
                and not self.title_word(t) and not self.body_word(t))

    @staticmethod
    def _article(t: Token) -> bool:
        """The word has the article and no preposition before it («القصر», «والمصادر»)."""
        w = word_of(t)
        return w.definite and not w.prep

    @staticmethod
    def _preposition(t: Token) -> bool:
        """A ل/ب glued onto the word, known («لوزير») or read from its spelling («لمكافحة»)."""
        w = word_of(t)
        return not w.conj and (w.prep or w.loose_prep) in ("ل", "ب")

    def _skip_addressee(self, k: int, j: int) -> int:
        toks = self.toks
        k += 1 if word_of(toks[k]).is_("addressee_preposition") else 0
        if k < j and toks[k].text in OPEN_MARKS:
            m = k + 1
            while m < j and toks[m].text not in CLOSE_MARKS:
                m += 1
            return m + 1
        k += 1
        while k < j and (self._article(toks[k]) or toks[k].text.isascii() and self.is_word(toks[k])):
            k += 1
        return k

    def _quoted_name(self, k: int, j: int) -> NounPhrase | None:
        toks = self.toks
        m = k + 1
        while m < j and toks[m].text not in CLOSE_MARKS:
            m += 1
        inner = [x for x in toks[k + 1:m] if self.is_word(x)]
        if not 0 < len(inner) <= QUOTED_NAME_MAX:
            return None
        s, e = inner[0].start, inner[-1].end
        return NounPhrase(s, e, m + 1, None, self.doc.text[s:e], "body", "?", "sg")

    def phrase(self, k: int, j: int, glued: bool = False) -> NounPhrase:
        """Title chain, then name, then an apposed title: the phrase that starts at token k.

        ``glued``: the first token carries a preposition to drop («للمتحدث باسم الجيش»).
        Each step reads on from where the last stopped (``p.k``); a step may also shorten
        the reach (``p.j``), e.g. an unnamed source's description or a name NER bounds."""
        p = self._begin(k, j, glued)
        self._title_head(p)
        self._entities_in_title(p)
        if self._unnamed_source(p):
            self._source_description(p)
        self._comma_after_title(p)
        self._hashtag_name(p)
        self._bounded_name(p)
        self._name_words(p)
        while p.name and self.name_link(p.name[-1]):
            p.name.pop()  # «... بن»: a name does not end on a link word
            p.k -= 1
        if p.title and p.name:
            self._apposed_speaker(p)
        if p.title and word_of(p.title[0]).is_("relation"):
            self._relative(p)
        return self._finish(p)

    # -- the steps of ``phrase`` -----------------------------------------------------------

    def _begin(self, k: int, j: int, glued: bool) -> _Parse:
        """The head word, and whether a name link follows it («سلطان بن سحيم», «سلطان_بن»):
        then the head is a first name even when it is also a title word."""
        toks = self.toks
        head = unglue(toks[k]) if glued else toks[k]
        nxt = k + 1
        while nxt < j and toks[nxt].text == "_":
            nxt += 1
        return _Parse(start=k, k=k, j=j, head=head, first_name=nxt < j and self.name_link(toks[nxt]))

    def _at(self, p: _Parse, k: int) -> Token:
        """Token k of the phrase: the head (unglued) at the start, else the document's token."""
        return p.head if k == p.start else self.toks[k]

    def _entity(self, k: int) -> str:
        """The type of the entity mention NER found starting at token k, or ""."""
        return (self.mention_end(k) or ("", ""))[1]

    def _title_head(self, p: _Parse) -> None:
        """A title or body word opens a title chain («وزير الخارجية التركي», «وزارة الخارجية»);
        a body word that is no title makes the phrase a body."""
        head = p.head
        if not (self.title_word(head) or self.body_word(head)) or p.first_name:
            return
        p.kind = "body" if self.body_word(head) and not self.title_word(head) else "person"
        p.title.append(head)
        p.k = self._title_chain(p.k + 1, p.j, p.title, construct=p.kind == "body" or not self._article(head))

    def _entities_in_title(self, p: _Parse) -> None:
        """A body or place NER found after the title belongs to it, and the chain goes on:
        «رئيس كتلة الحرة لحركة مشروع تونس بمجلس نواب الشعب عبد الرؤوف الشريف»."""
        toks = self.toks
        while p.title and p.k < p.j and self._entity(p.k) in ("LOC", "ORG"):
            m_end = self.mention_end(p.k)[0]
            while p.k < p.j and toks[p.k].start < m_end:
                p.title.append(toks[p.k])
                p.k += 1
            p.k = self._title_chain(p.k, p.j, p.title, construct=False)

    def _unnamed_source(self, p: _Parse) -> bool:
        """«مصدر عسكري أردني»: an indefinite title with no name after it (a single plural
        title may still be followed by a name: «مسؤولون ...»)."""
        if not p.title or p.kind != "person" or self._definite_chain(p.title):
            return False
        return not (p.k < p.j and self._name_start(self.toks[p.k]) and len(p.title) == 1 and not self.plural(p.head))

    def _source_description(self, p: _Parse) -> None:
        """An unnamed source's description runs on a little through adjectives and prepositional
        phrases («مصدر عسكري أردني مخول له», «مصادر مطلعة على الأمر»), and the phrase ends there."""
        toks = self.toks
        p.kind = "source"
        k, j = p.k, p.j
        while k < j and len(p.title) < SOURCE_WORDS_MAX:
            t = toks[k]
            if word_of(t).is_("source_preposition") and k + 1 < j and not self.hard_stop(toks[k + 1]):
                p.title.extend(toks[k:k + 2])  # «مصادر مطلعة على الأمر», «ضباط في الجيش الروسي»
                k += 2
                continue
            if not self._describes_source(t, toks[k + 1] if k + 1 < j else None):
                break
            p.title.append(t)
            k += 1
        p.k = p.j = k

    def _describes_source(self, t: Token, nxt: Token | None) -> bool:
        """An adjective (a nisba, a feminine, «لـ»/«بـ» + noun) or a noun a glued preposition
        follows goes on describing a source; a title or a noun starting the object does not
        («مصادر طبية فلسطينية سقوط ...»)."""
        w = word_of(t)
        if self.hard_stop(t) or ((w.prep or w.loose_prep) == "ل" and w.pronoun_end) \
                or (self.title_word(t) and not w.definite):
            return False
        adjective = w.nisba or w.feminine or self._preposition(t)
        return adjective or (nxt is not None and self.glued_preposition(nxt))

    def _comma_after_title(self, p: _Parse) -> None:
        """A definite title, a comma, then the name («رئيس الهيئة الوطنية لمكافحة الفساد، شوقي
        الطبيب،») or a one-word title before it («المتحدث باسم الحكومة، الدكتور محمد المومني،»)."""
        toks = self.toks
        k, j = p.k, p.j
        if not (p.title and k + 1 < j and toks[k].text in SKIP_PUNCT and self._definite_chain(p.title)):
            return
        if self._name_start(toks[k + 1]):
            p.k += 1
        elif self.title_word(toks[k + 1]) and not self.body_word(toks[k + 1]):
            inner = self.phrase(k + 1, j)
            if inner.kind == "person" and inner.name and inner.title and len(inner.title.split()) == 1:
                p.title.extend(toks[k + 1:k + 2])
                p.k += 2

    def _hashtag_name(self, p: _Parse) -> None:
        """«الشيخ #سلطان_بن_سحيم»: a hashtag name after its title."""
        if p.title and p.k + 1 < p.j and self.toks[p.k].text == "#" and self.is_word(self.toks[p.k + 1]):
            p.k += 1

    def _bounded_name(self, p: _Parse) -> None:
        """NER says where the name ends («وانتقد بنس سرقة ...» → «بنس»), and the phrase ends
        with it. A place after a preposition is not who speaks («بكوريا الجنوبية»): the phrase
        ends there; a country as the subject speaks for its government («وقالت الولايات المتحدة»)."""
        toks = self.toks
        bound = self.mention_end(p.k) if p.k < p.j else None
        if bound is None:
            return
        if bound[1] == "LOC" and not p.title:
            if self._preposition(p.head) or word_of(p.head).prep:
                p.j = p.k
                return
            p.kind = "body"
            bound = (bound[0], "ORG")
        if bound[1] not in ("PER", "ORG") or (p.title and bound[1] == "ORG"):
            return
        while p.k < p.j:
            while p.k < p.j and toks[p.k].start < bound[0]:
                p.name.append(self._at(p, p.k))
                p.k += 1
            bound = self._bound_goes_on(p)
            if bound is None:
                break
        p.j = p.k

    def _bound_goes_on(self, p: _Parse) -> tuple[int, str] | None:
        """Where a name goes on after the end NER gave it, or None. NER often stops early:
        «عبدالعزيز بن عبدالله آل [الشيخ]», «مارسيلو [بييلسا]», «سيرغي #لافروف»."""
        toks = self.toks
        k, j = p.k, p.j
        if k < j and p.name and self.name_link(p.name[-1]) and self.is_word(toks[k]):
            return toks[k].end, "PER"
        if k + 1 < j and self.name_link(toks[k]) and self.is_word(toks[k + 1]):
            return toks[k + 1].end, "PER"
        if k + 1 < j and toks[k].text in ("#", "_") and self.is_word(toks[k + 1]):
            p.k += 1  # the hashtag spelling goes on with the name
            return self.mention_end(p.k) if self._entity(p.k) == "PER" else (toks[p.k].end, "PER")
        if k < j and self._entity(k) == "PER":
            return self.mention_end(k)
        if (k < j and len(p.name) == 1 and self._name_start(toks[k]) and not self.common_word(toks[k])
                and not self._article(toks[k])):
            return toks[k].end, "PER"
        return None

    def _name_words(self, p: _Parse) -> None:
        """The words of the name, up to what cannot be part of one (``_name_goes_on``)."""
        toks = self.toks
        while p.k < p.j and len(p.name) < NAME_WORDS_MAX:
            if toks[p.k].text in ("#", "_") and p.name and p.k + 1 < p.j and self.is_word(toks[p.k + 1]):
                p.k += 1  # «سيرغي #لافروف», «سلطان_بن_سحيم»: hashtag spellings inside a name
            t = self._at(p, p.k)
            if not self._name_goes_on(p, t):
                break
            p.name.append(t)
            p.k += 1

    def _name_goes_on(self, p: _Parse, t: Token) -> bool:
        """Whether ``t`` continues the name: a link word takes the next word («آل الشيخ»);
        another entity, the object, a stop word, an apposed title, a body do not."""
        name = p.name
        if name and self.mention_end(p.k) is not None and self._entity(p.k) != "PER":
            return False  # «بوتين موسكو»: another entity starts
        if (name and p.kind == "person" and not self._article(t) and not self._article(name[0])
                and not self.name_link(name[-1]) and not self.name_link(t) and self.common_word(t)):
            return False  # «ونفى نتنياهو ارتكاب ...»: the object, not the name
        if name and self.name_link(name[-1]) and self.is_word(t):
            return True  # «آل الشيخ», «بن عبدالله»
        w = word_of(t)
        if self.hard_stop(t) or self.glued_preposition(t) or (w.conj and (w.definite or w.pronoun_end)):
            return False  # «والرئيس», «وتقنياتها»: a conjunct starts, not a name word
        if len(name) >= 2 and self._preposition(t):
            return False  # «نبيل أبو ردينة لوسائل إعلام»: a preposition after a full name
        if self._apposed_title(p, t) or (name and self.body_word(t)):
            return False
        if name and self._article(name[-1]) and not w.definite \
                and not (len(name) >= 2 and self._word_is(name[-1], "compound_second")):
            return self._unlisted_title(p, t) and not self._source_adjective(p, t)
        return not self._source_adjective(p, t)

    def _source_adjective(self, p: _Parse, t: Token) -> bool:
        """«مسؤول فلسطيني»: a nisba right after an indefinite title describes an unnamed source;
        it is not a name."""
        return (not p.name and bool(p.title) and p.kind == "person" and not self._definite_chain(p.title)
                and word_of(t).nisba)

    def _apposed_title(self, p: _Parse, t: Token) -> bool:
        """«خالد الزيلعي لاعب التعاون»: a title after the name is apposed, not part of it,
        unless it is the family name ending the phrase («محمد الرئيس»)."""
        name = p.name
        if not self.title_word(t) or not (name or not p.title) or (p.first_name and not name):
            return False
        nxt = self.toks[p.k + 1] if p.k + 1 < len(self.toks) else None
        ends = nxt is None or not self.is_word(nxt) or self.hard_stop(nxt)
        surname = (len(name) == 1 and self._article(t)) or (len(name) > 1 and self.name_link(name[-2]))
        return not (surname and ends)

    def _unlisted_title(self, p: _Parse, t: Token) -> bool:
        """After a family name («النجيمي غرد») a name does not go on, except when the definite
        words were a title we do not list, and two name words follow: «المهاجم الفرنسي أنطوان
        غريزمان». Then those words become the title and the name starts at ``t``."""
        k = p.k
        if not p.title and all(self._article(x) for x in p.name) and self._name_start(t) \
                and k + 1 < p.j and self._name_start(self.toks[k + 1]):
            p.title, p.name = p.name, []
            p.kind = "person"
            return True
        return False

    def _apposed_speaker(self, p: _Parse) -> None:
        """«مستشار ترمب للأمن القومي، جون بولتون،»: the first name belongs to the title, the
        person named after the comma is the speaker."""
        toks = self.toks
        k, j = p.k, p.j
        m = k
        while m < j and (self.glued_preposition(toks[m]) or (self._article(toks[m]) and not self.hard_stop(toks[m]))):
            m += 1
        if not (m > k and m + 1 < j and toks[m].text in SKIP_PUNCT and self._entity(m + 1) == "PER"):
            return
        apposed = self.phrase(m + 1, j)
        if apposed.kind == "person" and apposed.name and not apposed.title:
            p.title = p.title + p.name + list(toks[k:m])
            p.name = [t for t in toks[m + 1:apposed.tok_end] if self.is_word(t)]
            p.k = apposed.tok_end

    def _relative(self, p: _Parse) -> None:
        """«زوجة الرئيس السوري بشار الأسد، أسماء الأسد»: a relation's title takes the name it
        governs; the relative is the one named after a comma, or else no one named."""
        toks = self.toks
        k, j = p.k, p.j
        if k + 1 < j and toks[k].text in SKIP_PUNCT and self._name_start(toks[k + 1]):
            rel = self.phrase(k + 1, j)
            if rel.name and rel.kind == "person" and not rel.title:
                p.title = p.title + p.name
                p.name = [t for t in toks[k + 1:rel.tok_end] if self.is_word(t)]
                p.k = rel.tok_end
        else:
            p.title, p.name = p.title + p.name, []

    def _finish(self, p: _Parse) -> NounPhrase:
        """The phrase from its parts: a body's words are its name; a person with no name is a
        title when definite («الوزير»), else a source («مسؤول»); then gender and number."""
        text = self.doc.text
        head_tok = p.title[0] if p.title else (p.name[0] if p.name else p.head)
        # «وزير الخارجية» is definite through its genitive
        is_definite = (self._article(head_tok) or (bool(p.title) and self._definite_chain(p.title))
                       or self.possessed_title(head_tok))
        if not p.title and not p.name:
            p.name = [p.head]
            p.k = p.start + 1
        if not p.name:
            if p.kind == "person":
                p.kind = "title" if is_definite else "source"
        elif p.kind == "body":
            p.name = p.title + p.name
            p.title = []
        title, name = p.title, p.name
        if not title and len(name) == 1 and self._article(name[0]) and self.function_word(name[0]):
            p.kind = "source"
        parts = title + name
        gender_tok = head_tok
        if len(title) > 1 and self._word_is(head_tok, "honorific"):
            gender_tok = title[1]  # «سماحة المفتي»: the honorific is feminine, the man is not
        gender, number = self._agreement(gender_tok, p.kind)
        title_key = " ".join(self._key_word(t) for t in title) or None
        return NounPhrase(parts[0].start, parts[-1].end, p.k,
                          text[title[0].start:title[-1].end] if title else None,
                          text[name[0].start:name[-1].end] if name else None,
                          p.kind, gender, number, title_key, is_definite)

    @staticmethod
    def _key_word(t: Token) -> str:
        """A title word for coreference: without its conjunction and article («والرئيس» → رييس),
        else as written («للأمن», «فلسطينيون»: a preposition keeps the genitive apart)."""
        w = word_of(t)
        return w.base if w.definite and not w.prep else t.norm

    def _title_chain(self, k: int, j: int, out: list[Token], construct: bool) -> int:
        """Words that continue a title: «وزير الخارجية التركي», «المتحدث باسم البيت الأبيض».

        ``construct``: the head is in construct («نادي التعاون», «لنادي اشبيلية»), so a proper
        noun may follow it. Appends to ``out``; returns the token after the chain."""
        c = _Chain(k, j, out, construct)
        while c.k < c.j and self._chain_step(c):
            pass
        return c.k

    def _chain_step(self, c: _Chain) -> bool:
        """Take the next token(s) into the chain, or say it ends (False)."""
        t = self.toks[c.k]
        if self._chain_spelling(c, t):
            return True
        if not self.is_word(t):
            return self._chain_quoted(c)
        w = word_of(t)
        if w.conj and not (w.definite or w.is_("body")):
            return self._chain_conjoined(c, t, w)
        return self._chain_word(c, t, w)  # «هيئة كبار العلماء وإدارة البحوث العلمية والإفتاء»

    def _chain_conjoined(self, c: _Chain, t: Token, w: Word) -> bool:
        """A word with «و» that is neither definite nor a body: only a cue or complementizer
        ends the chain at it; otherwise it goes on as an adjective or a proper noun would."""
        if w.classes & STOP_CLASSES or w.is_("title_link"):
            return False
        if w.nisba and not any(self._article(x) for x in c.out):
            return c.take(t)
        return c.proper_ok and c.take(t, proper_ok=False)

    def _chain_spelling(self, c: _Chain, t: Token) -> bool:
        """Tokens that are how the chain is written, not words of it: «الاتحاد_الأوروبي» (a
        hashtag), «د.محمد المومني» (an abbreviation); and a body or place NER found stays in the
        title whole: «رئيس كتلة الحرة لحركة مشروع تونس ...»."""
        toks, k, j, out = self.toks, c.k, c.j, c.out
        if t.text == "_" and out and k + 1 < j and self.is_word(toks[k + 1]):
            c.k += 1
            return True
        mention = self.mention_end(k)
        if mention is not None and mention[1] in ("ORG", "LOC") and out:
            while c.k < j and toks[c.k].start < mention[0]:
                out.append(toks[c.k])
                c.k += 1
            c.proper_ok = False
            return True
        if t.text == "." and out and len(out[-1].norm) == 1 and k + 1 < j and self.is_word(toks[k + 1]):
            c.k += 1
            return True
        return False

    def _chain_quoted(self, c: _Chain) -> bool:
        """«هيئة "أونيمي" للطوارئ»: a short quoted name inside a title; other marks end it."""
        toks, k, j = self.toks, c.k, c.j
        if toks[k].text not in OPEN_MARKS or not c.out:
            return False
        m = k + 1
        while m < j and toks[m].text not in CLOSE_MARKS and m - k < QUOTED_BODY_REACH:
            m += 1
        if m < j and toks[m].text in CLOSE_MARKS:
            c.out.extend(x for x in toks[k + 1:m] if self.is_word(x))
            c.k = m + 1
            return True
        return False

    def _chain_word(self, c: _Chain, t: Token, w: Word) -> bool:
        """A word of the title (``w``: its analysis; a conjunction before it is a definite or
        body word's) continues it, or ends it: a complementizer, a cue, a time word, most
        function words."""
        out = c.out
        if w.is_("title_link") and c.k + 1 < c.j:
            return c.take(t, proper_ok=True)  # «المتحدث باسم ...»
        if w.is_("complementizer") or w.is_("cue"):
            return False
        if w.is_("title_modifier") and (self.title_word(out[-1]) or word_of(out[-1]).is_("title_modifier")):
            return c.take(t)  # «مفتي عام المملكة», «الأمين العام», «الرئيس السابق»
        if w.is_("time"):
            return False
        if self.function_word(t):
            return self._chain_preposition(c, w)
        if (w.definite and not w.prep) or self.title_word(t) or (w.is_("body") and not w.prep):
            # only a body word in construct («نادي», not «الرئاسة») takes a proper noun after it
            return c.take(t, proper_ok=w.is_("body") and not w.definite)
        if (self.glued_preposition(t) or (w.loose_prep == "ل" and self._definite_chain(out))) \
                and not w.pronoun_end:  # «الشركة لزبائنها»: an addressee
            # «المدير التنفيذي لسوق عكاظ», «الهيئة الوطنية لمكافحة الفساد»;
            # «لسوق» takes «عكاظ», «للانتخابات» nothing
            return c.take(t, proper_ok=not w.definite)
        if w.nisba and not any(self._article(x) for x in out):
            return c.take(t)  # «مصدر أمني يمني»
        if c.proper_ok:
            return c.take(t, proper_ok=False)
        return False

    def _chain_preposition(self, c: _Chain, w: Word) -> bool:
        """«مكتب رعاية الشباب في جدة», «مصادر في الشرطة»: «في» and its noun stay in a body's
        title or an indefinite one; any other function word ends the chain."""
        toks, k, j, out = self.toks, c.k, c.j, c.out
        if w.is_("title_preposition") and k + 1 < j \
                and (self.body_word(out[0]) or not self._definite_chain(out)) \
                and self.is_word(toks[k + 1]) and not self.hard_stop(toks[k + 1]):
            out.extend(toks[k:k + 2])
            c.proper_ok = self.body_word(toks[k + 1]) and not self._article(toks[k + 1])
            c.k += 2
            return True
        return False

    def plural(self, tok: Token) -> bool:
        w = word_of(tok)
        return w.is_("group") or w.plural == "m"

    def _definite_chain(self, title_toks: list[Token]) -> bool:
        """«وزير الخارجية» and «رئيس أفغانستان» are definite through their genitive;
        «مسؤول فلسطيني» and «مصادر مطلعة» are not (an adjective follows)."""
        if self._article(title_toks[0]) or self.possessed_title(title_toks[0]):
            return True
        if len(title_toks) < 2:
            return False
        for t in title_toks[1:]:
            if self.function_word(t):
                break  # «مصادر مطلعة في الهند»: what follows في does not make the head definite
            if self._article(t) or self.title_word(t) or self.body_word(t):
                return True  # «وزير الخارجية», «سماحة مفتي عام المملكة», «أمين منطقة جازان»
        second = word_of(title_toks[1])
        # a proper noun genitive after a singular head: «رئيس أفغانستان»; not an adjective
        # (a nisba, a feminine, a plural: «مسؤول فلسطيني», «مصادر مطلعة»)
        return not self.plural(title_toks[0]) and not (second.nisba or second.feminine or second.plural)

    def _name_start(self, tok: Token) -> bool:
        return (self.is_word(tok) and not self.hard_stop(tok) and not self._article(tok)
                and not self.glued_preposition(tok) and not self.title_word(tok) and not self.body_word(tok))

    def _agreement(self, head: Token, kind: str) -> tuple[str, str]:
        """(gender, number) of a phrase from its head word: a plural or dual, a feminine ة."""
        w = word_of(head)
        if w.plural == "m" or w.is_("group") or w.dual:
            return "m", "pl"
        if w.plural == "f":
            return "f", "pl"
        if w.feminine or (kind == "body" and w.base.endswith("ه") and not w.pronoun_end):
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
            if word_of(toks[k]).is_("verb_particle"):
                k += 1
                verb_next = True
            else:
                # a fronted phrase («من جهته،», «وفي بيان،») ends at the first comma
                m = k
                while m < last and m - k < FRONTED_MAX and toks[m].text not in SKIP_PUNCT:
                    m += 1
                if m >= last or m - k >= FRONTED_MAX:
                    return None
                k = m + 1
                verb_next = True
        if k >= last:
            return None
        t = toks[k]
        if self.function_word(t):
            return None
        if self._article(t) or self.title_word(t) or self.body_word(t):
            return self.phrase(k, min(last, k + SUBJECT_WINDOW))
        if verb_next or word_of(t).conj == "و":  # a verb: the subject follows
            return self.subject_after_cue(k + 1, min(last, k + SUBJECT_WINDOW))
        return None
