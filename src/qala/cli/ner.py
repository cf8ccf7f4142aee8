"""``qala train-ner`` and ``qala eval-ner``: build the shipped NER model and score one.

    qala train-ner [--data-dir ../shared/data/ner] [--articles ../shared/data/news/articles.jsonl]
    qala eval-ner --conll ../shared/data/ner/anercorp_eval_only/ANERCorp.txt --format anercorp --test-sixth

Training uses AQMAR (without the held-out files), the Wojood sample train and val files
and all news_dev articles; ANERcorp is never training data. Bad input is one ``error:``
line on stderr with exit code 2.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from qala.cli import app
from qala.ner_train import (
    AQMAR_HOLDOUT,
    CorpusError,
    Scores,
    TrainParams,
    build_resources,
    countries_as_places,
    last_sixth,
    load_recognizer,
    news_holdout,
    read_aqmar,
    read_conll,
    read_news_dev,
    read_wojood,
    score_words,
    train,
    training_examples,
    write_resources,
)
from qala.nlp.ner import MODEL_FILE, ModelMissingError, default_recognizer

DATA = Path("../shared/data/ner")
ARTICLES = Path("../shared/data/news/articles.jsonl")
OUTPUT = Path("src/qala/models") / MODEL_FILE
RESOURCES = Path("src/qala/lang/ar")
DEFAULTS = TrainParams()


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {message}", markup=False)
    return typer.Exit(2)


@app.command("train-ner")
def train_ner(
    data_dir: Annotated[Path, typer.Option(help="folder with aqmar/, wojood_sample/, news_dev/")] = DATA,
    articles: Annotated[Path, typer.Option(help="news articles JSONL holding the news_dev texts")] = ARTICLES,
    output: Annotated[Path, typer.Option(help="model file to write")] = OUTPUT,
    resources_dir: Annotated[
        Path, typer.Option(help="where the generated gazetteers and vocabulary go")
    ] = RESOURCES,
    holdout_aqmar: Annotated[list[str] | None, typer.Option(help="AQMAR file kept out (repeat)")] = None,
    holdout_news: Annotated[
        bool, typer.Option(help="keep every 5th news_dev article out (development)")
    ] = False,
    c1: Annotated[float, typer.Option(help="L1 penalty")] = DEFAULTS.c1,
    c2: Annotated[float, typer.Option(help="L2 penalty")] = DEFAULTS.c2,
    max_iterations: Annotated[int, typer.Option(help="L-BFGS iterations")] = DEFAULTS.max_iterations,
) -> None:
    """Train the CRF NER model (and its gazetteers) from the redistributable corpora."""
    held = set(holdout_aqmar if holdout_aqmar is not None else AQMAR_HOLDOUT)
    params = TrainParams(c1, c2, max_iterations)
    try:
        aqmar_files = sorted((data_dir / "aqmar").glob("*.txt"))
        if not aqmar_files:
            raise CorpusError(f"{data_dir / 'aqmar'}: no AQMAR .txt files")
        words = [s for f in aqmar_files if f.name not in held for s in read_aqmar(f)]
        words += countries_as_places(
            read_wojood(data_dir / "wojood_sample" / "train.txt")
            + read_wojood(data_dir / "wojood_sample" / "val.txt")
        )
        news = read_news_dev(data_dir / "news_dev" / "annotations.jsonl", articles)
    except CorpusError as e:
        raise _fail(str(e)) from None
    if holdout_news:
        news, _ = news_holdout(news)
    console = Console(stderr=True)
    resources = build_resources(words, news, params.gazetteer_min_count)
    examples = training_examples(words, news, resources)
    console.print(
        f"training on {len(examples)} sentences, {sum(len(x) for x, _ in examples)} sub-tokens "
        f"({len(words)} corpus sentences, {len(news)} news articles); "
        f"gazetteer {len(resources.gazetteer)} names"
    )
    t0 = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        feats = progress.add_task("features", total=len(examples))
        iters = progress.add_task("L-BFGS", total=params.max_iterations)
        train(
            examples,
            resources,
            output,
            params,
            on_example=lambda: progress.advance(feats),
            on_iteration=lambda n: progress.update(iters, completed=n),
        )
        progress.update(iters, completed=params.max_iterations)
    resources_dir.mkdir(parents=True, exist_ok=True)
    write_resources(resources, resources_dir)
    console.print(
        f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB) and the lists in {resources_dir} "
        f"in {time.perf_counter() - t0:.0f} s"
    )


def scores_table(scores: Scores, title: str) -> Table:
    table = Table(title=title)
    for name in ("type", "gold", "P", "R", "F1"):
        table.add_column(name, justify="left" if name == "type" else "right")
    for kind, p, r, f, n in scores.rows():
        table.add_row(kind, str(n), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}")
    return table


@app.command("eval-ner")
def eval_ner(
    conll: Annotated[Path, typer.Option(help="gold file, one `token TAG` a line")],
    format: Annotated[str, typer.Option(help="anercorp | aqmar | wojood")] = "anercorp",
    test_sixth: Annotated[bool, typer.Option(help="score only the last sixth (ANERcorp test split)")] = False,
    model: Annotated[Path | None, typer.Option(help="model file (default: the shipped one)")] = None,
) -> None:
    """Per-type and micro precision, recall and F1 with exact span match."""
    try:
        sentences = read_conll(conll, format)
    except CorpusError as e:
        raise _fail(str(e)) from None
    if not sentences:
        raise _fail(f"{conll}: no sentences")
    if test_sixth:
        sentences = last_sixth(sentences)[1]
    try:
        recognizer = load_recognizer(model) if model else default_recognizer()
    except (OSError, ModelMissingError) as e:
        raise _fail(str(e)) from None
    scores = score_words(recognizer, sentences)
    tokens = sum(len(s) for s in sentences)
    Console(highlight=False).print(
        scores_table(scores, f"{conll.name}: {len(sentences)} sentences, {tokens} tokens")
    )
