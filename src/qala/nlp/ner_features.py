"""CRF features for Arabic named entities, over clitic-split sub-tokens.

An Arabic word carries its conjunction and preposition: «وبموسكو» is و + ب + موسكو, and
a mention starts after them (news_dev conventions). ``proclitic_length`` decides how many
letters to split off, from a small rule and the training vocabulary; ``SentenceFeatures``
then describes each sub-token by its folded form, its form without ال, affixes, shape,
trigger words (titles, organization and place heads), gazetteer membership and the same
for its neighbours. All word lists are files in ``qala/lang/ar`` that code only reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from qala.nlp import langdata
from qala.nlp.clitics import bare
from qala.nlp.lexicon import lexicon
from qala.nlp.ner_clusters import load_clusters
from qala.nlp.normalize import DELETED_CHARS, fold
from qala.nlp.words import analyse

TYPES = ("PER", "ORG", "LOC", "MISC")
CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"
PROCLITICS = CONJUNCTIONS + PREPOSITIONS
GAZETTEER_FILES = {"LOC": "gazetteer_loc.txt", "ORG": "gazetteer_org.txt", "PER": "gazetteer_per.txt"}
FIRST_NAMES_FILE = "gazetteer_first_names.txt"
COUNTRIES_FILE = "gazetteer_countries.txt"
VOCABULARY_FILE = "ner_vocabulary.tsv"
TRIGGERS_FILE = "ner_triggers.tsv"
_MAX_GAZETTEER_WORDS = 8
CONTEXT = (-2, -1, 1, 2)  # the neighbours a word lends its features to


@dataclass(slots=True)
class NerResources:
    """What features and clitic splitting know: word counts, gazetteer names, trigger words.

    ``gazetteer`` maps a tuple of folded words to its type; ``vocabulary`` counts folded
    whitespace words of the training texts.
    """

    vocabulary: Mapping[str, int]
    gazetteer: Mapping[tuple[str, ...], str]
    first_names: frozenset[str] = frozenset()
    triggers: Mapping[str, str] = field(default_factory=dict)
    function_words: frozenset[str] = frozenset()
    cues: frozenset[str] = frozenset()
    first_words: frozenset[str] = frozenset()
    clusters: Mapping[str, tuple[str, ...]] | None = None  # None: the shipped clusters; {}: none

    def __post_init__(self) -> None:
        if self.clusters is None:
            self.clusters = load_clusters()
        if not self.triggers:
            self.triggers = load_triggers()
        if not self.function_words:
            lex = lexicon()
            self.function_words = lex.function_words
            self.cues = frozenset(lex.cues)
        self.first_words = frozenset(name[0] for name in self.gazetteer)


_data_lines = langdata.lines


strip_article = bare  # the folded word without its ال: «الرئيس» -> «رئيس»; «الى» keeps it


@cache
def load_triggers() -> dict[str, str]:
    """Folded head word (without ال) -> PER | ORG | LOC | MISC | TITLE."""
    lex = lexicon()
    triggers: dict[str, str] = {}
    for word in lex.titles:
        triggers[strip_article(word)] = "TITLE"
    for word in lex.bodies:
        triggers[strip_article(word)] = "ORG"
    for line in _data_lines(TRIGGERS_FILE):
        word, _, kind = line.partition("\t")
        word = strip_article(fold(word.strip()))
        triggers[word] = kind.strip()
        if word.endswith("ه"):
            triggers.setdefault(word[:-1], kind.strip())
    return triggers


def read_gazetteer(lines: Iterable[str], kind: str, into: dict[tuple[str, ...], str]) -> None:
    """Add folded names to ``into``; a name already there keeps its first type."""
    for line in lines:
        words = tuple(fold(line).split())
        if words and len(words) <= _MAX_GAZETTEER_WORDS:
            into.setdefault(words, kind)


def load_countries() -> dict[tuple[str, ...], str]:
    """Folded country and territory names (``scripts/build_gazetteers.py``) -> ``LOC``."""
    gazetteer: dict[tuple[str, ...], str] = {}
    read_gazetteer(_data_lines(COUNTRIES_FILE), "LOC", gazetteer)
    return gazetteer


@cache
def load_resources() -> NerResources:
    """The shipped resources of ``qala/lang/ar``, loaded once."""
    gazetteer = load_countries()
    for kind, name in GAZETTEER_FILES.items():
        read_gazetteer(_data_lines(name), kind, gazetteer)
    vocabulary: dict[str, int] = {}
    for line in _data_lines(VOCABULARY_FILE):
        word, _, count = line.partition("\t")
        vocabulary[word] = int(count or 1)
    first_names = frozenset(fold(w) for w in _data_lines(FIRST_NAMES_FILE))
    return NerResources(vocabulary, gazetteer, first_names)


def _plausible_remainder(word: str, rest: str, vocabulary: Mapping[str, int]) -> bool:
    if rest.startswith("ال") and len(rest) >= 4:  # و+الرئيس، ب+القاهرة
        return True
    if word.startswith("لل") and len(word) >= 4:  # للأمم = ل + (ا)لأمم
        return True
    known = vocabulary.get(rest, 0)
    return known >= 2 and known >= vocabulary.get(word, 0)


def proclitic_length(norm: str, vocabulary: Mapping[str, int]) -> int:
    """How many leading letters of folded ``norm`` are proclitics to split off (0, 1 or 2).

    A conjunction (و ف) and then a preposition (ب ل ك) are split when what remains is a
    plausible word: it starts with ال, or the vocabulary knows it at least as often as the
    whole word. An unknown word after و is split too when four letters remain.
    ``proclitic_length("وبالقاهره", vocab) == 2``, ``proclitic_length("وزير", vocab) == 0``.
    """
    n = 0
    word = norm
    if len(word) > 3 and word[0] in CONJUNCTIONS:
        rest = word[1:]
        if _plausible_remainder(word, rest, vocabulary) or (
            word[0] == "و" and len(rest) >= 4 and word not in vocabulary and rest[0] != "و"
        ):
            n, word = 1, rest
    if len(word) > 3 and word[0] in PREPOSITIONS and _plausible_remainder(word, word[1:], vocabulary):
        n += 1
    return n


def split_proclitics(norm: str, vocabulary: Mapping[str, int]) -> list[tuple[int, int, str, bool]]:
    """Sub-tokens of a folded word as ``(start, end, form, is_clitic)`` in letters of ``norm``.

    The remainder of a لل contraction gets its ا back as its form, so it looks like the
    word with ال: ``split_proclitics("وللامم", vocab)`` ->
    ``[(0, 1, "و", True), (1, 2, "ل", True), (2, 6, "الامم", False)]``.
    """
    n = proclitic_length(norm, vocabulary)
    if not n:
        return [(0, len(norm), norm, False)]
    pieces = [(i, i + 1, norm[i], True) for i in range(n)]
    rest = norm[n:]
    if norm[n - 1] == "ل" and rest.startswith("ل"):
        rest = "ا" + rest
    pieces.append((n, len(norm), rest, False))
    return pieces


def raw_index(text: str, letters: int) -> int:
    """Index in ``text`` just after its first ``letters`` folded chars and their diacritics."""
    i = 0
    n = len(text)
    while letters and i < n:
        if text[i] not in DELETED_CHARS:
            letters -= 1
        i += 1
    while i < n and text[i] in DELETED_CHARS:
        i += 1
    return i


def _shape(word: str) -> str:
    if not word:
        return "E"  # a lone tatweel or diacritic
    ch = word[0]
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u08ff":
        return "A"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        if word.isupper() and len(word) > 1:
            return "LU"
        return "LC" if ch.isupper() else "L"
    if ch.isalpha():
        return "X"
    return "P"


class SentenceFeatures:
    """Feature lists for sequences of ``(folded word, is_clitic)`` sub-tokens.

    Word-intrinsic features are memoized per form: the same few thousand words make up
    most of any text, so extraction cost is mostly list concatenation.
    """

    __slots__ = ("resources", "_memo")
    _CONTEXT = CONTEXT

    def __init__(self, resources: NerResources) -> None:
        self.resources = resources
        self._memo: dict[tuple[str, bool], tuple[list[str], dict[int, list[str]]]] = {}

    def _word(self, norm: str, clitic: bool) -> tuple[list[str], dict[int, list[str]]]:
        key = (norm, clitic)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        hit = self.word_features(norm, clitic)
        if len(self._memo) > 200_000:  # bounded: a long-running server sees endless rare words
            self._memo.clear()
        self._memo[key] = hit
        return hit

    def word_features(self, norm: str, clitic: bool) -> tuple[list[str], dict[int, list[str]]]:
        """A word's own features and those it lends the neighbour at each offset of ``CONTEXT``
        (not memoized: the fast tagger keeps only their weight sums)."""
        res = self.resources
        low = norm.lower()
        stem = strip_article(low)
        shape = _shape(norm)
        own = ["b", "w=" + low, "sh=" + shape, f"len={min(len(stem), 9)}"]
        near = ["w=" + low, "sh=" + shape]
        if clitic:
            own.append("clitic")
            near.append("clitic")
        if stem is not low:
            own += ["al", "st=" + stem]
            near += ["al", "st=" + stem]
        if shape == "A" and not clitic:
            own += [
                "p1=" + stem[:1],
                "p2=" + stem[:2],
                "p3=" + stem[:3],
                "s1=" + stem[-1:],
                "s2=" + stem[-2:],
                "s3=" + stem[-3:],
            ]
            near.append("s2=" + stem[-2:])
        trigger = res.triggers.get(stem)
        if trigger:
            own.append("tr=" + trigger)
            near.append("tr=" + trigger)
        if low in res.first_names:
            own.append("fname")
            near.append("fname")
        if low in res.function_words:
            own.append("fw")
            near.append("fw")
        if low in res.cues:
            own.append("cue")
            near.append("cue")
        if not clitic and res.clusters:
            ids = res.clusters.get(low)
            if ids is None and shape == "A":  # another clitic reading: the word layer's stem
                ids = res.clusters.get(analyse(low).stem)
            if ids:
                own += [f"c{k}={c}" for k, c in enumerate(ids)]
                near += [f"c{k}={c}" for k, c in enumerate(ids[:2])]
        known = res.vocabulary.get(low, 0)
        own.append("freq=" + ("0" if known == 0 else "1" if known < 5 else "2" if known < 50 else "3"))
        return own, {k: [f"{k}:{f}" for f in near] for k in self._CONTEXT}

    def gazetteer_tags(self, words: Sequence[str]) -> list[str | None]:
        """``B-LOC``/``I-LOC``... per word from the longest gazetteer match, left to right."""
        res = self.resources
        tags: list[str | None] = [None] * len(words)
        first = res.first_words
        gazetteer = res.gazetteer
        i, n = 0, len(words)
        while i < n:
            if words[i] in first:
                for j in range(min(n, i + _MAX_GAZETTEER_WORDS), i, -1):
                    kind = gazetteer.get(tuple(words[i:j]))
                    if kind is not None:
                        tags[i] = "B-" + kind
                        for k in range(i + 1, j):
                            tags[k] = "I-" + kind
                        i = j - 1
                        break
            i += 1
        return tags

    def __call__(self, items: Sequence[tuple[str, bool]]) -> list[list[str]]:
        n = len(items)
        words = [self._word(norm, clitic) for norm, clitic in items]
        gaz = self.gazetteer_tags([norm for norm, _ in items])
        # per offset k, the features word j lends to its neighbour j - k (with its gazetteer tag)
        lend = {}
        for k in self._CONTEXT:
            row = []
            for j in range(n):
                f = words[j][1][k]
                row.append(f + [f"{k}:gz={gaz[j]}"] if gaz[j] else f)
            lend[k] = row
        m2, m1, p1, p2 = lend[-2], lend[-1], lend[1], lend[2]
        out = []
        for i in range(n):
            feats = words[i][0] + (m1[i - 1] if i else ["BOS"]) + (p1[i + 1] if i + 1 < n else ["EOS"])
            if i >= 2:
                feats += m2[i - 2]
            if i + 2 < n:
                feats += p2[i + 2]
            if gaz[i]:
                feats.append("gz=" + gaz[i])
            if i:
                feats.append("bi=" + items[i - 1][0] + "|" + items[i][0])
            out.append(feats)
        return out
