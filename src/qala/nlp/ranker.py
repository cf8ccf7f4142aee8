"""Speaker ranking: the rules propose candidate sources, a small trained model picks one.

For «وأكد: “...”» the candidates are the rules' answer, the people and bodies NER found in this
and the preceding sentences, the titled names of the document and its earlier speakers; each
gets general features (slot, distance, paragraph break, agreement with the cue, who spoke last)
and the logistic model's probability that it is the source. Features come from the Doc's
layers only: no article string is ever a feature.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qala.nlp.normalize import fold
from qala.nlp.phrases import NounPhrase

if TYPE_CHECKING:
    from qala.nlp.quotes import Candidate
    from qala.nlp.referents import Said
    from qala.nlp.speakers import SpeakerResolver

MODEL_FILE = "speaker-ranker.json"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / MODEL_FILE

WINDOW_SENTENCES = 3  # how many sentences before the cue's own one propose NER mentions
HISTORY_NAMES = 5  # how many distinct earlier speakers are candidates
HISTORY_LOOK = 40  # how many earlier statements are looked through for them (bounded: linear time)


@dataclass(slots=True)
class Source:
    """One candidate source of a statement, merged over every origin that proposed it."""

    name: str
    np: NounPhrase | None
    origins: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)  # mentions in the window
    ent_type: str | None = None
    title_match: bool = False
    feats: dict[str, float] = field(default_factory=dict)


def name_key(name: str) -> str:
    return " ".join(fold(name).split())


def _contains(a: str, b: str) -> bool:
    """``b``'s words are a run of ``a``'s (بوتين in فلاديمير بوتين)."""
    aw, bw = a.split(), b.split()
    n = len(bw)
    return bool(n) and any(aw[i : i + n] == bw for i in range(len(aw) - n + 1))


class Spoken:
    """Each earlier speaker's statement count and the index of its last statement, kept as the
    history grows (so a statement's look costs the same however long the document)."""

    def __init__(self) -> None:
        self.seen = 0
        self.count: dict[str, int] = {}
        self.last: dict[str, int] = {}
        self.order: list[str] = []  # distinct names by their last statement (most recent last)

    def update(self, history: list[Said]) -> None:
        for k in range(self.seen, len(history)):
            name = history[k].name
            self.count[name] = self.count.get(name, 0) + 1
            self.last[name] = k
        self.seen = len(history)

    def rank(self, name: str) -> int | None:
        """How many distinct speakers spoke after ``name``'s last statement (0: spoke last)."""
        k = self.last.get(name)
        if k is None:
            return None
        return (
            sum(1 for other in self.last.values() if other > k)
            if len(self.last) < 64
            else min(self.seen - 1 - k, 63)
        )


class CandidateFinder:
    """Collects and describes the candidate sources of one statement from the resolver's state."""

    def __init__(self, resolver: SpeakerResolver) -> None:
        self.r = resolver
        self.doc = resolver.doc
        self.contents = sorted(c.content for c in resolver.cands)
        self.content_starts = [s for s, _ in self.contents]
        self.spoken = Spoken()
        self._complete: dict[str, str] = {}

    def complete(self, name: str) -> str:
        """The resolver's most complete name, once per name of the document."""
        got = self._complete.get(name)
        if got is None:
            got = self._complete[name] = self.r.complete(name)
        return got

    def _add(
        self, out: dict[str, Source], name: str | None, np: NounPhrase | None, origin: str
    ) -> Source | None:
        if not name or not name.strip():
            return None
        k = name_key(name)
        if not k:
            return None
        src = out.get(k)
        if src is None:
            src = out[k] = Source(name, np)
        elif src.np is None:
            src.np = np
        src.origins.add(origin)
        return src

    def _window_start(self, c: Candidate) -> int:
        sents = self.doc.sentences
        return sents[max(0, c.sent - WINDOW_SENTENCES)].start if sents else 0

    def _sentence_end(self, c: Candidate) -> int:
        sents = self.doc.sentences
        return sents[c.sent].end if c.sent < len(sents) else len(self.doc.text)

    def _mentions(self, c: Candidate, out: dict[str, Source]) -> None:
        m = self.r.mentions
        lo, hi = self._window_start(c), max(self._sentence_end(c), c.cue[1])
        for s, e, ent in m.items[bisect_left(m.starts, lo) : bisect_left(m.starts, hi)]:
            if ent.type not in ("PER", "ORG"):
                continue
            if c.content[0] <= s < c.content[1]:
                continue  # what is said, not who says it
            name = self.complete(ent.name) if ent.type == "PER" else ent.name
            src = self._add(out, name, None, "mention")
            if src is not None:
                src.spans.append((s, e))
                src.ent_type = ent.type

    def _titled(self, c: Candidate, out: dict[str, Source]) -> None:
        reg = self.r.registry
        lo = self._window_start(c)
        head = (c.np.title_key or "").split()[:1] if c.np is not None and c.np.kind == "title" else []
        window = range(bisect_left(reg.positions, lo), bisect_left(reg.positions, c.cue[0]))
        matching = [k for k in reg.with_title_prefix(head) if reg.positions[k] < c.content[1]] if head else []
        for k in sorted(set(window) | set(matching[-HISTORY_NAMES:])):
            np = reg.items[k][1]
            src = self._add(out, self.complete(np.name or ""), np, "titled")
            if src is not None:
                src.spans.append((np.start, np.end))
                src.title_match = src.title_match or k in matching

    def _history(self, out: dict[str, Source]) -> None:
        items = self.r.history.items
        seen: set[str] = set()
        for h in reversed(items[-HISTORY_LOOK:]):
            if h.name not in seen:
                seen.add(h.name)
                self._add(out, h.name, h.np, "history")
            if len(seen) >= HISTORY_NAMES:
                break

    def sources(self, c: Candidate, rule: tuple[Said, str] | None) -> list[Source]:
        """The candidates of statement ``c``, each with its features; ``rule`` is the rules' answer."""
        self.spoken.update(self.r.history.items)
        out: dict[str, Source] = {}
        if rule is not None:
            self._add(out, rule[0].name, rule[0].np, "rule")
        subject = c.np if c.np is not None else (self.r._before_verb(c) if c.shape == "verb" else None)
        if subject is not None:
            self._add(out, self.r._said(subject, c).name, subject, "subject")
        self._history(out)
        self._mentions(c, out)
        self._titled(c, out)
        rule_key = name_key(rule[0].name) if rule is not None else ""
        for src in out.values():
            src.feats = self.features(c, src, rule_key, rule[1] if rule else None)
        return list(out.values())

    # -- features --------------------------------------------------------------------------

    def _nearest(self, c: Candidate, src: Source) -> tuple[int, int] | None:
        spans = list(src.spans)
        if src.np is not None and not spans:
            spans.append((src.np.start, src.np.end))
        if not spans:
            return None
        return min(spans, key=lambda sp: abs(sp[0] - c.cue[0]))

    def _in_a_content(self, pos: int) -> bool:
        k = bisect_left(self.content_starts, pos + 1) - 1
        return k >= 0 and self.contents[k][0] <= pos < self.contents[k][1]

    def _slot(self, c: Candidate, span: tuple[int, int], f: dict[str, float]) -> None:
        """Where the nearest mention sits: distance, the cue's sentence, after the cue, a paragraph between."""
        text = self.doc.text
        lo, hi = sorted((span[1], c.cue[0])) if span[0] < c.cue[0] else (c.cue[1], span[0])
        between = text[lo:hi]
        f["words_between"] = math.log1p(len(between.split())) / 3
        f["after_cue"] = float(span[0] >= c.cue[1])
        f["para_break"] = float("\n" in between)
        f["same_sentence"] = float(not any(ch in between for ch in ".!؟?"))
        f["in_a_content"] = float(self._in_a_content(span[0]))

    @staticmethod
    def _agreement(c: Candidate, src: Source, f: dict[str, float]) -> None:
        form, np = c.form, src.np
        if form is None or np is None or form.gender == "?":
            f["agree_unknown"] = 1.0
            return
        if np.number == "pl" or form.number == "pl":
            ok = (np.number == "pl") == (form.number == "pl") or np.kind == "body"
        else:
            ok = np.gender in (form.gender, "?")
        f["agree" if ok else "disagree"] = 1.0

    def _spoke(self, src: Source, f: dict[str, float]) -> None:
        rank = self.spoken.rank(src.name)
        if rank is not None:
            f["spoke_last"] = float(rank == 0)
            f["spoke_count"] = math.log1p(self.spoken.count[src.name]) / 2
            f["spoke_recency"] = 1 / (1 + rank)

    def features(self, c: Candidate, src: Source, rule_key: str, resolution: str | None) -> dict[str, float]:
        f: dict[str, float] = {"o_" + o: 1.0 for o in src.origins}
        key = name_key(src.name)
        if "rule" in src.origins and resolution:
            f["rule_" + resolution] = 1.0
        if "rule" in src.origins:
            f["rule_" + c.shape] = 1.0
        if rule_key and key != rule_key and (_contains(key, rule_key) or _contains(rule_key, key)):
            f["overlaps_rule"] = 1.0
        f["ent_" + (src.ent_type or "none")] = 1.0
        f["kind_" + (src.np.kind if src.np is not None else "none")] = 1.0
        f["title_match"] = float(src.title_match)
        f["has_title"] = float(src.np is not None and bool(src.np.title))
        f["words"] = min(len(key.split()), 6) / 6
        span = self._nearest(c, src)
        if span is not None:
            self._slot(c, span, f)
        else:
            f["no_span"] = 1.0
        self._agreement(c, src, f)
        self._spoke(src, f)
        return _crossed(f, _context(c))


CROSSED = (
    "o_rule",
    "o_subject",
    "o_mention",
    "o_titled",
    "o_history",
    "words_between",
    "after_cue",
    "para_break",
    "same_sentence",
    "agree",
    "disagree",
    "spoke_last",
    "spoke_recency",
    "title_match",
    "ent_PER",
    "ent_ORG",
    "overlaps_rule",
    "in_a_content",
)


def _context(c: Candidate) -> str:
    """How the clause names its speaker: not at all (pro-drop), by a title only, or otherwise."""
    if c.np is None:
        return "dropped"
    return "title" if c.np.kind == "title" else "named"


def _crossed(f: dict[str, float], context: str) -> dict[str, float]:
    """Each feature once more per clause context, so a linear model weighs it by context."""
    for k in CROSSED:
        if k in f:
            f[context + ":" + k] = f[k]
    return f


@dataclass(frozen=True, slots=True, eq=False)
class SpeakerRanker:
    """A logistic model over candidate features; picklable, so analysis options can carry it."""

    weights: dict[str, float]
    bias: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, feats: dict[str, float]) -> float:
        w = self.weights
        z = self.bias + sum(w.get(k, 0.0) * v for k, v in feats.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def best(self, sources: list[Source]) -> tuple[Source, float] | None:
        if not sources:
            return None
        scored = [(self.probability(s.feats), i) for i, s in enumerate(sources)]
        p, i = max(scored, key=lambda x: (x[0], -x[1]))
        return sources[i], p

    def to_json(self) -> dict[str, Any]:
        return {"meta": self.meta, "bias": self.bias, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SpeakerRanker:
        return cls({k: float(v) for k, v in d["weights"].items()}, float(d["bias"]), dict(d.get("meta", {})))


@cache
def shipped_ranker() -> SpeakerRanker | None:
    """The model in the package, read once; None when it has not been trained (rules alone then)."""
    if not MODEL_PATH.exists():
        return None
    return SpeakerRanker.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
