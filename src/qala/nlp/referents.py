"""What the speaker rules look back at, indexed so that each look costs the same in a long text.

The rules ask the same questions for every statement: the last speaker that agrees with
«وأكدت», the person the document named with the title «الرئيس الروسي», the longest name
that contains «بوتين», the mention under a phrase. Scanning the whole document for each
answer made analysis quadratic in the text's length; these indexes give the same answers
(the same element, in the same order of preference) from a few lookups.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from qala.nlp.clitics import bare
from qala.nlp.doc import Entity
from qala.nlp.normalize import fold
from qala.nlp.phrases import NounPhrase

Agreement = tuple[str, str, str]  # a phrase's (gender, number, kind): all agreement looks at


def agreement(np: NounPhrase) -> Agreement:
    return np.gender, np.number, np.kind


def agree(gender: str, number: str, of: Agreement) -> bool:
    """Whether a verb of ``gender``/``number`` may have a subject with agreement ``of``."""
    np_gender, np_number, kind = of
    if number == "pl":
        return np_number == "pl" or kind == "body"
    if np_number == "pl":
        # broken plurals and bodies take a feminine singular verb: «وأفادت مصادر»
        return gender == "f" and (kind in ("body", "source"))
    if gender == "f":
        return np_gender in ("f", "?")
    return np_gender in ("m", "?")


def contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


@dataclass(slots=True)
class Said:
    """A resolved speaker: the phrase, the name given, where the statement's cue is."""

    np: NounPhrase
    name: str
    pos: int
    sent: int


class History:
    """The speakers resolved so far, in statement order, with the lookups pro-drop needs."""

    def __init__(self) -> None:
        self.items: list[Said] = []
        self._by_sent: dict[int, list[Said]] = {}
        self._last_of: dict[Agreement, int] = {}  # agreement -> index of its last speaker
        self._bodies: dict[str, list[tuple[int, Said]]] = {}  # head word -> (words, body)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __getitem__(self, k: Any) -> Any:
        return self.items[k]

    def append(self, said: Said) -> None:
        self.items.append(said)
        self._by_sent.setdefault(said.sent, []).append(said)
        self._last_of[agreement(said.np)] = len(self.items) - 1
        if said.np.kind == "body":
            words = fold(said.name).split()
            if words:
                self._bodies.setdefault(bare(words[0]), []).append((len(words), said))

    def in_sentence(self, sent: int) -> list[Said]:
        """The speakers of statements recorded for sentence ``sent``, in order."""
        return self._by_sent.get(sent, [])

    def last(self, accept: Callable[[Agreement], bool]) -> Said | None:
        """The most recent speaker whose agreement ``accept`` takes."""
        k = max((k for a, k in self._last_of.items() if accept(a)), default=None)
        return None if k is None else self.items[k]

    def last_body(self, head: str, longer_than: int) -> Said | None:
        """The most recent body whose name starts with ``head`` and has more words than given."""
        for n, said in reversed(self._bodies.get(head, [])):
            if n > longer_than:
                return said
        return None


class TitledNames:
    """Every «title + name» phrase of a document, by position, title and the title's first word."""

    def __init__(self, found: list[tuple[int, NounPhrase]]) -> None:
        self.items = found  # by position
        self.positions = [p for p, _ in found]
        self._by_key: dict[str | None, list[int]] = {}
        self._by_head: dict[str, list[int]] = {}
        self._by_agreement: dict[Agreement, list[int]] = {}
        for k, (_, np) in enumerate(found):
            self._by_key.setdefault(np.title_key, []).append(k)
            self._by_head.setdefault(((np.title_key or "").split() or [""])[0], []).append(k)
            self._by_agreement.setdefault(agreement(np), []).append(k)

    def names(self) -> list[str]:
        return [np.name for _, np in self.items if np.name]

    def with_key(self, key: str | None) -> list[int]:
        return self._by_key.get(key, [])

    def with_title_prefix(self, words: list[str]) -> list[int]:
        """Entries whose title key starts with ``words`` (``[]``: those with no title key)."""
        if not words:
            return self._by_head.get("", [])
        return [k for k in self._by_head.get(words[0], [])
                if (self.items[k][1].title_key or "").split()[:len(words)] == words]

    def last_before(self, pos: int, accept: Callable[[Agreement], bool]) -> NounPhrase | None:
        """The last entry before ``pos`` whose agreement ``accept`` takes."""
        best = -1
        for a, ks in self._by_agreement.items():
            if accept(a):
                i = bisect_left(ks, bisect_left(self.positions, pos)) - 1
                if i >= 0:
                    best = max(best, ks[i])
        return self.items[best][1] if best >= 0 else None

    def pick(self, ks: list[int], pos: int) -> NounPhrase | None:
        """Of entries ``ks`` (in order), the last before ``pos``, else the first; None for none."""
        if not ks:
            return None
        i = bisect_left(ks, bisect_left(self.positions, pos)) - 1
        return self.items[ks[i] if i >= 0 else ks[0]][1]


class Mentions:
    """Entity mentions by start: the ones under a span, in text order."""

    def __init__(self, entities: list[Entity]) -> None:
        self.items = sorted(((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda x: x[:2])
        self.starts = [s for s, _, _ in self.items]
        self.longest = max((e - s for s, e, _ in self.items), default=0)

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, Entity]]:
        """Mentions with ``s < end`` and ``start < e``, by start (one ending after ``start``
        cannot start more than the longest mention's length before it)."""
        k = bisect_right(self.starts, start - self.longest)
        while k < len(self.items) and self.items[k][0] < end:
            if start < self.items[k][1]:
                yield self.items[k]
            k += 1


class Names:
    """The person names of a document, in order, for «بوتين» → «فلاديمير بوتين»."""

    def __init__(self, names: list[str]) -> None:
        self.items: list[tuple[str, list[str]]] = []
        seen: set[str] = set()
        for n in names:  # a repeated name never wins over its first copy
            if n not in seen:
                seen.add(n)
                self.items.append((n, fold(n).split()))
        self._by_word: dict[str, list[int]] = {}
        for k, (_, words) in enumerate(self.items):
            for w in dict.fromkeys(words):
                self._by_word.setdefault(w, []).append(k)
        self._memo: dict[str, str] = {}

    def complete(self, name: str) -> str:
        """The first of the longest names that contain ``name``'s words, else ``name``."""
        hit = self._memo.get(name)
        if hit is None:
            words = fold(name).split()
            ks = self._by_word.get(words[0], []) if words else range(len(self.items))
            hit, best = name, len(words)
            for k in ks:
                cand, cw = self.items[k]
                if len(cw) > best and contains_run(cw, words):
                    hit, best = cand, len(cw)
            self._memo[name] = hit
        return hit


class EntityNames:
    """Persons and organizations by the words of their names, for ``entity_of`` by name."""

    def __init__(self, entities: list[Entity]) -> None:
        self.items = [(e, fold(e.name).split()) for e in entities if e.type in ("PER", "ORG")]
        self._by_word: dict[str, list[int]] = {}
        for k, (_, words) in enumerate(self.items):
            for w in dict.fromkeys(words):
                self._by_word.setdefault(w, []).append(k)
        self._memo: dict[tuple[str, ...], str | None] = {}

    def first_containing(self, needle: list[str]) -> str | None:
        """The id of the first person or organization whose name contains the words ``needle``."""
        key = tuple(needle)
        if key not in self._memo:
            ks = self._by_word.get(needle[0], []) if needle else range(len(self.items))
            self._memo[key] = next((self.items[k][0].id for k in ks if contains_run(self.items[k][1], needle)), None)
        return self._memo[key]
