"""Score ``find_dates`` against the news-domain date annotations (dev split).

Gold: ``../shared/data/ner/news_dev/annotations.jsonl`` (``dates``: start, end, text, value,
values resolved against the article's ``date``). Reports span precision/recall/F1, exact
(same offsets) and overlap (any shared character, one-to-one), and value accuracy on the
matched spans. The annotation guide tags "a repeated date string at its first occurrence
only", so a predicted span that repeats the text of an earlier gold span of its article is
not counted as a false positive in the "convention" rows (the raw rows count it).

    python benchmarks/eval_dates.py [--errors] [--annotations PATH] [--articles PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qala.nlp.dates import find_dates
from qala.nlp.doc import Doc

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ANNOTATIONS = DATA / "ner" / "news_dev" / "annotations.jsonl"
ARTICLES = DATA / "news" / "articles.jsonl"


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_value(v: object) -> str | None:
    return None if v in (None, "null") else str(v)


def match(gold: list[dict], pred: list[dict], overlap: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index): same offsets, or overlapping (largest overlap first)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if overlap:
                shared = min(g["end"], p["end"]) - max(g["start"], p["start"])
                if shared > 0:
                    pairs.append((shared, gi, pi))
            elif (g["start"], g["end"]) == (p["start"], p["end"]):
                pairs.append((1, gi, pi))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def evaluate(annotations: list[dict], articles: dict[str, dict], show_errors: bool = False) -> dict:
    totals = {
        k: 0 for k in ("gold", "pred", "repeats", "tp_exact", "tp_overlap", "value_exact", "value_overlap")
    }
    for ann in annotations:
        article = articles[ann["id"]]
        doc = Doc(article["text"], id=ann["id"], meta={"published": article.get("date")})
        pred = [d.to_dict() for d in find_dates(doc)]
        gold = ann["dates"]
        totals["gold"] += len(gold)
        totals["pred"] += len(pred)
        for kind in ("exact", "overlap"):
            pairs = match(gold, pred, overlap=kind == "overlap")
            totals[f"tp_{kind}"] += len(pairs)
            totals[f"value_{kind}"] += sum(gold_value(gold[g]["value"]) == pred[p]["value"] for g, p in pairs)
            if kind == "overlap":
                matched_p = {p for _, p in pairs}
                matched_g = {g for g, _ in pairs}
                first_seen = {g["text"]: g["start"] for g in sorted(gold, key=lambda g: -g["start"])}
                repeats = {
                    pi
                    for pi, p in enumerate(pred)
                    if pi not in matched_p and first_seen.get(p["text"], p["start"]) < p["start"]
                }
                totals["repeats"] += len(repeats)
                if show_errors:
                    text = article["text"]
                    for g, p in pairs:
                        gv, pv = gold_value(gold[g]["value"]), pred[p]["value"]
                        if gv != pv or (gold[g]["start"], gold[g]["end"]) != (
                            pred[p]["start"],
                            pred[p]["end"],
                        ):
                            print(
                                f"{ann['id']} {article.get('date', '')[:10]} MATCH gold [{gold[g]['text']}]={gv}"
                                f" pred [{pred[p]['text']}]={pv}"
                            )
                    for gi, g in enumerate(gold):
                        if gi not in matched_g:
                            ctx = text[max(0, g["start"] - 30) : g["end"] + 15].replace("\n", " ")
                            print(
                                f"{ann['id']} {article.get('date', '')[:10]} MISS [{g['text']}]={g['value']} | {ctx}"
                            )
                    for pi, p in enumerate(pred):
                        if pi not in matched_p and pi not in repeats:
                            ctx = text[max(0, p["start"] - 30) : p["end"] + 15].replace("\n", " ")
                            print(
                                f"{ann['id']} {article.get('date', '')[:10]} FALSE [{p['text']}]={p['value']} | {ctx}"
                            )
    return totals


def report(t: dict, n_docs: int) -> str:
    lines = [
        f"dates: {n_docs} dev articles, {t['gold']} gold spans, {t['pred']} predicted "
        f"({t['repeats']} repeats of an earlier gold string)",
        "",
        "| match | P | R | F1 | value acc. (matched) |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in ("exact", "overlap"):
        tp = t[f"tp_{kind}"]
        acc = t[f"value_{kind}"] / tp if tp else 0.0
        for label, n_pred in (("raw", t["pred"]), ("convention", t["pred"] - t["repeats"])):
            p, r, f = prf(tp, n_pred, t["gold"])
            lines.append(
                f"| {kind}, {label} | {p:.3f} | {r:.3f} | {f:.3f} | {acc:.3f} ({t[f'value_{kind}']}/{tp}) |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--errors", action="store_true", help="print every miss, false alarm and wrong value")
    args = parser.parse_args(argv)
    annotations = load_jsonl(args.annotations)
    articles = {a["id"]: a for a in load_jsonl(args.articles)}
    if any(articles[a["id"]].get("split", "dev") != "dev" for a in annotations):
        parser.error("annotations must cover dev articles only")
    totals = evaluate(annotations, articles, args.errors)
    print(report(totals, len(annotations)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
