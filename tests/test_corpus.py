"""The stand-off corpus: resolving written-out passes, loading with checks, merging, agreement, folds."""

import json
from collections import Counter
from pathlib import Path

import pytest

from qala.corpus.crossval import cross_validate, folds
from qala.corpus.merge import disputes, merge
from qala.corpus.passes import agreement, import_pass
from qala.corpus.resolve import resolve
from qala.corpus.standoff import CorpusError, load, write_lines
from qala.corpus.texts import Texts

TEXT = (
    "قال الرئيس الروسي فلاديمير بوتين إن الأزمة كانت متوقعة تماما.\n"
    "وأضاف: «لن نتراجع عن موقفنا في سوريا».\n"
    "من جهة أخرى، أعلنت وزارة الخارجية المصرية بالقاهرة أن الوفد سيصل غدا."
)
PUTIN = {"speaker": "فلاديمير بوتين", "aliases": ["بوتين"], "kind": "claim", "optional": False}


def quote(cue, content, mention=None, resolution="explicit", type_="indirect", **extra):
    return {
        "cue": cue,
        "content": content,
        "mention": mention,
        "resolution": resolution,
        "type": type_,
        **PUTIN,
        **extra,
    }


@pytest.fixture
def data(tmp_path):
    """A data folder with two articles of two outlets (one of them SaudiNewsNet)."""
    news = tmp_path / "data" / "news"
    news.mkdir(parents=True)
    rows = [
        {"id": "a1", "text": TEXT, "outlet": "BBC Arabic", "date": "2018-01-02"},
        {
            "id": "a2",
            "text": TEXT + "\nوأكد بوتين أن الحل سياسي.",
            "outlet": "Okaz",
            "source_repo": "inparallel/SaudiNewsNet",
        },
    ]
    (news / "articles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return tmp_path / "data"


def test_resolve_finds_content_cue_and_mention():
    res = resolve(
        TEXT, {"quotes": [quote("قال", "الأزمة كانت متوقعة تماما", "الرئيس الروسي فلاديمير بوتين")]}
    )
    assert not res.errors
    s = res.statements[0]
    assert TEXT[s["content"][0] : s["content"][1]] == "الأزمة كانت متوقعة تماما"
    assert TEXT[s["cue"][0] : s["cue"][1]] == "قال" and s["cue"][0] == 0
    assert TEXT[s["mention"][0] : s["mention"][1]] == "الرئيس الروسي فلاديمير بوتين"
    assert set(s["aliases"]) == {"فلاديمير بوتين", "بوتين"}


def test_resolve_takes_the_cue_nearest_its_content():
    # «قال» also stands at offset 0; the cue of the second statement is «وأضاف».
    res = resolve(
        TEXT, {"quotes": [quote("أضاف", "لن نتراجع عن موقفنا في سوريا", None, "pronoun", "direct")]}
    )
    s = res.statements[0]
    assert TEXT[s["cue"][0] - 1 : s["cue"][1]] == "وأضاف"


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (quote("قال", "ليس في النص"), "not a substring"),
        (quote("صرح", "الأزمة كانت متوقعة تماما"), "cue 'صرح' not found"),
        (quote("قال", "الأزمة كانت متوقعة تماما", "سيرغي لافروف"), "mention 'سيرغي لافروف' not found"),
        ({**quote("قال", "الأزمة كانت متوقعة تماما"), "kind": "gossip"}, "kind 'gossip'"),
        ({**quote("قال", "الأزمة كانت متوقعة تماما"), "type": "reported"}, "type 'reported'"),
    ],
)
def test_resolve_reports_what_it_cannot_place(q, message):
    res = resolve(TEXT, {"quotes": [q]})
    assert any(message in e for e in res.errors), res.errors


