"""Merging two independent passes into one annotation, as ``spec/annotating.md`` (step 4) says.

- A statement both passes have is kept, required only if both say required.
- A statement only one pass has as required goes to a third reader (a dispute); one that the
  pass itself marks optional stays optional.
- Speaker, boundary, type and kind disagreements on a shared statement are disputes.
- Entity spans both passes give with one type are kept; the others are disputes by surface form.

``disputes`` lists what the third reader decides; ``merge`` applies the decisions. A dispute left
undecided falls back to the cautious reading (optional statement, both speakers as aliases,
pass A's kind, no entity), and is counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qala.corpus.standoff import Annotated
from qala.evaluation import (
    GoldStatement,
    PredictedStatement,
    match_statements,
    scoring_tokens,
    speaker_is_right,
    token_f1,
)

SAME_BOUNDARY_F1 = 0.9  # contents this close are one boundary; pass A's span is kept


def _same_speaker(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return speaker_is_right(a["speaker"], b["speaker"], b["aliases"]) or speaker_is_right(
        b["speaker"], a["speaker"], a["aliases"]
    )


def pairs(a: Annotated, b: Annotated) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Matched statement pairs (index in A, index in B), then A-only and B-only indices."""
    gold = [
        GoldStatement(s["speaker"], tuple(s["aliases"]), s["type"], a.span(s["content"]))
        for s in a.statements
    ]
    preds = [PredictedStatement(s["speaker"], s["type"], b.span(s["content"])) for s in b.statements]
    matches = [(m.gold, m.predicted) for m in match_statements(gold, preds)]
    only_a = [i for i in range(len(gold)) if i not in {g for g, _ in matches}]
    only_b = [i for i in range(len(preds)) if i not in {p for _, p in matches}]
    return matches, only_a, only_b


def _pair_issues(doc: Annotated, sa: dict[str, Any], sb: dict[str, Any]) -> list[str]:
    issues = []
    if not _same_speaker(sa, sb):
        issues.append("speaker")
    if sa["content"] != sb["content"]:
        f1 = token_f1(scoring_tokens(doc.span(sa["content"])), scoring_tokens(doc.span(sb["content"])))
        if f1 < SAME_BOUNDARY_F1:
            issues.append("boundary")
    for key in ("type", "kind"):
        if sa.get(key) != sb.get(key):
            issues.append(key)
    return issues


def _entity_spans(doc: Annotated) -> dict[tuple[int, int], str]:
    return {(e["start"], e["end"]): e["type"] for e in doc.record.get("entities", [])}


@dataclass(slots=True)
class Disputes:
    statements: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.statements or self.entities)


def _dispute(n: int, issues: list[str], a: Annotated, b: Annotated, i: int | None, j: int | None) -> dict:
    """A dispute with its key: the issues and both contents' offsets, so that a decision taken on
    an earlier version of a pass is never applied to a different statement."""
    spans = [
        a.statements[i]["content"] if i is not None else None,
        b.statements[j]["content"] if j is not None else None,
    ]
    key = "+".join(issues) + ":" + ":".join("-" if x is None else f"{x[0]}-{x[1]}" for x in spans)
    return {"id": f"s{n}", "issues": issues, "a": i, "b": j, "key": key}


def decision_for(decisions: dict[str, Any], dispute: dict[str, Any]) -> dict[str, Any] | None:
    """The third reader's decision on this dispute, if it was taken on this very dispute."""
    found = decisions.get(dispute["id"])
    return found if found is not None and found.get("key") == dispute["key"] else None


def disputes(a: Annotated, b: Annotated) -> Disputes:
    """What a third reader must decide for one article, with stable ids (s1, s2, …)."""
    out = Disputes()
    matches, only_a, only_b = pairs(a, b)
    items = [(a.statements[i]["content"][0], "pair", i, j) for i, j in matches]
    items += [(a.statements[i]["content"][0], "A", i, None) for i in only_a]
    items += [(b.statements[j]["content"][0], "B", None, j) for j in only_b]
    for n, (_, what, i, j) in enumerate(sorted(items, key=lambda x: (x[0], x[1])), 1):
        if what == "pair":
            issues = _pair_issues(a, a.statements[i], b.statements[j])
            if issues:
                out.statements.append(_dispute(n, issues, a, b, i, j))
        else:
            s = a.statements[i] if what == "A" else b.statements[j]
            if not s["optional"]:
                out.statements.append(_dispute(n, [f"only-{what}"], a, b, i, j))
    if "entities" in a.record and "entities" in b.record:
        ea, eb = _entity_spans(a), _entity_spans(b)
        for span in sorted(set(ea) | set(eb)):
            if ea.get(span) != eb.get(span):
                form = a.article.text[span[0] : span[1]]
                entry = out.entities.setdefault(form, {"a": ea.get(span), "b": eb.get(span)})
                entry["a"] = entry["a"] or ea.get(span)
                entry["b"] = entry["b"] or eb.get(span)
    return out


