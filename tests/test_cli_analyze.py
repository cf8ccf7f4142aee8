"""``qala analyze`` run as a real process: formats, batch order, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DOC_KEYS = {"id", "text", "meta", "sentences", "entities", "quotes", "dates", "links", "analysis_errors"}
META_KEYS = {"title", "url", "outlet", "published"}

# Written for these tests; no corpus text is copied here.
TEXT = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل.\nوأضاف أن الوفد سيصل يوم الأحد.\n"


def run_qala(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("qala")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qala.cli import app; app()"]
    done = subprocess.run([*command, *args], input=stdin, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def jsonl_line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "statement.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.mark.parametrize(("extra", "expected_id"), [((), "statement"), (("--id", "doc-7"), "doc-7")])
def test_analyze_text_file_prints_one_doc_as_json(
    text_file: Path, extra: tuple[str, ...], expected_id: str
) -> None:
    done = run_qala("analyze", str(text_file), "--format", "json", "--published", "2015-09-15", *extra)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert set(doc) == DOC_KEYS
    assert set(doc["meta"]) >= META_KEYS
    assert doc["id"] == expected_id
    assert doc["text"] == TEXT
    assert doc["meta"]["published"] == "2015-09-15"
    assert doc["sentences"]


def test_analyze_stdin_reads_the_text() -> None:
    done = run_qala("analyze", "-", "--format", "jsonl", stdin=TEXT.encode("utf-8"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["text"] == TEXT
    assert doc["id"] is None


def test_analyze_text_defaults_to_a_table(text_file: Path) -> None:
    done = run_qala("analyze", str(text_file))
    assert done.returncode == 0, done.stderr
    assert "speaker" in done.stdout and "content" in done.stdout


@pytest.mark.parametrize("fmt", ["jsonl", "json", None])
def test_analyze_jsonl_keeps_input_order_and_ids(tmp_path: Path, fmt: str | None) -> None:
    ids = ["z-3", "a-1", "m-2"]
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(
            jsonl_line(
                id=i,
                text=f"قال المتحدث إن الاجتماع {n} انتهى.",
                title="عنوان",
                outlet="وكالة",
                url=f"https://example.org/{n}",
                date="2015-09-15",
            )
            for n, i in enumerate(ids)
        )
        + "\n",
        encoding="utf-8",
    )
    done = run_qala("analyze", str(batch), *(("--format", fmt) if fmt else ()))
    assert done.returncode == 0, done.stderr
    docs = json.loads(done.stdout) if fmt == "json" else [json.loads(ln) for ln in done.stdout.splitlines()]
    assert [d["id"] for d in docs] == ids
    assert docs[2]["meta"] == {
        "title": "عنوان",
        "url": "https://example.org/2",
        "outlet": "وكالة",
        "published": "2015-09-15",
    }


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        (b"this is not json", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"id": "x", "text": 5}', '"text"'),
        (b'{"id": "x", "text": "\xff\xfe"}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),  # was a RecursionError traceback
    ],
)
def test_analyze_jsonl_bad_line_is_reported_and_the_rest_printed(
    tmp_path: Path, bad_line: bytes, reason: str
) -> None:
    batch = tmp_path / "batch.jsonl"
    good = [jsonl_line(id=f"ok-{n}", text="صرح الناطق بأن الوضع مستقر.").encode("utf-8") for n in range(3)]
    batch.write_bytes(b"\n".join([good[0], good[1], bad_line, good[2]]) + b"\n")
    done = run_qala("analyze", str(batch), "--format", "jsonl")
    assert done.returncode == 2
    assert [json.loads(ln)["id"] for ln in done.stdout.splitlines()] == ["ok-0", "ok-1", "ok-2"]
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {batch}:3: ")
    assert reason in errors[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("case", ["missing", "directory", "invalid-utf8"])
def test_analyze_bad_input_file_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    if case == "missing":
        path = tmp_path / "absent.txt"
    elif case == "directory":
        path = tmp_path / "folder"
        path.mkdir()
    else:
        path = tmp_path / "latin1.txt"
        path.write_bytes("قال".encode() + b"\xff\xfe bad")
    done = run_qala("analyze", str(path), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: ")


def test_analyze_bad_published_date_is_exit_2(text_file: Path) -> None:
    done = run_qala("analyze", str(text_file), "--published", "yesterday")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: --published: not an ISO date: 'yesterday'"]


def test_analyze_failing_component_is_a_warning_and_the_doc_is_printed(
    text_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from qala.cli import app
    from qala.nlp import pipeline

    def boom(run: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(
        pipeline,
        "COMPONENTS",
        tuple(pipeline.Component(c.name, c.requires, boom, c.option, c.adds, c.uses) if c.name == "speakers" else c
              for c in pipeline.COMPONENTS),
    )
    done = CliRunner().invoke(app, ["analyze", str(text_file), "--format", "json"])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["quotes"] and all(q["speaker"] is None for q in doc["quotes"])
    assert doc["analysis_errors"] == [{"component": "speakers", "error": "IndexError: list index out of range"}]
    assert done.stderr.strip() == f"warning: {text_file}: speakers failed: IndexError: list index out of range"
