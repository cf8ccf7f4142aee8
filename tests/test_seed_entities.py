"""The seed article yields the entities, links and dates of gold/seed_entities.json.

Gold files are for measuring: this test reads them, the extractor never does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qala.nlp import analyze
from qala.nlp.normalize import fold

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="module")
def seed():
    path = DATA / "gold" / "seed_entities.json"
    if not path.exists():
        pytest.fail(f"{path} not found")
    gold = json.loads(path.read_text(encoding="utf-8"))
    article = json.loads((DATA / "seed" / "seed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    doc = analyze(article["text"], {"published": gold["published"]}, id=gold["id"])
    return gold, doc


def _forms(entity) -> set[str]:
    return {fold(m.text) for m in entity.mentions} | {fold(entity.name)}


def test_seed_entities_every_listed_entity_once_with_its_type(seed) -> None:
    gold, doc = seed
    for etype, names in gold["entities"].items():
        for name in names:
            found = [e for e in doc.entities if fold(name) in _forms(e)]
            assert len(found) == 1, f"{name}: {[(e.name, e.type) for e in found]}"
            assert found[0].type == etype, f"{name} is {found[0].type}, not {etype}"


def test_seed_entities_variants_are_one_entity(seed) -> None:
    gold, doc = seed
    for variants in gold["same_entity"]:
        owners = {e.id for v in variants for e in doc.entities if fold(v) in _forms(e)}
        assert len(owners) == 1, variants


def test_seed_entities_at_most_two_unlisted(seed) -> None:
    gold, doc = seed
    listed = {fold(n) for names in gold["entities"].values() for n in names}
    listed |= {fold(v) for vs in gold["same_entity"] for v in vs}
    unlisted = [e.name for e in doc.entities if not (_forms(e) & listed)]
    assert len(unlisted) <= 2, unlisted


def test_seed_entities_links_and_dates(seed) -> None:
    gold, doc = seed
    assert [(ln.url, ln.kind, ln.video_id) for ln in doc.links] == [
        (g["url"], g["kind"], g["video_id"]) for g in gold["links"]
    ]
    got = {(d.text, d.value) for d in doc.dates}
    for d in gold["dates"]:
        assert (d["text"], d["value"]) in got, d
