"""``qala train-quotes``: train every learned who-said-what model, in the order they depend on.

    qala train-quotes [--corpus corpus] [--models src/qala/models] [--check]

The statement model first, then the speaker ranker, which is trained on the statements the new
statement model keeps. Both use the corpus's train split (never SaudiNewsNet, never sealed), with
fixed seeds, so the same corpus gives byte-identical files. ``--check`` writes nothing: it trains
into memory and fails (exit 1) unless the files in ``--models`` are exactly what it produced, the
test that the shipped models are reproducible from the corpus.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from qala.cli import app
from qala.nlp.ranker import MODEL_FILE as RANKER_FILE
from qala.nlp.statement_model import MODEL_FILE as STATEMENTS_FILE

MODELS = Path("src/qala/models")


def _train(corpus: Path, out: Path) -> list[str]:
    """Train both models into ``out``; a line of figures for each."""
    from qala.cli.corpus import train_split
    from qala.speaker_train import train as train_speakers
    from qala.statement_train import train as train_statements

    docs = train_split(corpus, "train-quotes")
    t0 = time.perf_counter()
    statements = train_statements(docs)
    statements.save(out / STATEMENTS_FILE)
    lines = [
        f"{STATEMENTS_FILE}: {statements.meta['articles']} articles, data "
        f"{statements.meta['data_sha256'][:12]}, {time.perf_counter() - t0:.1f}s"
    ]
    # the ranker learns from the statements the new model keeps, not the installed one's
    ranker, info = train_speakers(docs, statements)
    (out / RANKER_FILE).write_text(
        json.dumps(ranker.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    lines.append(
        f"{RANKER_FILE}: {info['statements']} statements of {info['articles']} articles, "
        f"speaker right {info['ranker_accuracy']:.3f} (rules {info['rules_accuracy']:.3f}), {info['seconds']} s"
    )
    return lines


@app.command("train-quotes")
def train_quotes(
    corpus: Annotated[Path, typer.Option(help="the annotation corpus folder")] = Path("corpus"),
    models: Annotated[Path, typer.Option(help="folder of the model files")] = MODELS,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; fail unless the files match")
    ] = False,
) -> None:
    """Train the statement model, then the speaker ranker (under a minute)."""
    if not check:
        models.mkdir(parents=True, exist_ok=True)
        for line in _train(corpus, models):
            typer.echo(f"{models}/{line}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        lines = _train(corpus, Path(tmp))
        differ = [
            name
            for name in (STATEMENTS_FILE, RANKER_FILE)
            if not (models / name).is_file()
            or (models / name).read_bytes() != (Path(tmp) / name).read_bytes()
        ]
    for line in lines:
        typer.echo(line)
    if differ:
        typer.echo(f"qala train-quotes: {', '.join(differ)} in {models} not reproduced by training", err=True)
        raise typer.Exit(1)
    typer.echo(f"{models}: both models reproduced byte for byte")
