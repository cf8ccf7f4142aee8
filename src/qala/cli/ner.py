"""``qala train-ner`` and ``qala eval-ner``: build the shipped NER model and score one.

    qala train-ner [--data-dir ../shared/data/ner] [--articles ../shared/data/news/articles.jsonl]
    qala eval-ner --corpus corpus --cv 5 \
        --conll ../shared/data/ner/anercorp_eval_only/ANERCorp.txt --format anercorp --test-sixth

Training uses AQMAR (without the held-out files), the Wojood sample train and val files
and all news_dev articles; ANERcorp is never training data. ``eval-ner --corpus`` scores the
annotation corpus's entity spans: a cross-validated row (document folds of the train split,
the CRF refitted per fold, about a minute a fold) and the sealed row (the given model;
aggregate figures only). Bad input is one ``error:`` line on stderr with exit code 2.
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
    CrossValidation,
    Scores,
    TrainParams,
    build_resources,
    cross_validated,
    last_sixth,
    load_recognizer,
    news_holdout,
    news_training,
    read_conll,
    read_news_dev,
    read_word_corpora,
    score_corpus,
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
    corpus: Annotated[
        Path, typer.Option(help="annotation corpus: its train-split entity spans (ANT only) join training")
    ] = Path("corpus"),
    with_corpus: Annotated[bool, typer.Option(help="train on the corpus spans (else news_dev only)")] = True,
    clusters: Annotated[bool, typer.Option(help="word-cluster features (models/clusters-ar.tsv.gz)")] = True,
    holdout_news: Annotated[
        bool, typer.Option(help="keep every 5th news_dev article out (development)")
    ] = False,
    c1: Annotated[float, typer.Option(help="L1 penalty")] = DEFAULTS.c1,
    c2: Annotated[float, typer.Option(help="L2 penalty")] = DEFAULTS.c2,
    max_iterations: Annotated[int, typer.Option(help="L-BFGS iterations")] = DEFAULTS.max_iterations,
) -> None:
    """Train the CRF NER model (and its gazetteers) from the redistributable corpora."""
    held = set(holdout_aqmar if holdout_aqmar is not None else AQMAR_HOLDOUT)
    params = TrainParams(c1, c2, max_iterations, clusters=clusters)
    try:
        words = read_word_corpora(data_dir, held)
        news = read_news_dev(data_dir / "news_dev" / "annotations.jsonl", articles)
        if holdout_news:
            news, _ = news_holdout(news)
        news = news_training(news, _corpus_train(corpus) if with_corpus else ())
    except CorpusError as e:
        raise _fail(str(e)) from None
    console = Console(stderr=True)
    resources = build_resources(words, news, params.gazetteer_min_count)
    if not params.clusters:
        resources.clusters = {}
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


def _corpus_train(corpus: Path) -> list:
    """The corpus's train-split articles (``news_training`` keeps the trainable ones)."""
    from qala.cli.corpus import load_corpus
    from qala.corpus.standoff import CorpusError as StandoffError
    from qala.corpus.texts import TextError, Texts

    try:
        return load_corpus(corpus, Texts(), "train")
    except (StandoffError, TextError) as e:
        raise CorpusError(str(e)) from None


def scores_table(scores: Scores, title: str) -> Table:
    table = Table(title=title)
    for name in ("type", "gold", "P", "R", "F1"):
        table.add_column(name, justify="left" if name == "type" else "right")
    for kind, p, r, f, n in scores.rows():
        table.add_row(kind, str(n), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}")
    return table


def _recognizer(model: Path | None):
    try:
        return load_recognizer(model) if model else default_recognizer()
    except (OSError, ModelMissingError) as e:
        raise _fail(str(e)) from None


def _conll_scores(conll: Path, format: str, test_sixth: bool, recognizer) -> tuple[Scores, str]:
    try:
        sentences = read_conll(conll, format)
    except CorpusError as e:
        raise _fail(str(e)) from None
    if not sentences:
        raise _fail(f"{conll}: no sentences")
    if test_sixth:
        sentences = last_sixth(sentences)[1]
    tokens = sum(len(s) for s in sentences)
    part = " (test sixth)" if test_sixth else ""
    return score_words(recognizer, sentences), f"{conll.name}{part}: {len(sentences)} sentences, {tokens} tokens"