def _kept(s: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**s, **changes}


def _merge_pair(
    sa: dict[str, Any],
    sb: dict[str, Any],
    decision: dict[str, Any] | None,
    undecided: Counter,
    issues: list[str],
) -> dict[str, Any]:
    base = sb if (decision or {}).get("choose") == "B" else sa
    out = _kept(
        base, optional=sa["optional"] or sb["optional"], agreement="adjudicated" if decision else "both"
    )
    if not issues:
        out["aliases"] = sorted(set(sa["aliases"]) | set(sb["aliases"]))
    if decision is None and issues:
        undecided.update(issues)
        if "speaker" in issues:  # a truly open source keeps both readings
            out["aliases"] = sorted(set(sa["aliases"]) | set(sb["aliases"]) | {sb["speaker"]})
        if "boundary" in issues:
            out["optional"] = True
    for key in ("kind", "type"):
        if decision and decision.get(key):
            out[key] = decision[key]
    if decision and "optional" in decision:
        out["optional"] = bool(decision["optional"])
    return out


def _merge_single(
    s: dict[str, Any], decision: dict[str, Any] | None, undecided: Counter
) -> dict[str, Any] | None:
    choice = (decision or {}).get("choose")
    if choice == "drop":
        return None
    if decision is None:
        undecided["single"] += 1
        return _kept(s, optional=True, agreement="one-pass")
    out = _kept(s, optional=choice == "optional", agreement="adjudicated")
    for key in ("kind", "type"):
        if decision.get(key):
            out[key] = decision[key]
    return out


def merge(a: Annotated, b: Annotated, decided: dict[str, Any] | None, undecided: Counter) -> dict[str, Any]:
    """One merged record (the ``annotations.jsonl`` form, without split and origin)."""
    decisions = (decided or {}).get("decisions", {})
    found = disputes(a, b)
    by_key = {(d["a"], d["b"]): d for d in found.statements}
    matches, only_a, only_b = pairs(a, b)
    statements = []
    for i, j in matches:
        d = by_key.get((i, j))
        issues = d["issues"] if d else []
        statements.append(
            _merge_pair(
                a.statements[i], b.statements[j], decision_for(decisions, d) if d else None, undecided, issues
            )
        )
    singles = [((i, None), a.statements[i]) for i in only_a] + [((None, j), b.statements[j]) for j in only_b]
    for key, s in singles:
        d = by_key.get(key)
        if d is None:  # optional in the one pass that has it: stays optional, no dispute
            statements.append(_kept(s, optional=True, agreement="one-pass"))
        elif kept := _merge_single(s, decision_for(decisions, d), undecided):
            statements.append(kept)
    statements.sort(key=lambda s: s["content"][0])
    record = {
        "id": a.id,
        "source": a.record["source"],
        "sha256": a.record["sha256"],
        "statements": statements,
    }
    if "entities" in a.record and "entities" in b.record:
        record["entities"] = _merge_entities(a, b, (decided or {}).get("entities", {}), undecided)
    return record


def _merge_entities(a: Annotated, b: Annotated, decided: dict[str, str], undecided: Counter) -> list[dict]:
    ea, eb = _entity_spans(a), _entity_spans(b)
    out = []
    for span in sorted(set(ea) | set(eb)):
        if ea.get(span) == eb.get(span):
            out.append({"start": span[0], "end": span[1], "type": ea[span]})
            continue
        form = a.article.text[span[0] : span[1]]
        choice = decided.get(form)
        if choice is None:
            undecided["entity"] += 1
        elif choice != "none":
            out.append({"start": span[0], "end": span[1], "type": choice})
    return _without_overlaps(out)


def _without_overlaps(entities: list[dict]) -> list[dict]:
    """Keep the longer of two overlapping spans (one pass may tag a longer form than the other)."""
    out: list[dict] = []
    for e in sorted(entities, key=lambda e: (e["start"], -(e["end"] - e["start"]))):
        if out and e["start"] < out[-1]["end"]:
            continue
        out.append(e)
    return out
