"""Speaker ranking: the rules propose candidate sources, a small trained model picks one.

For «وأكد: “...”» the candidates are the rules' answer, the clause's subject and the words of its
subject slot (a role phrase such as «أحد المستخدمين» stays one), the people and bodies NER found in
this and the preceding sentences, the people and bodies named earlier in the whole document (whom
«الوزارة» or «المدير الفني» may stand for; issuers after «بيان»), the titled names of the document,
its earlier speakers, and "none" (no candidate is a source). Each gets general features (slot,
token and sentence distance, paragraph break, the mention's place in its clause, agreement with
the cue, head and title match to the clause's generic noun, who spoke last and how often, the word
classes of its own words) and a conditional logit turns the scores of one statement's candidates
into probabilities. Features come from the Doc's layers and lexicon classes only: no article
string is ever a feature.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qala.nlp.clitics import bare, definite, strip_conj
from qala.nlp.lexicon import _words, cue_form
from qala.nlp.normalize import fold
from qala.nlp.phrases import NounPhrase, PhraseParser

if TYPE_CHECKING:
    from qala.nlp.quotes import Candidate
    from qala.nlp.referents import Said
    from qala.nlp.speakers import SpeakerResolver

MODEL_FILE = "speaker-ranker.json"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / MODEL_FILE

WINDOW_SENTENCES = 3  # how many sentences before the cue's own one propose NER mentions
HISTORY_NAMES = 5  # how many distinct earlier speakers are candidates
HISTORY_LOOK = 40  # how many earlier statements are looked through for them (bounded: linear time)
REFERENTS = 6  # how many distinct people and bodies named before the window are candidates
REFERENT_LOOK = 60  # how many mentions before the window are looked through for them
SPAN_WORDS = 7  # how many words of the subject slot a span candidate holds at most


@dataclass(slots=True)
class Source:
    """One candidate source of a statement, merged over every origin that proposed it."""

    name: str
    np: NounPhrase | None
    origins: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)  # mentions in the window
    ent_type: str | None = None
    ent_id: str | None = None
    issued: bool = False  # a mention follows a document word: «بيان البيت الأبيض»
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


class DocIndex:
    """What every statement's candidates look up, built once per document: each PER/ORG mention's
    sentence and whether a document word («بيان») issues it, each entity's head words and the
    positions of its mentions."""

    def __init__(self, resolver: SpeakerResolver) -> None:
        doc, lex = resolver.doc, resolver.lex
        self.sent_starts = [s.start for s in doc.sentences]
        self.mentions = [m for m in resolver.mentions.items if m[2].type in ("PER", "ORG")]
        self.starts = [s for s, _, _ in self.mentions]
        self.issued: list[bool] = []
        self.heads: dict[str, set[str]] = {}  # entity id -> bare words that name its kind
        self.positions: dict[str, list[int]] = {}
        self.slots: dict[int, dict[str, float]] = {}  # mention start -> where it sits in its clause
        toks, tstarts = doc.tokens, resolver.token_starts
        for s, _, ent in self.mentions:
            k = bisect_left(tstarts, s)
            self.slots[s] = _mention_slot(resolver.parser, toks, k)
            before = [bare(toks[j].norm) for j in range(max(0, k - 3), k)]
            self.issued.append(any(w in lex.documents or _unglued(w) in lex.documents for w in before))
            heads = self.heads.setdefault(ent.id, _name_heads(ent))
            if before:
                heads.update((_unglued(before[-1]), _unglued(bare(strip_conj(before[-1])))))
            self.positions.setdefault(ent.id, []).append(s)

    def sent_of(self, pos: int) -> int:
        return max(0, bisect_left(self.sent_starts, pos + 1) - 1)

    def count_before(self, ent_id: str, pos: int) -> int:
        return bisect_left(self.positions.get(ent_id, []), pos)


def _mention_slot(p: PhraseParser, toks: list[Any], k: int) -> dict[str, float]:
    """Where the mention at token ``k`` sits: right after a cue (a subject), at its sentence's
    start, after a preposition or glued to one (an object), after a title or body word (part of
    a larger phrase)."""
    if k >= len(toks):
        return {}
    prev = toks[k - 1] if k > 0 and toks[k - 1].sent == toks[k].sent else None
    first = prev is None or (k > 1 and toks[k - 2].sent != toks[k].sent and not p.is_word(prev))
    return {
        "m_after_cue": float(prev is not None and p.is_cue(prev)),
        "m_sentence_start": float(first),
        "m_after_prep": float(prev is not None and p.function_word(prev) and not p.is_cue(prev)),
        "m_glued_prep": float(p.glued_preposition(toks[k])),
        "m_in_phrase": float(prev is not None and (p.title_word(prev) or p.body_word(prev))),
    }


def _unglued(w: str) -> str:
    """«للوزارة» → «وزارة», «لبيان» → «بيان»: a glued preposition off a bare word."""
    if len(w) > 4 and w[:2] == "لل":
        return w[2:]
    if len(w) > 3 and w[0] in "لب":
        return bare(w[1:])
    return w


def _name_heads(ent: Any) -> set[str]:
    out = set()
    for n in (ent.name, *ent.titles):
        words = fold(n).split()
        if words:  # «وزارة» keeps its و: a name's first word carries no conjunction
            out.add(bare(words[0]))
    return out


class CandidateFinder:
    """Collects and describes the candidate sources of one statement from the resolver's state."""

    def __init__(self, resolver: SpeakerResolver) -> None:
        self.r = resolver
        self.doc = resolver.doc
        self.lex = resolver.lex
        self.contents = sorted(c.content for c in resolver.cands)
        self.content_starts = [s for s, _ in self.contents]
        self.spoken = Spoken()
        self.index = DocIndex(resolver)
        self._complete: dict[str, str] = {}
        self._word_feats: dict[str, dict[str, float]] = {}

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

    def _mention_source(self, out: dict[str, Source], k: int, origin: str) -> Source | None:
        s, e, ent = self.index.mentions[k]
        name = self.complete(ent.name) if ent.type == "PER" else ent.name
        src = self._add(out, name, None, origin)
        if src is not None:
            src.spans.append((s, e))
            src.ent_type = ent.type
            src.ent_id = ent.id
            src.issued = src.issued or self.index.issued[k]
        return src

    def _mentions(self, c: Candidate, out: dict[str, Source]) -> None:
        ix = self.index
        lo, hi = self._window_start(c), max(self._sentence_end(c), c.cue[1])
        for k in range(bisect_left(ix.starts, lo), bisect_left(ix.starts, hi)):
            if not c.content[0] <= ix.starts[k] < c.content[1]:  # what is said, not who says it
                self._mention_source(out, k, "mention")

    def _referents(self, c: Candidate, out: dict[str, Source]) -> None:
        """The people and bodies named earlier in the whole document, most recent first: whom
        «الوزارة», «المدير الفني» or «البيان» may stand for."""
        ix = self.index
        seen: set[str] = set()
        top = bisect_left(ix.starts, self._window_start(c))
        for k in range(top - 1, max(-1, top - 1 - REFERENT_LOOK), -1):
            ent = ix.mentions[k][2]
            if ent.id not in seen:
                seen.add(ent.id)
                self._mention_source(out, k, "referent")
                if len(seen) >= REFERENTS:
                    break

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

    def _span_source(self, out: dict[str, Source], first: int, last: int, origin: str) -> None:
        """The words ``first..last-1`` as a source of their own (a role phrase such as «مصدر
        أمني» or «أحد المستخدمين», or a name the phrase rules cut)."""
        toks = self.doc.tokens
        if first >= last:
            return
        start = toks[first].start
        if len(toks[first].norm) > 3 and toks[first].norm[:1] == "و":
            start += 1  # «والشركة»: the conjunction is not part of the name
        src = self._add(out, self.doc.text[start : toks[last - 1].end], None, origin)
        if src is not None:
            src.np = src.np or self.r.parser.phrase(first, last)
            src.spans.append((start, toks[last - 1].end))

    def _slot_spans(self, c: Candidate, out: dict[str, Source]) -> None:
        """The subject slot's words as candidates: after the cue up to the content (whole, and up
        to the first stop word), and before the cue back to the clause's start."""
        toks, p, ts = self.doc.tokens, self.r.parser, self.r.token_starts
        first = bisect_left(ts, c.cue[1])
        limit = min(bisect_left(ts, c.content[0]) if c.content[0] > c.cue[1] else first, first + SPAN_WORDS)
        end = first
        while (
            end < limit
            and toks[end].sent == c.sent
            and p.is_word(toks[end])
            and not (toks[end].norm in self.lex.complementizers or p.is_cue(toks[end]))
        ):
            end += 1
        cut = first + 1
        while cut < end and not (p.hard_stop(toks[cut]) or p.glued_preposition(toks[cut])):
            cut += 1
        self._span_source(out, first, min(cut, end), "after")
        self._span_source(out, first, end, "after")
        if c.shape != "verb":
            return  # a participle or an attribution phrase follows its clause's verb
        last = c.cue_tok - 1 if c.cue_tok > 0 and toks[c.cue_tok - 1].norm == "قد" else c.cue_tok
        begin = last
        while begin > 0 and last - begin < SPAN_WORDS:
            t = toks[begin - 1]
            if t.sent != c.sent or not p.is_word(t) or p.function_word(t) or p.is_cue(t):
                break
            if t.norm in self.lex.complementizers:
                break
            begin -= 1
        self._span_source(out, begin, last, "before")

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
        self._referents(c, out)
        self._slot_spans(c, out)
        rule_key = name_key(rule[0].name) if rule is not None else ""
        ctx = self.context(c, subject)
        for src in out.values():
            src.feats = self.features(c, src, rule_key, rule[1] if rule else None, ctx)
        _nearest_ranks(list(out.values()))
        none = Source("", None, {"none"})
        none.feats = _none_features(c, rule[1] if rule else None, ctx)
        return [*out.values(), none]

    # -- features --------------------------------------------------------------------------

    def context(self, c: Candidate, subject: NounPhrase | None) -> Context:
        """How the clause names its speaker, and the head word of that naming."""
        if subject is None:
            return Context("dropped", "", "")
        words = fold(self.doc.text[subject.start : subject.end]).split()
        head = bare(strip_conj(words[0])) if words else ""
        if head in self.lex.documents:
            kind = "document"
        elif subject.kind == "title":
            kind = "title"
        elif words and definite(strip_conj(words[0])) and self._unnamed(subject):
            kind = "anaphor"  # «الوزارة في بيان», «المصدر نفسه», «الجهاز الأمني»: named before, not here
        else:
            kind = "named"
        return Context(kind, head, bare((subject.title_key or "").split()[0]) if subject.title_key else "")

    def _unnamed(self, np: NounPhrase) -> bool:
        """A definite phrase with no PER/ORG mention inside: it refers back rather than names."""
        return not any(
            ent.type in ("PER", "ORG") for _, _, ent in self.r.mentions.overlapping(np.start, np.end)
        )

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
        lo, hi = sorted((span[1], c.cue[0])) if span[0] < c.cue[0] else (c.cue[1], span[0])
        ts = self.r.token_starts
        sent = self.index.sent_of(span[0])
        f["words_between"] = math.log1p(max(0, bisect_left(ts, hi) - bisect_left(ts, lo))) / 3
        f["after_cue"] = float(span[0] >= c.cue[1])
        f["para_break"] = float(self.doc.text.find("\n", lo, hi) >= 0)
        f["same_sentence"] = float(sent == c.sent)
        f["sent_dist"] = math.log1p(abs(c.sent - sent)) / 2
        f.update(self.index.slots.get(span[0], {}))
        if c.np is not None and c.cue[1] <= span[0] < c.np.start:
            f["before_subject"] = 1.0  # between the cue and the clause's subject: a relaying medium
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
        if not ok and np.kind == "person" and np.title and np.gender in ("m", "f") and form.number == "sg":
            f["disagree_person"] = 1.0  # «وأضافت» after «المدير خالد»: a gender its title spells

    def _spoke(self, src: Source, f: dict[str, float]) -> None:
        rank = self.spoken.rank(src.name)
        if rank is not None:
            f["spoke_last"] = float(rank == 0)
            f["spoke_count"] = math.log1p(self.spoken.count[src.name]) / 2
            f["spoke_recency"] = 1 / (1 + rank)

    def _words(self, src: Source, f: dict[str, float]) -> None:
        """The word classes of the candidate's own words: what a source is not (a place, a date,
        a prepositional phrase, a link footer) and what heads it (once per name of the document)."""
        got = self._word_feats.get(src.name)
        if got is None:
            got = self._word_feats[src.name] = self._word_classes(src.name)
        f.update(got)
        if src.spans:
            s, e = src.spans[0]
            f["w_loc"] = float(any(ent.type == "LOC" for _, _, ent in self.r.mentions.overlapping(s, e)))

    def _word_classes(self, name: str) -> dict[str, float]:
        words = [strip_conj(w) for w in fold(name).split()]
        f: dict[str, float] = {}
        if not words:
            return f
        lex = self.lex
        first, last = bare(words[0]), bare(words[-1])
        f["w_glued_prep"] = float(len(words[0]) > 3 and words[0][0] in "لب" and words[0][1:3] in ("ال", "ل"))
        f["w_function"] = float(any(w in lex.function_words for w in words))
        f["w_time"] = float(any(w in lex.time_words for w in words))
        f["w_digit"] = float(any(ch.isdigit() for ch in name))
        f["w_place_head"] = float(first in lex.place_heads)
        f["w_title_head"] = float(first in lex.titles)
        f["w_body_head"] = float(first in lex.bodies)
        f["w_document"] = float(first in lex.documents)
        f["w_vague"] = float(words[0] in lex.vague_sources)
        f["w_non_source"] = float(first in non_sources() or last in non_sources())
        f["w_complementizer"] = float(any(w in lex.complementizers for w in words))
        f["w_cue"] = float(any(cue_form(w, lex) is not None for w in words[1:]))
        f["w_definite"] = float(definite(words[0]))
        return {k: v for k, v in f.items() if v}

    def _referent(self, c: Candidate, src: Source, ctx: Context, f: dict[str, float]) -> None:
        """How well an entity named earlier fits the clause's title or generic noun."""
        if src.ent_id is None:
            return
        heads = self.index.heads.get(src.ent_id, set())
        f["head_match"] = float(bool(ctx.head) and ctx.head in heads)
        f["title_head_match"] = float(bool(ctx.title) and ctx.title in heads)
        f["mentioned"] = math.log1p(self.index.count_before(src.ent_id, c.cue[0])) / 2
        f["issued"] = float(src.issued)

    def features(
        self, c: Candidate, src: Source, rule_key: str, resolution: str | None, ctx: Context
    ) -> dict[str, float]:
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
        self._words(src, f)
        self._referent(c, src, ctx, f)
        return _crossed({k: v for k, v in f.items() if v}, ctx.kind)


