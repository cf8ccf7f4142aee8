"""Rules around the CRF: gazetteer places, organization heads, generic places.

The CRF learns from a few hundred news articles; what it cannot learn, a list can say:
«دوشنبيه» is the CLDR city «دوشانبي» spelled another way, «رابطة الدول المستقلة» is an
organization because رابطة heads it, «الدول الأوربية» names no place. Each rule works on
tokens and returns character spans; ``refine`` merges them with the CRF's mentions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

from qala.nlp import langdata
from qala.nlp.clitics import bare, skeleton
from qala.nlp.doc import Token
from qala.nlp.normalize import fold

Mention = tuple[int, int, str]
MAX_WORDS = 4
PROCLITICS = "وفبلك"


_lines = langdata.lines


_bare = bare
# Listed names written with ال («العراق»): only these match a word with the article, so that
# the adjective «المالي» ("financial") is not the country «مالي».
_DEFINITE_PLACES: set[tuple[str, ...]] = set()
# Word classes that never begin a person's name («الثلاثاء», «قال») or end it («الثلاثاء»). A
# title begins none when written with ال («الرئيس»); bare, it may be a name («سلطان», «إمام»),
# and at the end a surname («شوقي الطبيب»). Function words are left alone: folded «علي» is
# also على.
_NOT_NAME_START = frozenset({"time", "cue"})
_NOT_NAME_END = frozenset({"time"})
# A name never runs on over these: «سارة أحمد أن الميزانية» is «سارة أحمد»; a definite place
# head («أحمد يوسف المدينة») neither.
_NAME_STOPS = frozenset({"complementizer", "cue", "time"})


@cache
def _places() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], frozenset[str]]:
    """Exact names (folded words without ال) and one-word skeletons → type."""
    exact: dict[tuple[str, ...], str] = {}
    for name, kind in (("gazetteer_countries.txt", "LOC"), ("gazetteer_cities.txt", "LOC"),
                       ("gazetteer_places.txt", "LOC"), ("media.txt", "ORG")):
        for line in _lines(name):
            folded = fold(line).split()
            words = tuple(_bare(w) for w in folded)
            if words:
                exact.setdefault(words, kind)
                if folded[0] != words[0]:
                    _DEFINITE_PLACES.add(words)
    fuzzy: dict[tuple[str, ...], str] = {}
    for words, kind in exact.items():
        if len(words) == 1 and len(words[0]) >= 5:
            fuzzy.setdefault((skeleton(words[0]),), kind)
    return exact, fuzzy, frozenset(w[0] for w in exact)


@cache
def _heads() -> tuple[frozenset[str], frozenset[str]]:
    """Organization head words and generic place heads, folded, without ال."""
    from qala.nlp.lexicon import lexicon

    bodies = frozenset(_bare(w) for w in lexicon().bodies)
    places = frozenset(fold(w) for w in _lines("generic_places.txt"))
    return bodies, places


def _forms(tok: Token) -> tuple[tuple[int, str], ...]:
    """(chars skipped, folded form) readings of a token with and without a proclitic."""
    return _norm_forms(tok.norm)


@lru_cache(maxsize=1 << 16)
def _norm_forms(n: str) -> tuple[tuple[int, str], ...]:
    if len(n) > 4 and n[0] in PROCLITICS:
        if n.startswith("لل"):
            return (0, n), (1, "ا" + n[1:])  # «للأمم» → «الأمم», span from the second ل
        return (0, n), (1, n[1:])
    return ((0, n),)


@lru_cache(maxsize=1 << 16)
def _readings(n: str) -> tuple[tuple[int, str, bool], ...]:
    """(chars skipped, folded form without ال, written with ال) of each reading of ``_norm_forms``."""
    return tuple((skip, b, b is not form) for skip, form in _norm_forms(n) for b in (_bare(form),))


@lru_cache(maxsize=1 << 16)
def _variant_key(norm: str, shortest: int) -> tuple[int, str, str | None]:
    """(chars skipped, form, skeleton) of the token's last reading for spelling-variant
    matching; no skeleton for a form shorter than ``shortest`` or written with ال."""
    skip, first = _norm_forms(norm)[-1]
    if len(first) < shortest or first.startswith("ال"):
        return skip, first, None
    return skip, first, _skeleton(first)


@lru_cache(maxsize=1 << 16)
def _skeleton(word: str) -> str:
    return skeleton(word)


class _Words:
    """Per-document token readings, worked out once for all the list rules."""

    __slots__ = ("bares", "readings")

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.readings = [_readings(t.norm) for t in tokens]
        self.bares = [_bare(t.norm) for t in tokens]

    def starts(self, i: int, firsts: frozenset[str] | set[str]) -> bool:
        """Whether a reading of token i is the first word of a listed name."""
        r = self.readings[i]
        return r[0][1] in firsts or (len(r) > 1 and r[1][1] in firsts)


def _longest_match(tokens: Sequence[Token], i: int, names: dict[tuple[str, ...], str],
                   firsts: frozenset[str] | set[str], longest: int, blocked: list[bool] | None = None,
                   words: _Words | None = None,
                   definite: set[tuple[str, ...]] | None = None) -> tuple[int, int, str] | None:
    """(chars skipped, end token, type) of the longest listed name starting at token i; with
    ``definite``, a word written with ال matches only the names listed with it."""
    words = words or _Words(tokens)
    n = len(tokens)
    for skip, head, has_article in words.readings[i]:
        if head not in firsts:
            continue
        last = i + 1
        while last < min(n, i + longest) and tokens[last].sent == tokens[i].sent and not (blocked and blocked[last]):
            last += 1
        run = [head] + words.bares[i + 1:last]
        for j in range(last, i, -1):
            key = tuple(run[:j - i])
            kind = names.get(key)
            if kind is not None and not (definite is not None and has_article and key not in definite):
                return skip, j, kind
    return None


def gazetteer_mentions(tokens: Sequence[Token], words: _Words | None = None,
                       extended: set[Mention] | None = None) -> list[Mention]:
    """Places and media named in the lists, longest first, exact or by skeleton (one word)."""
    exact, fuzzy, firsts = _places()
    words = words or _Words(tokens)
    found: list[Mention] = []
    i, n = 0, len(tokens)
    while i < n:
        hit = None
        got = (_longest_match(tokens, i, exact, firsts, MAX_WORDS, None, words, _DEFINITE_PLACES)
               if words.starts(i, firsts) else None)
        if got is not None:
            skip, j, kind = got
            grown = j - i > 1 and j < n and tokens[j].sent == tokens[i].sent and _adjective(tokens[j].norm)
            if grown:
                j += 1  # «الشرق الأقصى الروسي»: a region with its nationality adjective
            hit = (tokens[i].start + skip, tokens[j - 1].end, kind, j)
            if grown and extended is not None:
                extended.add(hit[:3])
        else:
            # a spelling variant of a one-word place: «دوشنبيه» ~ «دوشانبي»; never a common word
            skip, first, key = _variant_key(tokens[i].norm, 6)
            kind = fuzzy.get((key,)) if key is not None and len(key) >= 4 else None
            if kind is not None and not _suffixed(tokens[i]) and not _common(first):
                hit = (tokens[i].start + skip, tokens[i].end, kind, i + 1)
        if hit:
            found.append(hit[:3])
            i = hit[3]
        else:
            i += 1
    return found


def _adjective(norm: str) -> bool:
    """A definite nisba adjective: «الروسي», «الأوروبية»."""
    return norm.startswith("ال") and norm.endswith(("ي", "يه")) and len(norm) > 5


def _common(form: str) -> bool:
    from qala.nlp.ner_features import load_resources

    return load_resources().vocabulary.get(form, 0) >= 20


def _suffixed(tok: Token) -> bool:
    """«رأسها», «دولها»: a pronoun suffix marks a common noun."""
    return tok.text.endswith(("ها", "هم", "هما", "كم"))


def organization_chains(tokens: Sequence[Token]) -> list[Mention]:
    """«منظمة معاهدة الأمن الجماعي», «رابطة الدول المستقلة»: a body head and its genitive chain."""
    bodies, _ = _heads()
    found: list[Mention] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        skip, form = _forms(tok)[-1] if tok.norm[:1] in PROCLITICS and _bare(tok.norm[1:]) in bodies else (0, tok.norm)
        if _bare(form) not in bodies or form.startswith("ال"):
            continue  # a definite head («الوزارة») refers back, it names nothing new
        j = i + 1
        while j < n and tokens[j].sent == tok.sent and j - i <= 6:
            t = tokens[j]
            if not t.text[:1].isalpha():
                break
            if t.norm in _function_words() and t.norm not in _time_words():
                break  # «شبكة روسيا اليوم الإخبارية»: a time word may sit inside a name
            if t.norm.startswith("ال") or (j == i + 1 and len(t.norm) > 2):
                j += 1
                continue
            break
        if j - i >= 3 or (j - i == 2 and tokens[i + 1].norm.startswith("ال")):
            found.append((tok.start + skip, tokens[j - 1].end, "ORG"))
    return found


@cache
def _function_words() -> frozenset[str]:
    from qala.nlp.lexicon import lexicon

    return lexicon().function_words


@cache
def _time_words() -> frozenset[str]:
    from qala.nlp.lexicon import lexicon

    return lexicon().time_words


def is_generic_place(text: str) -> bool:
    """«الدول الأوربية», «العالم الإسلامي»: a class of places, not a place."""
    _, generic = _heads()
    words = fold(text).split()
    return len(words) > 1 and words[0] in generic


def propagate(tokens: Sequence[Token], mentions: list[Mention], readings: _Words | None = None) -> list[Mention]:
    """One name, one reading per document: where a recognized name (or a spelling variant of a
    one-word name, «أوربا» for «أوروبا») recurs untagged, it is tagged the same."""
    known: dict[tuple[str, ...], str] = {}
    definite: set[tuple[str, ...]] = set()  # names seen with ال on their first word
    variants: dict[str, str] = {}
    starts = {t.start: i for i, t in enumerate(tokens)}
    for m in mentions:
        i = starts.get(m[0], starts.get(m[0] - 1))
        if i is None:
            continue
        first = tokens[i].norm[1:] if m[0] != tokens[i].start else tokens[i].norm  # after a proclitic
        words = (_bare(first),) + tuple(_bare(t.norm) for t in _tokens_until(tokens, i + 1, m[1]))
        if words and all(len(w) > 1 for w in words):
            known.setdefault(words, m[2])
            if words[0] is not first:
                definite.add(words)
            if len(words) == 1 and len(words[0]) >= 4 and len(_skeleton(words[0])) >= 3:
                variants.setdefault(_skeleton(words[0]), m[2])
    covered = [False] * len(tokens)
    for m in mentions:
        i = starts.get(m[0], starts.get(m[0] - 1))
        while i is not None and i < len(tokens) and tokens[i].start < m[1]:
            covered[i] = True
            i += 1
    firsts = frozenset(w[0] for w in known)
    added: list[Mention] = []
    longest = max((len(w) for w in known), default=0)
    readings = readings or _Words(tokens)
    i = 0
    while i < len(tokens):
        hit = None
        if not covered[i] and known:
            got = (_longest_match(tokens, i, known, firsts, longest, covered, readings, definite)
                   if readings.starts(i, firsts) else None)
            if got is not None:
                skip, j, kind = got
                hit = (tokens[i].start + skip, tokens[j - 1].end, kind, j)
            else:
                skip, first, key = _variant_key(tokens[i].norm, 4)
                kind = variants.get(key) if key is not None else None
                if kind is not None and not _suffixed(tokens[i]):
                    hit = (tokens[i].start + skip, tokens[i].end, kind, i + 1)
        if hit:
            added.append(hit[:3])
            i = hit[3]
        else:
            i += 1
    return sorted(mentions + added)


def _tokens_until(tokens: Sequence[Token], i: int, end: int) -> Iterator[Token]:
    """The tokens from index i that start before char ``end`` (tokens are in text order)."""
    while i < len(tokens) and tokens[i].start < end:
        yield tokens[i]
        i += 1


def refine(tokens: Sequence[Token], mentions: list[Mention]) -> list[Mention]:
    """CRF mentions plus what the lists know; a longer rule span replaces the CRF spans inside it.

    The CRF's mentions do not overlap, and a rule only replaces the mentions inside it, so
    ``out`` stays a sorted run of disjoint spans: the spans a rule meets are one slice of it.
    """
    token_starts = [t.start for t in tokens]
    out = sorted(m for m in person_edges(tokens, token_starts, mentions)
                 if not (m[2] == "LOC" and (_generic(tokens, token_starts, m) or _adjective_place(tokens, token_starts, m))))
    words = _Words(tokens)
    grown: set[Mention] = set()
    for rule in sorted(gazetteer_mentions(tokens, words, grown) + organization_chains(tokens), key=lambda m: m[0] - m[1]):
        lo = bisect_right(out, rule[0], key=lambda m: m[1])  # the first that ends after the rule starts
        hi = bisect_left(out, rule[1], lo=lo, key=lambda m: m[0])  # the first that starts after it ends
        clashes = out[lo:hi]
        if any(m[2] == "PER" for m in clashes):
            continue  # «حكومة بشار الأسد»: the person stays a person
        if all(rule[0] <= m[0] and m[1] <= rule[1] and (m[1] - m[0]) < (rule[1] - rule[0]) for m in clashes):
            out[lo:hi] = [rule]
        elif len(clashes) == 1 and clashes[0][:2] == rule[:2] and rule in grown:
            out[lo:hi] = [rule]  # «الشرق الأقصى الروسي»: a listed region and its adjective stay a place
    return propagate(tokens, out, words)


def _generic(tokens: Sequence[Token], token_starts: list[int], m: Mention) -> bool:
    k = bisect_left(token_starts, m[0])
    words = [t.norm for t in _tokens_until(tokens, k, m[1])]
    return len(words) > 1 and is_generic_place(" ".join(words))


def _adjective_place(tokens: Sequence[Token], token_starts: list[int], m: Mention) -> bool:
    """«المالي» alone ("financial", not Mali), «الأمني»: a one-word definite nisba adjective is
    no place unless a list names the place with its article."""
    k = bisect_left(token_starts, m[0])
    if k >= len(tokens) or tokens[k].end < m[1]:
        return False
    form = tokens[k].norm if m[0] == tokens[k].start else _norm_forms(tokens[k].norm)[-1][1]
    return _adjective(form) and (_bare(form),) not in _DEFINITE_PLACES


def person_edges(tokens: Sequence[Token], token_starts: list[int], mentions: list[Mention]) -> list[Mention]:
    """A person's span never begins with a definite title, a weekday or a cue, never runs on over
    a complementizer, cue, weekday or definite place head, nor ends with a weekday («الرئيس
    ترامب» → «ترامب», «ترامب الثلاثاء» → «ترامب», «سارة أحمد أن الميزانية» → «سارة أحمد»);
    a span of such words only is dropped."""
    from qala.nlp.words import word_of

    out = []
    for m in mentions:
        if m[2] != "PER":
            out.append(m)
            continue
        lo = bisect_left(token_starts, m[0])
        if lo > 0 and tokens[lo - 1].end > m[0]:
            lo -= 1  # the span starts after a proclitic of token lo - 1
        hi = bisect_left(token_starts, m[1])  # tokens lo..hi-1 are in the span
        if hi - lo < 2:
            out.append(m)
            continue
        a, b = lo, hi
        while a < b and _not_name(word_of(tokens[a]), _NOT_NAME_START):
            a += 1
        for k in range(a + 1, b):
            w = word_of(tokens[k])
            if (w.classes & _NAME_STOPS or (w.definite and w.is_("place"))) and not w.is_("name_link"):
                b = k
                break
        while b > a and _not_name(word_of(tokens[b - 1]), _NOT_NAME_END):
            b -= 1
        if a == lo and b == hi:
            out.append(m)
        elif a < b:
            out.append((m[0] if a == lo else tokens[a].start, m[1] if b == hi else tokens[b - 1].end, "PER"))
    return out


def _not_name(word, classes: frozenset[str]) -> bool:
    if word.is_("name_link"):
        return False
    if classes is _NOT_NAME_START and word.definite and (word.is_("title") or word.is_("honorific")):
        return True
    return bool(word.classes & classes)
