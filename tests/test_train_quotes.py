"""``qala train-quotes``: the shipped who-said-what models are what training on the corpus gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from qala.cli import app

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "src" / "qala" / "models"
runner = CliRunner()


def test_train_quotes_reproduces_the_shipped_models() -> None:
    result = runner.invoke(
        app, ["train-quotes", "--corpus", str(ROOT / "corpus"), "--models", str(MODELS), "--check"]
    )
    assert result.exit_code == 0, result.output
    assert "both models reproduced byte for byte" in result.output


def test_train_quotes_check_fails_on_a_model_it_did_not_make(tmp_path: Path) -> None:
    for name in ("statements.json", "speaker-ranker.json"):
        shutil.copy(MODELS / name, tmp_path / name)
    edited = (tmp_path / "speaker-ranker.json").read_text(encoding="utf-8").replace('"seed"', '"seed" ', 1)
    (tmp_path / "speaker-ranker.json").write_text(edited, encoding="utf-8")
    result = runner.invoke(
        app, ["train-quotes", "--corpus", str(ROOT / "corpus"), "--models", str(tmp_path), "--check"]
    )
    assert result.exit_code == 1
    assert "speaker-ranker.json" in result.output and "statements.json in" not in result.output


def test_train_quotes_bad_corpus_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["train-quotes", "--corpus", str(tmp_path / "nope"), "--models", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "qala train-quotes: error:" in result.output and "Traceback" not in result.output
