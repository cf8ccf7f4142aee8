"""Annotation passes: importing an annotator's written-out files, and agreement between passes.

An annotator writes one JSON file an article with the statements' text copied out (see
``corpus/README.md``); ``import_pass`` resolves them to offsets, so the pass file in the repository
holds offsets only. ``agreement`` scores one pass as gold against another with the project's own
evaluation, as ``spec/annotating.md`` asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qala.corpus.resolve import resolve
from qala.corpus.standoff import Annotated, CorpusError
from qala.corpus.texts import Texts
from qala.evaluation import GoldStatement, PredictedStatement, Report, evaluate, match_statements


def import_pass(
    folder: Path, selection: dict[str, dict[str, Any]], texts: Texts
) -> tuple[list[dict], list[str]]:
    """Stand-off records for every ``ID.json`` in ``folder``, and the problems found (file: reason)."""
    records, problems = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            written = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
            continue
        row = selection.get(written.get("id"))
        if row is None:
            problems.append(f"{path}: id {written.get('id')!r} is not in the selection")
            continue
        article = texts.get(row["source"], row["id"], row["sha256"])
        res = resolve(article.text, written)
        if res.errors:
            problems.append(f"{path}: {'; '.join(res.errors)}")
            continue
        record = {
            "id": row["id"],
            "source": row["source"],
            "sha256": row["sha256"],
            "annotator": written.get("annotator"),
            "statements": res.statements,
        }
        if "entities" in written:
            record["entities"] = res.entities
        records.append(record)
    return records, problems


def _gold(doc: Annotated, statements: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "speaker": s["speaker"],
            "aliases": s["aliases"],
            "type": s["type"],
            "content": doc.span(s["content"]),
            "optional": s["optional"],
        }
        for s in statements
    ]


def _predicted(doc: Annotated, other: Annotated) -> list[dict[str, Any]]:
    """``other``'s statements as predictions, less its optional ones that ``doc`` does not have.

    Optional statements are neither required nor penalized, so an optional statement that one
    pass has and the other lacks is no disagreement.
    """
    gold = [GoldStatement.from_dict(g) for g in _gold(doc, doc.statements)]
    preds = [PredictedStatement(s["speaker"], s["type"], other.span(s["content"])) for s in other.statements]
    matched = {m.predicted for m in match_statements(gold, preds)}
    return [
        {"speaker": {"name": p.speaker}, "type": p.type, "content": {"text": p.content}}
        for i, (p, s) in enumerate(zip(preds, other.statements, strict=True))
        if i in matched or not s["optional"]
    ]


def score_passes(gold: Sequence[Annotated], other: Sequence[Annotated]) -> Report:
    """``gold``'s pass as gold, ``other``'s as predictions, over the articles both have."""
    by_id = {d.id: d for d in other}
    common = [d for d in gold if d.id in by_id]
    return evaluate(
        [{"id": d.id, "quotes": _gold(d, d.statements)} for d in common],
        [{"id": d.id, "quotes": _predicted(d, by_id[d.id])} for d in common],
    )


@dataclass(frozen=True, slots=True)
class Agreement:
    articles: int
    statements_a: int
    statements_b: int
    e2e_f1: float
    statement_f1: float
    speaker_accuracy: float
    entity_f1: float | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def entity_f1(a: Sequence[Annotated], b: Sequence[Annotated]) -> float | None:
    """Exact-span, same-type F1 of one pass's entity mentions against the other's."""
    by_id = {d.id: d for d in b}
    both = tp = 0
    for d in a:
        other = by_id.get(d.id)
        if other is None or "entities" not in d.record or "entities" not in other.record:
            continue
        sa = {(e["start"], e["end"], e["type"]) for e in d.record["entities"]}
        sb = {(e["start"], e["end"], e["type"]) for e in other.record["entities"]}
        both += len(sa) + len(sb)
        tp += len(sa & sb)
    return 2 * tp / both if both else None


def agreement(a: Sequence[Annotated], b: Sequence[Annotated]) -> Agreement:
    """End-to-end F1 of A against B and of B against A, averaged (they differ only by optional gold)."""
    ab, ba = score_passes(a, b).metrics(), score_passes(b, a).metrics()
    ids = {d.id for d in a} & {d.id for d in b}
    return Agreement(
        articles=len(ids),
        statements_a=sum(len(d.statements) for d in a if d.id in ids),
        statements_b=sum(len(d.statements) for d in b if d.id in ids),
        e2e_f1=(ab["e2e_f1"] + ba["e2e_f1"]) / 2,
        statement_f1=(ab["statement_f1"] + ba["statement_f1"]) / 2,
        speaker_accuracy=(ab["speaker_accuracy"] + ba["speaker_accuracy"]) / 2,
        entity_f1=entity_f1(a, b),
    )


def load_pass(path: Path, selection: dict[str, dict[str, Any]], texts: Texts) -> list[Annotated]:
    """A pass file as checked ``Annotated`` records (hash and offsets checked)."""
    from qala.corpus.standoff import load

    docs = load(path, texts)
    unknown = [d.id for d in docs if d.id not in selection]
    if unknown:
        raise CorpusError(f"{path}: ids not in the selection: {', '.join(unknown[:5])}")
    return docs
