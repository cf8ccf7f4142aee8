"""The annotator's two tools: read an article with its offsets, and check a written-out pass.

    .venv/bin/python scripts/annotator.py show ID            # the text, one line per paragraph, with offsets
    .venv/bin/python scripts/annotator.py check FILE.json    # substring, cue and mention checks, entity counts
    .venv/bin/python scripts/annotator.py batch N            # the ids of batch N of corpus/selection.jsonl

No extraction software is involved: ``check`` only locates what the annotator wrote.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qala.corpus.resolve import resolve
from qala.corpus.texts import Texts

SELECTION = Path(__file__).resolve().parent.parent / "corpus" / "selection.jsonl"


def _selection() -> dict[str, dict]:
    rows = [json.loads(line) for line in SELECTION.open(encoding="utf-8")]
    return {r["id"]: r for r in rows}


def _source(article_id: str) -> str:
    sel = _selection().get(article_id)
    if sel:
        return sel["source"]
    return "seed" if article_id.startswith("seed") else "news"


def show(article_id: str) -> None:
    article = Texts().get(_source(article_id), article_id)
    text = article.text
    print(f"# {article_id}  ({len(text)} characters; offsets are Python string indices)")
    pos = 0
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            print(f"[{n} @{pos}] {line}")
        pos += len(line) + 1


def check(path: str) -> int:
    try:
        ann = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        print(f"error: {path}: {err}")
        return 2
    article_id = ann.get("id")
    if not isinstance(article_id, str):
        print(f"error: {path}: needs an 'id'")
        return 2
    text = Texts().get(_source(article_id), article_id).text
    res = resolve(text, ann)
    for s in res.statements:
        cs, ce = s["content"]
        print(
            f"ok  {s['type']:8} cue={text[s['cue'][0] : s['cue'][1]]!r}@{s['cue'][0]} content@{cs}-{ce} "
            f"speaker={s['speaker']!r}{' optional' if s['optional'] else ''}"
        )
    if "entities" in ann:
        print(f"entities: {len(res.entities)} mentions of {len(ann['entities'])} listed forms")
    for w in res.warnings:
        print(f"warning: {w}")
    for e in res.errors:
        print(f"error: {e}")
    print("OK" if not res.errors else f"{len(res.errors)} error(s): fix them and check again")
    return 1 if res.errors else 0


def batch(n: int) -> None:
    for row in _selection().values():
        if row["batch"] == n:
            print(row["id"], "entities" if row["source"] != "news" else "")


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "show":
        show(argv[1])
        return 0
    if len(argv) == 2 and argv[0] == "check":
        return check(argv[1])
    if len(argv) == 2 and argv[0] == "batch":
        batch(int(argv[1]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