def test_resolve_entities_every_whole_word_occurrence_after_proclitics():
    res = resolve(
        TEXT,
        {
            "quotes": [],
            "entities": [
                {"text": "فلاديمير بوتين", "type": "PER"},
                {"text": "القاهرة", "type": "LOC"},
                {"text": "وزارة الخارجية المصرية", "type": "ORG"},
                {"text": "سوريا", "type": "LOC"},
                {"text": "الخارجية", "type": "ORG"},  # inside the longer form only: no span of its own
            ],
        },
    )
    spans = [(TEXT[e["start"] : e["end"]], e["type"]) for e in res.entities]
    assert spans == [
        ("فلاديمير بوتين", "PER"),
        ("سوريا", "LOC"),
        ("وزارة الخارجية المصرية", "ORG"),
        ("القاهرة", "LOC"),
    ]
    assert any("الخارجية" in w for w in res.warnings)


def _pass_file(tmp_path, name, data, quotes_by_id, entities=None):
    folder = tmp_path / name
    folder.mkdir()
    for doc_id, quotes in quotes_by_id.items():
        body = {"id": doc_id, "quotes": quotes}
        if entities is not None:
            body["entities"] = entities
        (folder / f"{doc_id}.json").write_text(json.dumps(body, ensure_ascii=False))
    texts = Texts(data)
    selection = {
        a: {"id": a, "source": "news", "sha256": texts.get("news", a).sha256, "batch": 1}
        for a in quotes_by_id
    }
    records, problems = import_pass(folder, selection, texts)
    assert not problems
    path = tmp_path / f"{name}.jsonl"
    write_lines(path, records)
    return load(path, texts)


Q1 = quote("قال", "الأزمة كانت متوقعة تماما", "الرئيس الروسي فلاديمير بوتين")
Q2 = quote("أضاف", "لن نتراجع عن موقفنا في سوريا", None, "pronoun", "direct")
Q3 = {
    **quote("أعلنت", "الوفد سيصل غدا", "وزارة الخارجية المصرية"),
    "speaker": "وزارة الخارجية المصرية",
    "aliases": ["وزارة الخارجية المصرية"],
}


def test_load_checks_hash_offsets_and_span_text(tmp_path, data):
    docs = _pass_file(tmp_path, "A", data, {"a1": [Q1]})
    assert docs[0].gold()["quotes"][0]["content"] == "الأزمة كانت متوقعة تماما"
    record = json.loads((tmp_path / "A.jsonl").read_text())
    for change, message in [
        ({"sha256": "0" * 64}, "changed since it was annotated"),
        ({"statements": [{**record["statements"][0], "content": [5, 99999]}]}, "out of range"),
        ({"statements": [{**record["statements"][0], "content": [4, 20]}]}, "is not the content"),
    ]:
        bad = tmp_path / "bad.jsonl"
        write_lines(bad, [{**record, **change}])
        with pytest.raises(CorpusError, match=message) as err:
            load(bad, Texts(data))
        assert "a1" in str(err.value)


def test_identical_passes_agree_fully_and_need_no_third_reader(tmp_path, data):
    a = _pass_file(tmp_path, "A", data, {"a1": [Q1, Q2, Q3]})
    b = _pass_file(tmp_path, "B", data, {"a1": [Q1, Q2, Q3]})
    assert agreement(a, b).e2e_f1 == 1.0
    assert not disputes(a[0], b[0])
    merged = merge(a[0], b[0], None, Counter())
    assert [s["agreement"] for s in merged["statements"]] == ["both"] * 3