@dataclass(frozen=True, slots=True)
class Context:
    """How a clause names its speaker: ``kind`` dropped | title | anaphor | document | named."""

    kind: str
    head: str  # the bare first word of the clause's subject («وزارة» of «الوزارة»)
    title: str  # the first word of its title key


def _none_features(c: Candidate, resolution: str | None, ctx: Context) -> dict[str, float]:
    """The features of "no candidate is the source": what the rules found and how the clause reads."""
    f = {"none": 1.0, "none_" + ctx.kind: 1.0, "none_rule_" + (resolution or "nothing"): 1.0}
    if c.form is not None and "bare" in c.form.flags:
        f["none_bare_verb"] = 1.0
    f["none_" + c.shape] = 1.0
    return f


def keeps_rule_extent(src: Source, rule_name: str) -> bool:
    """Whether the ranker's pick is the rules' source under another extent, where the rules' name
    stands: a span of words around it, or a shorter form of it (not a fuller name NER found)."""
    if "overlaps_rule" not in src.feats:
        return False
    if src.origins <= {"after", "before", "subject"} or src.feats.get("w_document"):
        # the clause's own words around the rules' name, or «بيان البيت الأبيض» around its issuer:
        # the rules resolved them further
        return True
    return len(name_key(src.name).split()) <= len(name_key(rule_name).split())


