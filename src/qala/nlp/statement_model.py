"""Learned statement decisions: which cue candidates are statements, and where their content ends.

The rules of ``qala.nlp.quotes`` over-generate candidates (their objections kept as ``vetoes``);
this module describes each candidate by general features (cue kind, tense, gender, number and
flags from ``lang/ar/cues.tsv``, shape, what opens the content, the subject phrase and its entity
type, position in sentence and paragraph, content length, negation, question, headline ...) and a
logistic model trained by ``qala train-statements`` keeps or drops it. A second logistic scorer
picks the content's end among the places a clause may stop (the rules' end, a sentence or
paragraph end, a comma before a new clause, a new cue, a closing quotation mark).

No feature is an article's word: only lexicon classes, lemmas and counts. The model file is JSON
(weights by feature name), so analysis needs no scikit-learn.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qala.nlp.clitics import CONJUNCTIONS
from qala.nlp.lexicon import _words
from qala.nlp.words import unconj

if TYPE_CHECKING:
    from qala.nlp.quotes import Candidate, _Finder

MODEL_FILE = "statements.json"
CLAUSE_PUNCT = {"،", ",", "؛", ";"}
CLOSE_MARKS = {"»", "”", '"', "’"}
# Objections the model may not overrule: on the corpus they rarely mark speech, and each pins a
# construction of the case table (a temporal or relative clause, «على أن», نقل without عن, a
# quotation after a weak verb with no source, a time clause as object).
HARD_VETOES = frozenset({"blocked_before", "prep_comp", "no_source", "quote_weak", "time_clause"})
MORE_SENTENCES = 3  # a clause content may run on over at most this many further sentences


@cache
def negations() -> frozenset[str]:
    return _words("negation.txt")


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 21, 34)) -> str:
    """``n`` as the smallest edge it does not exceed (a coarse, monotone class)."""
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


# -- decision features ---------------------------------------------------------------------------


def _form_features(c: Candidate, out: dict[str, float]) -> None:
    form = c.form
    if form is None:
        out["form=none"] = 1.0
        return
    out[f"kind={form.kind}"] = 1.0
    out[f"tense={form.tense}"] = 1.0
    out[f"gender={form.gender}"] = 1.0
    out[f"number={form.number}"] = 1.0
    out[f"lemma={form.lemma}"] = 1.0
    out[f"lemma={form.lemma}|stop={c.stop}"] = 1.0
    out[f"preps={'yes' if form.preps else 'no'}"] = 1.0
    for flag in sorted(form.flags):
        out[f"flag={flag}"] = 1.0
        out[f"flag={flag}|stop={c.stop}"] = 1.0
        out[f"flag={flag}|tense={form.tense}"] = 1.0
    out[f"kind={form.kind}|tense={form.tense}|stop={c.stop}"] = 1.0


def _subject_features(f: _Finder, c: Candidate, out: dict[str, float]) -> None:
    np = c.np
    if np is None:
        out[f"np=none|shape={c.shape}"] = 1.0
        out[f"np=none|stop={c.stop}"] = 1.0
        return
    out[f"np={np.kind}"] = 1.0
    out[f"np={np.kind}|stop={c.stop}"] = 1.0
    out[f"np_title={'yes' if np.title else 'no'}"] = 1.0
    out[f"np_name={'yes' if np.name else 'no'}"] = 1.0
    out[f"np_definite={np.definite}"] = 1.0
    out["np_words=" + _bucket(len(f.doc.text[np.start : np.end].split()), (1, 2, 3, 5, 8))] = 1.0
    if c.form is not None:
        agree_g = "?" if "?" in (np.gender, c.form.gender) else str(np.gender == c.form.gender)
        out[f"agree_gender={agree_g}"] = 1.0
        out[f"agree_number={np.number == c.form.number or c.form.number == 'du' and np.number == 'pl'}"] = 1.0
    first = bisect_right(f.tok_starts, np.start) - 1
    ent = next(
        (
            f.parser.mention_end(m)[1]
            for m in range(max(first, 0), np.tok_end)
            if f.parser.mention_end(m) is not None
        ),
        None,
    )
    out[f"np_ner={ent or 'none'}"] = 1.0


def _context_features(f: _Finder, c: Candidate, out: dict[str, float]) -> None:
    toks, i = f.toks, c.cue_tok
    sent = f.doc.sentences[c.sent]
    first = f.sent_tok_end[c.sent - 1] if c.sent > 0 else 0
    out["cue_at=" + _bucket(i - first, (0, 1, 2, 4, 8, 16))] = 1.0
    prev = toks[i - 1] if i > first else None
    if prev is None:
        out["prev=start"] = 1.0
    elif prev.text in CLAUSE_PUNCT:
        out["prev=comma"] = 1.0
    elif prev.text in CLOSE_MARKS:
        out["prev=close_quote"] = 1.0
    elif not prev.text[:1].isalnum():
        out["prev=punct"] = 1.0
    elif unconj(prev) in negations() or prev.norm in negations():
        out["prev=negation"] = 1.0
    elif prev.norm in f.lex.function_words or unconj(prev) in f.lex.function_words:
        out["prev=function_word"] = 1.0
    else:
        out["prev=word"] = 1.0
    tok = toks[i]
    out[f"cue_conj={tok.norm[:1] in CONJUNCTIONS and tok.norm not in f.lex.cues}"] = 1.0
    text = f.doc.text
    before = f.doc.sentences[c.sent - 1].end if c.sent > 0 else 0
    gap = text[before : sent.start]
    out[f"para_start={c.sent == 0 or chr(10) in gap}"] = 1.0
    out["sent_index=" + _bucket(c.sent, (0, 1, 2, 4, 8))] = 1.0
    out[f"question={'؟' in text[sent.start : sent.end] or '?' in text[sent.start : sent.end]}"] = 1.0
    line_start = text.rfind("\n", 0, sent.start) + 1
    line_end = text.find("\n", sent.end)
    alone = (
        not text[line_start : sent.start].strip()
        and not text[sent.end : line_end if line_end >= 0 else len(text)].strip()
    )
    out[f"line_alone={alone}"] = 1.0
    out[f"in_quote={f.inside_quote(tok.start)}"] = 1.0


def _word_class(f: _Finder, k: int) -> str:
    """A coarse lexicon class of token ``k``: what kind of word opens or follows a clause."""
    if k >= len(f.toks):
        return "end"
    t = f.toks[k]
    n, bare = t.norm, unconj(t)
    if not t.text[:1].isalnum():
        return "quote" if k in f.by_open else "punct"
    if t.text[:1].isdigit():
        return "number"
    if n in f.lex.complementizers or bare in f.lex.complementizers:
        return "comp"
    if bare in negations():
        return "negation"
    if n in f.lex.function_words or bare in f.lex.function_words:
        return "function"
    if bare in f.lex.time_words:
        return "time"
    if f.cue_vetoes(k)[0] is not None:
        return "cue"
    if f.parser.mention_end(k) is not None:
        return "ner_" + f.parser.mention_end(k)[1]
    if f.parser.title_word(t):
        return "title"
    if bare.startswith("ال"):
        return "definite"
    if bare[:1] in "بل" and bare[1:3] == "ال":
        return "prep_definite"
    return "word"


def _words_in(f: _Finder, s: int, e: int) -> int:
    """``len(f.doc.text[s:e].split())`` by bisection: each cue of a sentence of thousands of words
    can have a content running to its end («قال قال ...»), so counting by splitting was quadratic."""
    starts = getattr(f, "word_starts", None)
    if starts is None:  # where a word (a run split() keeps) begins after a blank
        text = f.doc.text
        starts = f.word_starts = [i for i in range(1, len(text)) if text[i - 1].isspace() and not text[i].isspace()]
    e = min(e, len(f.doc.text))
    if s >= e:
        return 0
    return (not f.doc.text[s].isspace()) + bisect_right(starts, e - 1) - bisect_right(starts, s)


def _content_features(f: _Finder, c: Candidate, out: dict[str, float]) -> None:
    s, e = c.content
    if c.span_tok is not None:
        first = _word_class(f, c.span_tok[0])
        out[f"content_first={first}"] = 1.0
        out[f"content_first={first}|stop={c.stop}"] = 1.0
    after = _word_class(f, c.cue_tok + 1)
    out[f"after_cue={after}"] = 1.0
    out[f"after_cue={after}|stop={c.stop}"] = 1.0
    words = _words_in(f, s, e)
    out["content_words=" + _bucket(words)] = 1.0
    out["log_words"] = math.log1p(words)
    out[f"type={c.type}"] = 1.0
    start_tok = bisect_right(f.tok_starts, s) - 1
    end_tok = bisect_right(f.tok_starts, max(s, e - 1)) - 1
    sents = f.toks[end_tok].sent - f.toks[start_tok].sent if start_tok >= 0 else 0
    out["content_sents=" + _bucket(sents, (0, 1, 2))] = 1.0
    gap = start_tok - c.cue_tok
    out["gap=" + _bucket(gap, (1, 2, 3, 5, 8, 13, 21))] = 1.0
    out[f"gap={_bucket(gap, (1, 2, 3, 5, 8, 13, 21))}|stop={c.stop}"] = 1.0
    ends_sentence = end_tok + 1 >= f.sent_tok_end[f.toks[end_tok].sent] - 1
    out[f"ends_sentence={ends_sentence}"] = 1.0
    if c.cue_tok < start_tok:
        between = f.toks[c.cue_tok + 1 : start_tok]
        out[f"comma_between={any(t.text in CLAUSE_PUNCT for t in between)}"] = 1.0


def features(f: _Finder, c: Candidate, inside: tuple[bool, bool] = (False, False)) -> dict[str, float]:
    """The decision features of one candidate: lexicon classes, shapes and counts only.

    ``inside``: whether its cue lies in the content of a candidate the rules keep, and of any
    candidate (a cue inside reported speech is part of it)."""
    out: dict[str, float] = {
        f"inside_clean={inside[0]}": 1.0,
        f"inside_any={inside[1]}": 1.0,
        f"inside_clean={inside[0]}|vetoed={bool(c.vetoes)}": 1.0,
        f"shape={c.shape}": 1.0,
        f"stop={c.stop}": 1.0,
        f"shape={c.shape}|stop={c.stop}": 1.0,
    }
    for v in sorted(c.vetoes):
        out[f"veto={v}"] = 1.0
        out[f"veto={v}|stop={c.stop}"] = 1.0
        out[f"veto={v}|np={'none' if c.np is None else c.np.kind}"] = 1.0
    out["vetoes=" + _bucket(len(c.vetoes), (0, 1, 2))] = 1.0
    _form_features(c, out)
    _subject_features(f, c, out)
    _context_features(f, c, out)
    _content_features(f, c, out)
    return out


def insides(cands: list[Candidate]) -> list[tuple[bool, bool]]:
    """For each candidate: is its cue inside a rule-kept candidate's content, inside any one's."""
    from qala.nlp.quotes import _covered

    clean = _covered([c.content for c in cands if not c.vetoes])
    every = _covered([c.content for c in cands])
    return [(clean(c.cue[0]), every(c.cue[0])) for c in cands]


def all_features(f: _Finder, cands: list[Candidate]) -> list[dict[str, float]]:
    return [features(f, c, ins) for c, ins in zip(cands, insides(cands), strict=True)]


# -- content ends --------------------------------------------------------------------------------


def end_options(f: _Finder, c: Candidate) -> list[tuple[int, dict[str, float]]]:
    """The token ends a clause content may take, each with its features; the rules' end first."""
    assert c.span_tok is not None
    start, rule_end = c.span_tok
    sent = f.toks[start].sent
    last = f.sent_tok_end[sent]
    kinds: dict[int, set[str]] = {rule_end: {"rule"}}

    def add(j: int, kind: str) -> None:
        if j > start:
            kinds.setdefault(j, set()).add(kind)

    add(last, "sentence_end")
    text = f.doc.text
    s = sent
    while s + 1 < len(f.doc.sentences) and s - sent < MORE_SENTENCES:
        if "\n" in text[f.doc.sentences[s].end : f.doc.sentences[s + 1].start]:
            break
        s += 1
        add(f.sent_tok_end[s], "next_sentence")
    scan_end = f.sent_tok_end[s]
    for j in range(start + 1, scan_end):
        t = f.toks[j]
        if t.text in CLAUSE_PUNCT:
            nxt = f.toks[j + 1] if j + 1 < scan_end else None
            add(j, "comma_wa" if nxt is not None and nxt.norm[:1] == "و" else "comma")
        elif t.text in CLOSE_MARKS:
            add(j + 1, "after_close")
        elif f.cue_vetoes(j)[0] is not None:
            add(j, "before_cue")
    options = []
    for j in sorted(kinds, key=lambda j: (j != rule_end, j)):
        options.append((j, _end_features(f, c, start, rule_end, j, kinds[j])))
    return options


