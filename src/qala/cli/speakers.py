"""``qala train-speakers``: fit the speaker ranker on the annotation corpus's train split.

    qala train-speakers [--corpus corpus] [--output src/qala/models/speaker-ranker.json]

Only articles that may be trained on are used (never SaudiNewsNet); the seed and the fitting are
fixed, so a rerun on the same corpus writes the same file, with the data hash it was made from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from qala.cli import app
from qala.nlp.ranker import MODEL_FILE

OUTPUT = Path("src/qala/models") / MODEL_FILE


@app.command("train-speakers")
def train_speakers(
    corpus: Annotated[Path, typer.Option(help="the annotation corpus folder")] = Path("corpus"),
    output: Annotated[Path, typer.Option(help="model file to write")] = OUTPUT,
) -> None:
    """Train the speaker ranker from the corpus's train split and write it as JSON."""
    from qala.cli.corpus import train_split
    from qala.speaker_train import train

    ranker, info = train(train_split(corpus, "train-speakers"))
    output.write_text(json.dumps(ranker.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(
        f"{output}: {len(ranker.weights)} weights from {info['statements']} statements of "
        f"{info['articles']} articles in {info['seconds']} s; chosen speaker right "
        f"{info['ranker_accuracy']:.3f} (rules {info['rules_accuracy']:.3f}) on the training data"
    )