def _nearest_ranks(sources: list[Source]) -> None:
    """Marks the nearest candidate before the cue and the nearest after it."""
    for side in (0.0, 1.0):
        near = [s for s in sources if "words_between" in s.feats and s.feats.get("after_cue", 0.0) == side]
        if near:
            best = min(near, key=lambda s: s.feats["words_between"])
            best.feats["nearest_after" if side else "nearest_before"] = 1.0


@cache
def non_sources() -> frozenset[str]:
    """Words that head no source («رابط» of a link footer), from ``lang/ar/non_sources.txt``."""
    return frozenset(bare(w) for w in _words("non_sources.txt"))


CROSSED = (
    "nearest_before",
    "nearest_after",
    "head_match",
    "title_head_match",
    "issued",
    "mentioned",
    "sent_dist",
    "o_referent",
    "before_subject",
    "m_after_cue",
    "m_sentence_start",
    "m_after_prep",
    "m_glued_prep",
    "m_in_phrase",
    "o_after",
    "o_before",
    "w_glued_prep",
    "kind_title",
    "kind_body",
    "kind_source",
    "kind_person",
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
    "disagree_person",
    "spoke_last",
    "spoke_recency",
    "title_match",
    "ent_PER",
    "ent_ORG",
    "overlaps_rule",
    "in_a_content",
)


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

    def score(self, feats: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(w.get(k, 0.0) * v for k, v in feats.items())

    def best(self, sources: list[Source]) -> tuple[Source, float] | None:
        """The highest-scoring candidate and its share of the statement's softmax (its probability
        of being the source, given that one of the candidates is)."""
        if not sources:
            return None
        scores = [self.score(s.feats) for s in sources]
        i = max(range(len(scores)), key=lambda k: (scores[k], -k))
        total = sum(math.exp(max(-60.0, v - scores[i])) for v in scores)
        return sources[i], 1 / total

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