def _end_features(
    f: _Finder, c: Candidate, start: int, rule_end: int, j: int, kinds: set[str]
) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in sorted(kinds):
        out[f"end={k}"] = 1.0
        out[f"end={k}|stop={c.stop}"] = 1.0
    words = f._words_between(start, j, most=200)
    out["end_words=" + _bucket(words)] = 1.0
    delta = j - rule_end
    out[
        "delta=" + ("0" if delta == 0 else ("+" if delta > 0 else "-") + _bucket(abs(delta), (2, 5, 10, 20)))
    ] = 1.0
    sents = f.toks[j - 1].sent - f.toks[start].sent
    out["end_sents=" + _bucket(sents, (0, 1, 2))] = 1.0
    opened = sum(1 for q in f.quotes if start <= q.open < j and (q.close is None or q.close >= j))
    out[f"splits_quote={opened > 0}"] = 1.0
    nxt = f.toks[j] if j < len(f.toks) else None
    out[f"next_conj={nxt is not None and nxt.norm[:1] in CONJUNCTIONS}"] = 1.0
    return out


# -- the model -----------------------------------------------------------------------------------


def _score(weights: dict[str, float], bias: float, feats: dict[str, float]) -> float:
    return bias + sum(weights.get(k, 0.0) * v for k, v in feats.items())


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