def test_disagreements_become_disputes_and_decisions_settle_them(tmp_path, data):
    wrong_speaker = {**Q1, "speaker": "وزارة الخارجية المصرية", "aliases": []}
    a = _pass_file(tmp_path, "A", data, {"a1": [Q1, Q2, Q3]})
    b = _pass_file(tmp_path, "B", data, {"a1": [wrong_speaker, {**Q2, "kind": "promise"}]})
    assert agreement(a, b).e2e_f1 < 0.9
    found = disputes(a[0], b[0])
    issues = {d["id"]: d["issues"] for d in found.statements}
    assert sorted(issues.values()) == [["kind"], ["only-A"], ["speaker"]]
    undecided = Counter()
    cautious = merge(a[0], b[0], None, undecided)
    assert undecided == Counter({"speaker": 1, "kind": 1, "single": 1})
    assert all(s["optional"] for s in cautious["statements"] if s["agreement"] == "one-pass")
    keys = {tuple(d["issues"]): (d["id"], d["key"]) for d in found.statements}
    answers = {("speaker",): {"choose": "A"}, ("kind",): {"kind": "promise"}, ("only-A",): {"choose": "drop"}}
    decisions = {keys[k][0]: {**v, "key": keys[k][1]} for k, v in answers.items()}
    stale = {keys[k][0]: {**v, "key": "an-older-dispute"} for k, v in answers.items()}
    assert merge(a[0], b[0], {"decisions": stale}, Counter()) == cautious  # never applied to another dispute
    settled = merge(a[0], b[0], {"decisions": decisions}, Counter())
    assert [(s["speaker"], s["kind"]) for s in settled["statements"]] == [
        ("فلاديمير بوتين", "claim"),
        ("فلاديمير بوتين", "promise"),
    ]


def test_an_optional_statement_one_pass_lacks_is_no_disagreement(tmp_path, data):
    a = _pass_file(tmp_path, "A", data, {"a1": [Q1, {**Q3, "optional": True}]})
    b = _pass_file(tmp_path, "B", data, {"a1": [Q1]})
    assert agreement(a, b).e2e_f1 == 1.0
    assert not disputes(a[0], b[0]).statements


def test_entity_disputes_are_by_form(tmp_path, data):
    ents = [{"text": "فلاديمير بوتين", "type": "PER"}, {"text": "القاهرة", "type": "LOC"}]
    a = _pass_file(tmp_path, "A", data, {"a1": []}, ents)
    b = _pass_file(tmp_path, "B", data, {"a1": []}, ents[:1] + [{"text": "القاهرة", "type": "ORG"}])
    assert disputes(a[0], b[0]).entities == {"القاهرة": {"a": "LOC", "b": "ORG"}}
    merged = merge(a[0], b[0], {"entities": {"القاهرة": "LOC"}}, Counter())
    assert [e["type"] for e in merged["entities"]] == ["PER", "LOC"]


def test_folds_cover_every_document_once_and_never_train_on_saudinewsnet(tmp_path, data):
    docs = _pass_file(tmp_path, "A", data, {"a1": [Q1], "a2": [Q1]})
    parts = folds(docs, 2)
    assert sorted(d.id for p in parts for d in p) == ["a1", "a2"]
    assert {len(p) for p in parts} == {1}
    seen = []

    class Recorder:
        name = "recorder"

        def fit(self, train):
            seen.append([d.id for d in train])

        def options(self, model, options):
            return options

    def predict(held, options):
        return [
            {
                "id": d.id,
                "quotes": [
                    {
                        "content": {"text": "الأزمة كانت متوقعة تماما"},
                        "speaker": {"name": "بوتين"},
                        "type": "indirect",
                    }
                ],
            }
            for d in held
        ]

    pooled, per_fold = cross_validate(docs, 2, predict, [Recorder()])
    assert pooled.metrics()["e2e_f1"] == 1.0 and len(per_fold) == 2
    assert sorted(map(tuple, seen)) == [(), ("a1",)]  # a2 is SaudiNewsNet: evaluated, never fitted on


@pytest.mark.slow
def test_every_corpus_file_of_the_repository_loads_against_the_shared_texts():
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = Texts(Path(__file__).resolve().parents[2] / "shared" / "data")
    for name in ("gold.jsonl", "annotations.jsonl", "passes/A.jsonl", "passes/B.jsonl"):
        docs = load(corpus / name, texts)
        assert docs, name
        for d in docs:
            for s in d.statements:
                assert d.span(s["content"]).strip(), (name, d.id)
                assert s["cue"][1] <= s["content"][0] or s["cue"][0] >= s["content"][1], (name, d.id)


