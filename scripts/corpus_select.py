"""Choose the articles of the annotation corpus and its sealed test set, reproducibly.

Writes ``corpus/selection.jsonl``: one line an article (id, source, sha256, outlet, topic, split,
batch). Run once, before anyone reads the articles; the sealed test set is drawn at random here and
is never opened for error analysis. Re-running with the same data gives the same file.

    .venv/bin/python scripts/corpus_select.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from qala.corpus.texts import iter_source, sha256

SEED = 20261203
ANT_PER_OUTLET = 50
SNN_PER_OUTLET = 5
SEALED_ANT_PER_OUTLET = 12
SEALED_SNN = 40
BATCH = 12
NEAR_COPY = 0.3
MIN_CHARS, MAX_CHARS = 250, 5000  # very long pages cost annotation time and are rare in news


def _stratified(articles, per_group: int, key, rng: random.Random):
    """``per_group`` articles spread as evenly as possible over ``key``'s values."""
    by_key = defaultdict(list)
    for a in articles:
        by_key[key(a)].append(a)
    for group in by_key.values():
        rng.shuffle(group)
    chosen, keys = [], sorted(by_key, key=str)
    while len(chosen) < per_group and any(by_key.values()):
        for k in keys:
            if by_key[k] and len(chosen) < per_group:
                chosen.append(by_key[k].pop())
    return chosen


def _pool(source: str, per_outlet: int, root: Path, rng: random.Random):
    by_outlet = defaultdict(list)
    for a in iter_source(source, root):
        if MIN_CHARS <= len(a.text) <= MAX_CHARS:
            by_outlet[a.meta.get("outlet")].append(a)
    chosen = []
    for outlet in sorted(by_outlet, key=str):
        chosen += _stratified(by_outlet[outlet], per_outlet, lambda a: a.meta.get("topic"), rng)
    return chosen


def _row(a, split: str) -> dict:
    return {
        "id": a.id,
        "source": a.source,
        "sha256": sha256(a.text),
        "outlet": a.meta.get("outlet"),
        "topic": a.meta.get("topic"),
        "chars": len(a.text),
        "split": split,
    }


def select(root: Path) -> list[dict]:
    rng = random.Random(SEED)
    gold = {json.loads(line)["id"] for line in (root / "gold/dev.jsonl").open(encoding="utf-8")}
    dev = [a for a in iter_source("news", root) if a.meta.get("split") == "dev" and a.id not in gold]
    ant = _pool("ant", ANT_PER_OUTLET, root, rng)
    snn = _pool("saudinewsnet", SNN_PER_OUTLET, root, rng)
    sealed = set()
    for outlet_group in _groups(ant).values():
        sealed |= {a.id for a in rng.sample(outlet_group, SEALED_ANT_PER_OUTLET)}
    snn_groups = _groups(snn)
    firsts = [rng.sample(g, 2) for g in snn_groups.values()]
    sealed |= {a.id for pair in firsts for a in pair}
    rest = [a for a in snn if a.id not in sealed]
    sealed |= {a.id for a in rng.sample(rest, SEALED_SNN - len(firsts) * 2)}
    rows = [_row(a, "train") for a in dev] + [
        _row(a, "sealed" if a.id in sealed else "train") for a in ant + snn
    ]
    rng.shuffle(rows)
    for i, row in enumerate(rows):
        row["batch"] = i // BATCH + 1
    _mark_near_duplicates(rows, {a.id: a.text for a in dev + ant + snn})
    return rows


def _grams(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def _mark_near_duplicates(rows: list[dict], texts: dict[str, str]) -> None:
    """Near-copies (30% of the shorter text's word 5-grams shared, the pool README's rule): a train
    copy of a sealed article leaves the corpus (split ``excluded``), so the sealed set stays unseen;
    train copies of each other share a ``group``, so cross-validation keeps them in one fold."""
    grams = {r["id"]: _grams(texts[r["id"]]) for r in rows}
    by_id = {r["id"]: r for r in rows}
    ids = sorted(by_id)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            ga, gb = grams[a], grams[b]
            if not ga or not gb or len(ga & gb) < NEAR_COPY * min(len(ga), len(gb)):
                continue
            ra, rb = by_id[a], by_id[b]
            if {ra["split"], rb["split"]} == {"train", "sealed"}:
                copy, kept = (ra, rb) if ra["split"] == "train" else (rb, ra)
                copy["split"], copy["excluded"] = "excluded", f"near-copy of sealed {kept['id']}"
            else:
                ra["group"] = rb["group"] = ra.get("group") or rb.get("group") or a


def _groups(articles):
    groups = defaultdict(list)
    for a in articles:
        groups[a.meta.get("outlet")].append(a)
    return {k: groups[k] for k in sorted(groups, key=str)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--output", type=Path, default=Path("corpus/selection.jsonl"))
    args = parser.parse_args()
    rows = select(args.data)
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{len(rows)} articles, {sum(r['split'] == 'sealed' for r in rows)} sealed, {rows[-1]['batch']} batches"
    )


if __name__ == "__main__":
    main()