@dataclass(eq=False)
class StatementModel:
    """A keep/drop logistic model and a content-end scorer, as stored in ``models/statements.json``."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    # a candidate the rules raise no objection to is dropped only below this probability
    clean_threshold: float = 0.5
    # the content-end scorer is trained and stored, but only used when it beats the rules' ends
    use_ends: bool = False
    end_weights: dict[str, float] = field(default_factory=dict)
    end_bias: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)
    hard_vetoes: frozenset[str] = HARD_VETOES

    def prob(self, feats: dict[str, float]) -> float:
        return _sigmoid(_score(self.weights, self.bias, feats))

    def best_end(self, f: _Finder, c: Candidate) -> int | None:
        """The content end the scorer prefers (``None``: keep the rules' end)."""
        if not self.use_ends or not self.end_weights or c.span_tok is None:
            return None
        options = end_options(f, c)
        best = max(options, key=lambda o: _score(self.end_weights, self.end_bias, o[1]))
        return best[0]

    def decide(self, f: _Finder, cands: list[Candidate]) -> list[Candidate]:
        """The candidates kept, with the model's probability as confidence and the chosen end."""
        kept = []
        for c, feats in zip(cands, all_features(f, cands), strict=True):
            p = self.prob(feats)
            if p < (self.threshold if c.vetoes else min(self.threshold, self.clean_threshold)):
                continue
            c = replace(c, confidence=round(p, 3))
            end = self.best_end(f, c)
            if end is not None and c.span_tok is not None and end != c.span_tok[1]:
                c = f.with_end(c, end)
            if c is not None:
                kept.append(c)
        return kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "qala-statements/1",
            **self.meta,
            "threshold": self.threshold,
            "clean_threshold": self.clean_threshold,
            "use_ends": self.use_ends,
            "bias": self.bias,
            "weights": dict(sorted(self.weights.items())),
            "end_bias": self.end_bias,
            "end_weights": dict(sorted(self.end_weights.items())),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StatementModel:
        if d.get("format") != "qala-statements/1":
            raise ValueError(f"not a statement model: format {d.get('format')!r}")
        meta = {
            k: v
            for k, v in d.items()
            if k
            not in (
                "format",
                "threshold",
                "clean_threshold",
                "use_ends",
                "bias",
                "weights",
                "end_bias",
                "end_weights",
            )
        }
        return cls(
            d["weights"],
            d["bias"],
            d["threshold"],
            d.get("clean_threshold", d["threshold"]),
            d.get("use_ends", False),
            d.get("end_weights", {}),
            d.get("end_bias", 0.0),
            meta,
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@cache
def shipped_model() -> StatementModel | None:
    """The model in the package, read once; ``None`` when none was trained (the rules decide)."""
    res = resources.files("qala").joinpath("models", MODEL_FILE)
    if not res.is_file():
        return None
    return StatementModel.from_dict(json.loads(res.read_text(encoding="utf-8")))
