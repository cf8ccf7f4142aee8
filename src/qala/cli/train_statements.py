"""``qala train-statements``: train the shipped statement model from the corpus train split.

    qala train-statements [--corpus corpus] [--output src/qala/models/statements.json]

Only articles that may feed shipped models are used (``Annotated.may_train``: no SaudiNewsNet),
never the sealed split. Fixed seed; the data hash is recorded in the model file, so the same
corpus gives the same file. Bad input is one ``error:`` line on stderr with exit code 2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from qala.cli import app
from qala.nlp.statement_model import MODEL_FILE

OUTPUT = Path("src/qala/models") / MODEL_FILE


@app.command("train-statements")
def train_statements(
    corpus: Annotated[Path, typer.Option(help="the annotation corpus folder")] = Path("corpus"),
    output: Annotated[Path, typer.Option(help="model file to write")] = OUTPUT,
) -> None:
    """Train the statement keep/drop model and the content-end scorer (seconds)."""
    from qala.cli.corpus import train_split
    from qala.statement_train import train

    t0 = time.perf_counter()
    model = train(train_split(corpus, "train-statements"))
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    m = model.meta
    typer.echo(
        f"{output}: {m['articles']} articles, {m['candidates']} candidates, {m['end_groups']} content ends, "
        f"{len(model.weights)}+{len(model.end_weights)} weights, data {m['data_sha256'][:12]}, "
        f"{time.perf_counter() - t0:.1f}s"
    )