@pytest.mark.slow
def test_stand_off_gold_gives_back_the_text_gold_it_was_made_from():
    root = Path(__file__).resolve().parents[1]
    shared = root.parent / "shared" / "data"
    original = {}
    for name in ("seed.jsonl", "dev.jsonl"):
        for line in (shared / "gold" / name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            original[d["id"]] = d["quotes"]
    docs = load(root / "corpus" / "gold.jsonl", Texts(shared))
    assert {d.id for d in docs} == set(original)
    for d in docs:
        back = d.gold()["quotes"]
        assert [(q["content"], q["speaker"], q["type"], q["optional"]) for q in back] == [
            (q["content"], q["speaker"], q["type"], bool(q.get("optional"))) for q in original[d.id]
        ]
        assert all(
            q["cue"] == o["cue"] or o["cue"].startswith(q["cue"])
            for q, o in zip(back, original[d.id], strict=True)
        )


def test_cli_corpus_round_trip_from_passes_to_gold(tmp_path, data):
    """The commands as a user runs them: import two passes, agreement, disputes, decisions, merge,
    check, gold; the gold then scores with `qala eval` unchanged."""
    from typer.testing import CliRunner

    from qala.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = Texts(data)
    rows = [
        {
            "id": a,
            "source": "news",
            "sha256": texts.get("news", a).sha256,
            "outlet": "x",
            "batch": 1,
            "split": "train",
        }
        for a in ("a1", "a2")
    ]
    write_lines(corpus / "selection.jsonl", rows)
    for name, quotes in (("A", [Q1, Q2, Q3]), ("B", [Q1, {**Q2, "kind": "promise"}])):
        folder = tmp_path / f"written-{name}"
        folder.mkdir()
        for a in ("a1", "a2"):
            (folder / f"{a}.json").write_text(json.dumps({"id": a, "quotes": quotes}, ensure_ascii=False))
    run = CliRunner().invoke
    common = ["--corpus", str(corpus), "--data", str(data)]
    for name in "AB":
        result = run(app, ["corpus", "import", name, str(tmp_path / f"written-{name}"), *common])
        assert result.exit_code == 0, result.output
    result = run(app, ["corpus", "agreement", "--json", *common])
    assert result.exit_code == 1 and json.loads(result.stdout)["below_floor"] == [1]
    asked = tmp_path / "disputes"
    assert run(app, ["corpus", "disputes", "--output", str(asked), *common]).exit_code == 0
    decided = tmp_path / "decided"
    decided.mkdir()
    for f in asked.glob("*.json"):
        d = json.loads(f.read_text())
        answer = {
            x["id"]: {"kind": "promise"} if x["issues"] == ["kind"] else {"choose": "drop"}
            for x in d["statements"]
        }
        (decided / f.name).write_text(json.dumps({"id": d["id"], "decisions": answer}))
    result = run(
        app, ["corpus", "import-decisions", str(decided), "--disputes", str(asked), "--corpus", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    result = run(app, ["corpus", "merge", *common])
    assert "undecided disputes (cautious fallback): none" in result.output
    assert run(app, ["corpus", "check", *common]).exit_code == 0
    merged = [json.loads(line) for line in (corpus / "annotations.jsonl").read_text().splitlines()]
    assert [[s["kind"] for s in r["statements"]] for r in merged] == [["claim", "promise"]] * 2
    out = tmp_path / "gold"
    assert run(app, ["corpus", "gold", "--output-dir", str(out), *common]).exit_code == 0
    gold = [json.loads(line) for line in (out / "gold.jsonl").read_text().splitlines()]
    assert [q["content"] for q in gold[0]["quotes"]] == [
        "الأزمة كانت متوقعة تماما",
        "لن نتراجع عن موقفنا في سوريا",
    ]
    assert run(app, ["corpus", "gold", "--split", "sealed", "--output-dir", str(out), *common]).exit_code == 2
