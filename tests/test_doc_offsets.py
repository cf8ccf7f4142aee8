"""Every span that ``analyze`` emits points into the original text, over the whole corpus.

For each of the 408 news articles and the seed: ``text[start:end] == span["text"]`` for every
entity mention, cue, content, speaker mention, date and link; sentences are in order inside the
text; and the Doc survives ``from_dict`` and JSON unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qala.nlp import Doc, analyze

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ARTICLES = DATA / "news" / "articles.jsonl"
SEED_JSONL = DATA / "seed" / "seed.jsonl"
SEED_TXT = DATA / "seed" / "000_c398a748092b5110.txt"

pytestmark = pytest.mark.slow


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise FileNotFoundError(f"test data missing: {path} (the data folder belongs beside the repository)")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus() -> list[Any]:
    records = read_jsonl(SEED_JSONL) + read_jsonl(ARTICLES)
    params = [pytest.param(r["text"], r.get("date"), r["id"], id=r["id"]) for r in records]
    params.append(pytest.param(SEED_TXT.read_text(encoding="utf-8"), "2015-09-15", "seed-txt", id="seed-txt"))
    return params


def spans_of(d: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, span) for every offset-carrying span except sentences."""
    out: list[tuple[str, dict[str, Any]]] = []
    for e in d["entities"]:
        out += [(f"entity {e['id']} mention", m) for m in e["mentions"]]
    for n, q in enumerate(d["quotes"]):
        out += [(f"quote {n} cue", q["cue"]), (f"quote {n} content", q["content"])]
        if q["speaker"] and q["speaker"]["mention"]:
            out.append((f"quote {n} speaker mention", q["speaker"]["mention"]))
    out += [(f"date {n}", x) for n, x in enumerate(d["dates"])]
    out += [(f"link {n}", x) for n, x in enumerate(d["links"])]
    return out


@pytest.mark.parametrize(("text", "published", "doc_id"), corpus())
def test_doc_offsets_point_into_the_text_and_round_trip(
    text: str, published: str | None, doc_id: str
) -> None:
    d = analyze(text, {"published": published}, id=doc_id).to_dict()
    assert d["text"] == text
    n = len(text)

    previous_end = 0
    for s in d["sentences"]:
        assert set(s) == {"start", "end"}
        assert 0 <= s["start"] < s["end"] <= n, s
        assert s["start"] >= previous_end, f"sentences overlap or are out of order at {s}"
        previous_end = s["end"]

    for where, span in spans_of(d):
        assert 0 <= span["start"] < span["end"] <= n, f"{where}: {span}"
        if "text" in span:
            assert text[span["start"] : span["end"]] == span["text"], f"{where}: {span}"

    entity_ids = [e["id"] for e in d["entities"]]
    assert len(entity_ids) == len(set(entity_ids)), "entity ids repeat"
    for q in d["quotes"]:
        if q["speaker"] and q["speaker"]["entity"] is not None:
            assert q["speaker"]["entity"] in entity_ids, q["speaker"]

    assert Doc.from_dict(d).to_dict() == d
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
