"""The word layer: each token's clitics, base form and word classes, worked out once.

Arabic writes conjunctions, prepositions, the article and pronouns onto the word:
«وللحكومة» is و + ل + ال + حكومة, «ومتحدثها» is و + متحدث + ها. Every rule reads this
analysis (``tok.word``) instead of stripping letters itself, so there is one clitic rule
with one set of thresholds, and one place that says which words are titles, bodies,
places, function words, time words, complementizers, name links or cues (``lang/ar``).

>>> w = analyse("وللحكومه", "وللحكومة")
>>> (w.conj, w.prep, w.definite, w.base)
('و', 'ل', True, 'حكومه')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qala.nlp.clitics import (
    CONJUNCTIONS,
    MIN_AFTER_PROCLITIC,
    MIN_BEFORE_SUFFIX,
    PRONOUN_SUFFIXES,
    bare,
    definite,
)
from qala.nlp.doc import Doc, Token
from qala.nlp.lexicon import CueForm, Lexicon, cue_form, lexicon

PREPOSITIONS = "بلك"  # glued onto a known word or an article: «بالحكومة», «كالعادة», «لوزير»
DUAL_PLURAL = ("ان", "ين", "ون")  # «مسؤولان», «مسؤولين», «المتحدثون»: a title in the dual or plural


@dataclass(frozen=True, slots=True)
class Word:
    """One token's analysis; ``stem`` keeps the article, ``base`` drops it.

    ``«والمتحدثون»`` → conj و, stem «المتحدثون», base «متحدثون», definite, classes {title}."""

    conj: str  # و | ف | ""
    prep: str  # ب | ل | ك | "" (glued onto the word: «لوزير», «بالقول», «للمتحدث»)
    definite: bool  # the article, written (الـ) or inside لل
    stem: str  # the folded word without its conjunction and preposition
    base: str  # ``stem`` without the article
    suffix: str  # a pronoun suffix split off a known word («سماحته», «متحدثها»), else ""
    classes: frozenset[str]
    cue: CueForm | None
    feminine: bool  # written with a final ة (which ``fold`` makes ه)

    def is_(self, cls: str) -> bool:
        return cls in self.classes


# The word classes: the lexicon field each is read from, and whether its words are listed
# without their article (nouns: «رئيس» matches «الرئيس») or as written («الذي», «إن»).
CLASS_FIELDS: dict[str, tuple[str, bool]] = {
    "title": ("titles", True),
    "group": ("groups", True),
    "body": ("bodies", True),
    "place": ("place_heads", True),
    "document": ("documents", True),
    "relation": ("relations", True),
    "title_modifier": ("title_modifiers", True),
    "vague": ("vague_sources", True),
    "honorific": ("honorifics", True),
    "function": ("function_words", False),
    "time": ("time_words", False),
    "complementizer": ("complementizers", False),
    "name_link": ("name_links", False),
    "compound_second": ("compound_seconds", False),
}


def _classes_of(lex: Lexicon, stem: str, base: str) -> set[str]:
    """Classes of one reading of a word."""
    out = set()
    for cls, (field, noun) in CLASS_FIELDS.items():
        words = getattr(lex, field)
        if stem in words or (noun and base in words):
            out.add(cls)
    if "title" not in out and _inflected_title(lex, base):
        out.add("title")
    return out


def _inflected_title(lex: Lexicon, base: str) -> bool:
    """«مراسلة», «مسؤولان», «المتحدثون»: a listed title in the feminine, dual or plural."""
    if base.endswith("ه") and base[:-1] in lex.titles:
        return True
    return any(base.endswith(suf) and base[: -len(suf)] in lex.titles for suf in DUAL_PLURAL)


def _known(lex: Lexicon, form: str) -> bool:
    """Whether ``form`` as written is a listed word or a cue (then no clitic is split off)."""
    return bool(_classes_of(lex, form, bare(form))) or form in lex.cues


def _proclitics(lex: Lexicon, norm: str) -> tuple[str, str, str]:
    """(conjunction, preposition, stem): «وللحكومه» → (و, ل, الحكومه); «وزير» stays whole."""
    conj, rest = "", norm
    if rest[:1] in CONJUNCTIONS and len(rest) - 1 >= MIN_AFTER_PROCLITIC and not _known(lex, rest):
        conj, rest = rest[0], rest[1:]
    prep = ""
    if rest.startswith("لل") and len(rest) - 1 >= MIN_AFTER_PROCLITIC:
        prep, rest = "ل", "ا" + rest[1:]  # «للمتحدث» = ل + المتحدث
    elif (
        rest[:1] in PREPOSITIONS
        and len(rest) - 1 >= MIN_AFTER_PROCLITIC
        and not _known(lex, rest)
        and (rest[1:3] == "ال" or _known(lex, rest[1:]))
    ):
        prep, rest = rest[0], rest[1:]  # «بالقول», «لوزير»
    return conj, prep, rest


def _suffix(lex: Lexicon, stem: str, tail: str) -> str:
    """The pronoun on a title: «سماحته» (سماحة + ه), «ومتحدثها»; never a written ة."""
    for suf in PRONOUN_SUFFIXES:
        if tail.endswith(suf) and stem.endswith(suf) and len(stem) - len(suf) >= MIN_BEFORE_SUFFIX:
            head = stem[: -len(suf)]
            if head in lex.titles or (head.endswith("ت") and head[:-1] + "ه" in lex.titles):
                return suf
    return ""


def _tail(raw: str) -> str:
    """The last three letters as written (diacritics dropped): «حملة» ends in ة, «أكده» in ه."""
    letters = [ch for ch in raw[-8:] if ch.isalpha()]
    return "".join(letters[-3:])


def analyse(norm: str, raw: str = "") -> Word:
    """The analysis of a token with folded form ``norm``, written ``raw``."""
    return _analyse(norm, _tail(raw))


@lru_cache(maxsize=200_000)
def _analyse(norm: str, tail: str) -> Word:
    lex = lexicon()
    conj, prep, stem = _proclitics(lex, norm)
    is_definite = definite(stem)
    base = bare(stem)
    classes = _classes_of(lex, stem, base)
    suffix = "" if is_definite else _suffix(lex, stem, tail)
    if suffix:
        classes.add("possessed_title")
    cue = cue_form(norm, lex, tail)
    if cue is not None:
        classes.add("cue")
    if norm.isdigit():
        classes.add("number")
    return Word(conj, prep, is_definite, stem, base, suffix, frozenset(classes), cue, tail.endswith("ة"))


def word_of(tok: Token) -> Word:
    """``tok.word``, analysed now for a token made outside the word layer."""
    w = tok.word
    if w is None:
        w = tok.word = analyse(tok.norm, tok.text)
    return w


def add_words(doc: Doc) -> None:
    """Give every token its ``Word`` and every sentence its token range."""
    toks = doc.tokens
    for t in toks:
        t.word = _analyse(t.norm, _tail(t.text))
    k = 0
    for si, s in enumerate(doc.sentences):
        while k < len(toks) and toks[k].sent < si:
            k += 1
        first = k
        while k < len(toks) and toks[k].sent == si:
            k += 1
        s.tok_start, s.tok_end = first, k