def _corpus_rows(corpus: Path, cv: int, opts: dict, recognizer) -> list[tuple[str, Scores]]:
    """The cross-validated row (refitted per fold) and the sealed row of the corpus entity spans."""
    from qala.cli.corpus import load_corpus
    from qala.corpus.standoff import CorpusError as StandoffError
    from qala.corpus.texts import TextError, Texts

    try:
        texts = Texts()
        train_docs, sealed = load_corpus(corpus, texts, "train"), load_corpus(corpus, texts, "sealed")
        rows = []
        if cv:
            setup = CrossValidation(
                read_word_corpora(opts["data_dir"]),
                read_news_dev(opts["data_dir"] / "news_dev" / "annotations.jsonl", opts["articles"]),
                train_docs,
                cv,
                opts["train_on_corpus"],
                TrainParams(clusters=opts["clusters"]),
                opts["keep_folds"],
            )
            scores = cross_validated(setup, jobs=opts["jobs"])
            n = sum(1 for d in train_docs if d.entities)
            rows.append((f"corpus cross-validated ({cv} folds, {n} articles, refitted per fold)", scores))
    except (CorpusError, StandoffError, TextError, ValueError) as e:
        raise _fail(str(e)) from None
    if sealed:
        n = sum(1 for d in sealed if d.entities)
        rows.append((f"corpus sealed ({n} articles, aggregate only)", score_corpus(recognizer, sealed)))
    return rows


@app.command("eval-ner")
def eval_ner(
    conll: Annotated[Path | None, typer.Option(help="gold file, one `token TAG` a line")] = None,
    format: Annotated[str, typer.Option(help="anercorp | aqmar | wojood")] = "anercorp",
    test_sixth: Annotated[bool, typer.Option(help="score only the last sixth (ANERcorp test split)")] = False,
    model: Annotated[Path | None, typer.Option(help="model file (default: the shipped one)")] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="annotation corpus folder: cross-validated and sealed entity rows")
    ] = None,
    cv: Annotated[int, typer.Option(help="K document folds for the cross-validated row (0: none)")] = 0,
    train_on_corpus: Annotated[
        bool, typer.Option(help="the CV folds train on the corpus spans too, as `train-ner` does")
    ] = True,
    clusters: Annotated[bool, typer.Option(help="the CV folds use the word-cluster features")] = True,
    data_dir: Annotated[Path, typer.Option(help="folder with aqmar/, wojood_sample/, news_dev/")] = DATA,
    articles: Annotated[Path, typer.Option(help="news articles JSONL holding the news_dev texts")] = ARTICLES,
    jobs: Annotated[int, typer.Option(help="folds trained at once (processes)")] = 1,
    keep_folds: Annotated[
        Path | None, typer.Option(help="keep the fold models here and reuse them (re-scoring rules)")
    ] = None,
) -> None:
    """Per-type and micro precision, recall and F1 with exact span match."""
    if conll is None and corpus is None:
        raise _fail("give --conll, --corpus, or both")
    if cv and corpus is None:
        raise _fail("--cv needs --corpus")
    recognizer = _recognizer(model)
    rows: list[tuple[str, Scores]] = []
    if corpus is not None:
        opts = {
            "data_dir": data_dir,
            "articles": articles,
            "train_on_corpus": train_on_corpus,
            "clusters": clusters,
            "jobs": jobs,
            "keep_folds": keep_folds,
        }
        rows += _corpus_rows(corpus, cv, opts, recognizer)
    if conll is not None:
        scores, title = _conll_scores(conll, format, test_sixth, recognizer)
        rows.append((title, scores))
    console = Console(highlight=False)
    for title, scores in rows:
        console.print(scores_table(scores, title))
    for title, scores in rows:
        per_type = " ".join(f"{k} {scores.prf(k)[2]:.3f}" for k in ("PER", "ORG", "LOC", "MISC"))
        console.print(f"{title}: micro-F1 {scores.prf()[2]:.3f} ({per_type})", soft_wrap=True)
