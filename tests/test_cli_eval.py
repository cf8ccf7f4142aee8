"""``qala eval`` on small files written to tmp_path; --predictions keeps it off the extractor."""

import json
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qala.cli import app

runner = CliRunner()

GOLD = [
    {
        "id": "a1",
        "quotes": [
            {
                "speaker": "فلاديمير بوتين",
                "aliases": ["فلاديمير بوتين", "بوتين"],
                "cue": "قال",
                "type": "indirect",
                "content": "الحرب في سوريا ستنتهي قريبا",
            },
            {
                "speaker": "وزارة الخارجية",
                "aliases": ["وزارة الخارجية", "الخارجية"],
                "cue": "أكدت",
                "type": "direct",
                "content": "لن نتراجع عن موقفنا",
            },
        ],
    },
]
PREDICTED = [
    {
        "id": "a1",
        "quotes": [
            {
                "type": "indirect",
                "speaker": {"name": "بوتين"},
                "content": {"text": "الحرب في سوريا ستنتهي قريبا"},
            },
            {"type": "direct", "speaker": None, "content": {"text": "كلام بلا صلة بأي شيء"}},
        ],
    },
]


def write_jsonl(path, docs):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    return {
        "gold": write_jsonl(tmp_path / "dev.jsonl", GOLD),
        "pred": write_jsonl(tmp_path / "pred.jsonl", PREDICTED),
        "articles": write_jsonl(tmp_path / "articles.jsonl", [{"id": "other", "text": "نص"}]),
    }


def run(*args):
    return runner.invoke(app, ["eval", *map(str, args)])


@pytest.mark.parametrize(("flag", "expected"), [((), "statement precision"), (("-v",), "missed")])
def test_cli_eval_prints_table(files, flag, expected):
    result = run("--gold", files["gold"], "--predictions", files["pred"], *flag)
    assert result.exit_code == 0, result.output
    assert "dev" in result.stdout
    assert expected in result.stdout
    assert "0.500" in result.stdout  # statement precision 1/2


@pytest.mark.parametrize(
    ("metric", "value"),
    [("statement_precision", 0.5), ("statement_recall", 0.5), ("e2e_f1", 0.5), ("speaker_accuracy", 1.0)],
)
def test_cli_eval_json_report(files, metric, value):
    result = run("--gold", files["gold"], "--predictions", files["pred"], "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["reports"][0]["name"] == "dev"
    assert out["reports"][0]["metrics"][metric] == pytest.approx(value)
    assert out["failures"] == []


@pytest.mark.parametrize(
    ("floors", "exit_code", "fail_line"),
    [
        ({"dev": {"e2e_f1": 0.8}}, 1, "FAIL dev e2e_f1 0.50 < floor 0.80"),
        ({"dev": {"statement_recall": 0.5, "speaker_accuracy": 1.0}}, 0, None),
        ({"seed": {"e2e_f1": 0.9}}, 0, None),  # floors of another gold file do not apply
    ],
)
def test_cli_eval_floors(files, tmp_path, floors, exit_code, fail_line):
    floors_path = tmp_path / "floors.json"
    floors_path.write_text(json.dumps(floors), encoding="utf-8")
    result = run("--gold", files["gold"], "--predictions", files["pred"], "--floors", floors_path)
    assert result.exit_code == exit_code, result.output
    if fail_line:
        assert fail_line in result.stderr.splitlines()
    else:
        assert "FAIL" not in result.output


def test_cli_eval_repo_floors_file_is_valid():
    from qala.cli.evaluate import load_floors
    from qala.evaluation import METRICS

    floors = load_floors(Path(__file__).resolve().parents[1] / "eval_floors.json")
    assert set(floors) == {"seed", "cross-validated", "sealed"}
    for metrics in floors.values():
        assert set(metrics) == set(METRICS)
        assert all(0.0 <= v <= 1.0 for v in metrics.values())


@pytest.mark.parametrize(
    ("target", "content", "message"),
    [
        ("gold", None, "cannot read"),
        ("gold", b'{"id": "a1", "quotes": []}\n\xff\xfe\n', ":2: invalid UTF-8"),
        ("gold", b'{"id": "a1", "quotes": []}\n{"id": \n', ":2: invalid JSON"),
        ("gold", b"[1, 2]\n", ":1: expected a JSON object"),
        ("gold", b'{"id": "a1", "quotes": [{"speaker": "x"}]}\n', ":1: gold document 'a1'"),
        ("pred", b'"text"\n', ":1: expected a JSON object"),
        ("pred", b'{"id": "a1", "quotes": [{"content": 1}]}\n', ":1: predicted document 'a1'"),
        ("floors", b'{"dev": {"e2e": 0.5}}', "unknown metric 'e2e'"),
        ("floors", b'{"dev": ', "invalid JSON"),
    ],
)
def test_cli_eval_bad_input_exits_2(files, tmp_path, target, content, message):
    path = tmp_path / f"bad_{target}.json"
    if content is not None:
        path.write_bytes(content)
    args = {"gold": files["gold"], "pred": files["pred"]}
    extra = []
    if target == "floors":
        extra = ["--floors", path]
    else:
        args[target] = path
    result = run("--gold", args["gold"], "--predictions", args["pred"], *extra)
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("articles", "message"), [([{"id": "other", "text": "نص"}], "a1")])
def test_cli_eval_gold_ids_missing_from_articles(files, tmp_path, articles, message):
    articles_path = write_jsonl(tmp_path / "news.jsonl", articles)
    result = run("--gold", files["gold"], "--articles", articles_path)
    assert result.exit_code == 2, result.output
    assert "missing from the articles" in result.stderr
    assert message in result.stderr


def test_cli_eval_needs_articles_or_predictions(files):
    result = run("--gold", files["gold"])
    assert result.exit_code == 2
    assert "--articles" in result.stderr


class FakeDoc:
    def __init__(self, doc_id, quotes):
        self.doc_id, self.quotes = doc_id, quotes

    def to_dict(self):
        return {"id": self.doc_id, "quotes": self.quotes}


@pytest.mark.parametrize(
    ("article", "meta"),
    [
        (
            {
                "id": "a1",
                "text": "نص المقال",
                "title": "عنوان",
                "outlet": "cnn",
                "date": "2015-09-15",
                "url": "u",
            },
            {"title": "عنوان", "url": "u", "outlet": "cnn", "published": "2015-09-15"},
        ),
    ],
)
def test_cli_eval_runs_pipeline_on_gold_articles(files, tmp_path, monkeypatch, article, meta):
    calls = []

    def analyze(text, meta=None, *, id=None):
        calls.append((text, meta, id))
        return FakeDoc(id, PREDICTED[0]["quotes"])

    monkeypatch.setitem(sys.modules, "qala.nlp", types.SimpleNamespace(analyze=analyze))
    articles_path = write_jsonl(tmp_path / "news.jsonl", [{"id": "other", "text": "نص"}, article])
    result = run("--gold", files["gold"], "--articles", articles_path, "--json")
    assert result.exit_code == 0, result.output
    assert calls == [(article["text"], meta, "a1")]
    assert json.loads(result.stdout)["reports"][0]["metrics"]["statement_precision"] == pytest.approx(0.5)
