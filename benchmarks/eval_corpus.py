"""Corpus figures for RESULTS.md: annotation agreement per batch, and the three evaluation rows.

    .venv/bin/python benchmarks/eval_corpus.py [--cv 5] [--no-write]

Rows: development (the train split scored with the shipped models), cross-validated (K document
folds stratified by outlet; learned components refitted on the other folds), sealed test (scored
as aggregates only). Each row is broken down by how the gold statement refers to its speaker
(``resolution``: explicit, pronoun, title, description, headline; ``unrecorded`` for the earlier
gold, which does not say).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from results import REPO, cpu_model, git_commit, write_section

from qala.cli.corpus import agreement_rows, load_corpus
from qala.cli.evaluate import analyze_annotated, trainers
from qala.corpus.crossval import cross_validate
from qala.corpus.texts import Texts
from qala.evaluation import GoldStatement, PredictedStatement, evaluate, match_statements, speaker_is_right

CORPUS = REPO / "corpus"


def by_resolution(docs, predicted) -> dict[str, list[int]]:
    """Per gold resolution: [required gold, matched, speaker right]."""
    preds = {p["id"]: p for p in predicted}
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for d in docs:
        gold_quotes = d.gold()["quotes"]
        gold = [GoldStatement.from_dict(q) for q in gold_quotes]
        pred = [PredictedStatement.from_dict(q) for q in preds[d.id]["quotes"]]
        matched = {m.gold: m.predicted for m in match_statements(gold, pred)}
        for gi, (g, q) in enumerate(zip(gold, gold_quotes, strict=True)):
            if g.optional:
                continue
            row = out[q.get("resolution") or "unrecorded"]
            row[0] += 1
            if gi in matched:
                row[1] += 1
                row[2] += speaker_is_right(pred[matched[gi]].speaker, g.speaker, g.aliases)
    return dict(out)


def _agreement_table(rows) -> list[str]:
    lines = [
        "| batch | articles | statements A / B | statement F1 | speaker accuracy | end-to-end F1 | entity F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ent = "–" if r["entity_f1"] is None else f"{r['entity_f1']:.3f}"
        bold = "**" if r["batch"] == "all" else ""
        lines.append(
            f"| {bold}{r['batch']}{bold} | {r['articles']} | {r['statements_a']} / {r['statements_b']} | "
            f"{r['statement_f1']:.3f} | {r['speaker_accuracy']:.3f} | {bold}{r['e2e_f1']:.3f}{bold} | {ent} |"
        )
    return lines


def _rows_table(rows) -> list[str]:
    lines = [
        "| row | articles | required | statement P / R / F1 | speaker accuracy | end-to-end P / R / F1 |",
        "|---|---:|---:|---|---:|---|",
    ]
    for name, docs, report in rows:
        m = report.metrics()
        lines.append(
            f"| {name} | {len(docs)} | {report.gold_required} | {m['statement_precision']:.3f} / "
            f"{m['statement_recall']:.3f} / {m['statement_f1']:.3f} | {m['speaker_accuracy']:.3f} | "
            f"{m['e2e_precision']:.3f} / {m['e2e_recall']:.3f} / **{m['e2e_f1']:.3f}** |"
        )
    return lines


def _breakdown_table(breakdowns) -> list[str]:
    kinds = sorted({k for _, b in breakdowns for k in b})
    lines = ["| row | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    for name, b in breakdowns:
        cells = []
        for k in kinds:
            gold, matched, right = b.get(k, [0, 0, 0])
            cells.append(f"{right}/{matched} = {right / matched:.2f} ({gold})" if matched else f"– ({gold})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    texts = Texts(REPO.parent / "shared" / "data")
    t0 = time.perf_counter()
    agreement = agreement_rows(CORPUS, texts)
    train, sealed = load_corpus(CORPUS, texts, "train"), load_corpus(CORPUS, texts, "sealed")
    cache: dict = {}
    dev_pred = analyze_annotated(train, None, cache)
    sealed_pred = analyze_annotated(sealed, None, cache)
    cv_pred: list = []
    cross_validate(
        train,
        args.cv,
        lambda docs, opts: cv_pred.extend(analyze_annotated(docs, opts, cache)) or cv_pred[-len(docs) :],
        trainers(),
    )
    rows = [
        ("development", train, evaluate([d.gold() for d in train], dev_pred)),
        (f"cross-validated ({args.cv} folds)", train, evaluate([d.gold() for d in train], cv_pred)),
        ("sealed test", sealed, evaluate([d.gold() for d in sealed], sealed_pred)),
    ]
    breakdowns = [
        ("development", by_resolution(train, dev_pred)),
        ("cross-validated", by_resolution(train, cv_pred)),
        ("sealed test", by_resolution(sealed, sealed_pred)),
    ]
    section = "\n".join(
        [
            "<!-- bench:corpus -->",
            "## Annotation corpus: agreement and the three evaluation rows",
            "",
            f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{git_commit()}`; "
            f"machine: {cpu_model()}; {time.perf_counter() - t0:.0f} s",
            f"- command: `.venv/bin/python benchmarks/eval_corpus.py --cv {args.cv}` (the rows are those of "
            "`make eval`)",
            "",
            "### Agreement of the two independent passes (pass A scored against pass B and back, averaged)",
            "",
            *_agreement_table(agreement),
            "",
            "### Who-said-what, three rows",
            "",
            *_rows_table(rows),
            "",
            "Speaker accuracy by how the gold statement refers to its speaker (right / matched, required "
            "gold in parentheses):",
            "",
            *_breakdown_table(breakdowns),
            "<!-- /bench:corpus -->",
        ]
    )
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
