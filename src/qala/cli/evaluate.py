"""``qala eval``: score the extractor (or saved predictions) against gold files, with floors.

    qala eval --gold gold/dev.jsonl --articles news/articles.jsonl --floors eval_floors.json

Each gold file is scored on its own; ``--floors`` holds minimum figures keyed by the gold
file's stem (``dev``, ``seed``) and turns a drop below any of them into exit code 1.
Bad input is one ``error:`` line on stderr naming the file (and line) with exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from qala.cli import app
from qala.evaluation import METRICS, Report, evaluate, parse_gold, parse_predicted

SHORT = 80


class InputError(Exception):
    """A problem with an input file; its message is the whole one-line diagnosis."""


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line; ``InputError`` names file and line."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    rows = []
    for n, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"{path}:{n}: invalid UTF-8 (byte {e.start + 1} of the line)") from None
        line = line.removeprefix("\ufeff") if n == 1 else line
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{n}: invalid JSON ({e.msg}, column {e.colno})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path}:{n}: expected a JSON object, got {_json_kind(obj)}")
        rows.append((n, obj))
    return rows


def _json_kind(obj: Any) -> str:
    kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(obj), "a number")


def load_gold(path: Path) -> list[dict[str, Any]]:
    docs = []
    for n, obj in read_jsonl(path):
        try:
            parse_gold(obj)
        except ValueError as e:
            raise InputError(f"{path}:{n}: {e}") from None
        docs.append(obj)
    return docs


def load_predictions(paths: list[Path]) -> list[dict[str, Any]]:
    docs = []
    for path in paths:
        for n, obj in read_jsonl(path):
            try:
                parse_predicted(obj)
            except ValueError as e:
                raise InputError(f"{path}:{n}: {e}") from None
            docs.append(obj)
    return docs


def load_articles(paths: list[Path]) -> dict[str, tuple[Path, int, dict[str, Any]]]:
    """Articles by id (the first occurrence wins), with where each one came from."""
    articles: dict[str, tuple[Path, int, dict[str, Any]]] = {}
    for path in paths:
        for n, obj in read_jsonl(path):
            if not isinstance(obj.get("id"), str):
                raise InputError(f"{path}:{n}: an article needs a string 'id'")
            articles.setdefault(obj["id"], (path, n, obj))
    return articles


def load_floors(path: Path) -> dict[str, dict[str, float]]:
    try:
        floors = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: invalid UTF-8") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: invalid JSON ({e.msg}, column {e.colno})") from None
    if not isinstance(floors, dict):
        raise InputError(f"{path}: expected a JSON object of gold names, got {_json_kind(floors)}")
    for name, metrics in floors.items():
        if not isinstance(metrics, dict):
            raise InputError(f"{path}: floors for {name!r} must be an object of metric: number")
        for metric, value in metrics.items():
            if metric not in METRICS:
                raise InputError(
                    f"{path}: unknown metric {metric!r} for {name!r} (known: {', '.join(METRICS)})"
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"{path}: floor {name}.{metric} must be a number")
    return floors


def predict(
    gold: list[dict[str, Any]],
    articles: dict[str, tuple[Path, int, dict[str, Any]]],
    gold_path: Path,
    cache: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Run the pipeline on the articles the gold file refers to (each article once per run)."""
    missing = [d["id"] for d in gold if d["id"] not in articles]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise InputError(f"{gold_path}: gold ids missing from the articles: {shown}")
    from qala.nlp import analyze  # imported late: scoring saved --predictions never needs the pipeline

    docs = []
    for d in gold:
        if d["id"] not in cache:
            path, n, article = articles[d["id"]]
            if not isinstance(article.get("text"), str):
                raise InputError(f"{path}:{n}: article {d['id']!r} needs a string 'text'")
            meta = {
                "title": article.get("title"),
                "url": article.get("url"),
                "outlet": article.get("outlet"),
                "published": article.get("date"),
            }
            cache[d["id"]] = analyze(article["text"], meta, id=d["id"]).to_dict()
        docs.append(cache[d["id"]])
    return docs


def check_floors(name: str, report: Report, floors: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    metrics = report.metrics()
    return [
        {"gold": name, "metric": metric, "value": metrics[metric], "floor": floor}
        for metric, floor in floors.get(name, {}).items()
        if metrics[metric] < floor
    ]


def _pair(value: float, floor: float) -> tuple[str, str]:
    # Two decimals, unless that would print a failing value equal to its floor.
    for digits in (2, 4, 6):
        v, f = f"{value:.{digits}f}", f"{floor:.{digits}f}"
        if v != f:
            return v, f
    return repr(value), repr(floor)


def _short(text: str | None, limit: int = SHORT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _report_json(name: str, report: Report) -> dict[str, Any]:
    data = {"name": name, **report.to_dict()}
    if name == "sealed":  # aggregates only: no statement of the sealed set is shown
        data.pop("documents")
    return data


def render_report(console: Console, name: str, report: Report) -> None:
    m = report.metrics()
    table = Table(
        title=f"{name}: {len(report.documents)} documents, {report.gold_required} required statements",
        caption=f"{report.optional_matched} predictions matched optional gold: not counted",
    )
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("count", justify="right")
    rows = [
        ("statement precision", m["statement_precision"], report.matched, report.predicted),
        ("statement recall", m["statement_recall"], report.matched, report.gold_required),
        ("statement F1", m["statement_f1"], None, None),
        ("speaker accuracy", m["speaker_accuracy"], report.speaker_right, report.matched),
        ("end-to-end precision", m["e2e_precision"], report.speaker_right, report.predicted),
        ("end-to-end recall", m["e2e_recall"], report.speaker_right, report.gold_required),
        ("end-to-end F1", m["e2e_f1"], None, None),
    ]
    rows += [(f"recall {t}", s.recall, s.matched, s.gold) for t, s in report.per_type.items()]
    for label, value, num, den in rows:
        table.add_row(
            label,
            f"{value:.3f}",
            "" if num is None else f"{num}/{den}",
            style="bold" if label == "end-to-end F1" else None,
        )
    console.print(table)


def render_documents(console: Console, report: Report) -> None:
    for d in report.documents:
        if not (d.missed or d.false_positives or d.wrong_speaker):
            continue
        note = "" if d.has_prediction else "  (no prediction)"
        console.print(
            Text(
                f"{d.id}  gold {d.gold_required}  predicted {d.predicted}  matched {d.matched}"
                f"  speaker right {d.speaker_right}{note}",
                style="bold",
            )
        )
        for g in d.missed:
            console.print(Text(f"  missed          [{g.type}] {g.speaker}: {_short(g.content)}"))
        for p in d.false_positives:
            console.print(Text(f"  false positive  [{p.type}] {p.speaker or '-'}: {_short(p.content)}"))
        for w in d.wrong_speaker:
            console.print(
                Text(
                    f"  wrong speaker   {w.predicted.speaker or '-'} (gold {w.gold.speaker}): "
                    f"{_short(w.gold.content)}"
                )
            )


CORPUS_ROWS = ("development", "cross-validated", "sealed")


def analyze_annotated(
    docs: list[Any], options: Any, cache: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Doc dicts for annotated articles (cached per id when the shipped options are used)."""
    from qala.nlp import analyze
    from qala.nlp.pipeline import Options

    out = []
    for d in docs:
        if options is None and d.id in cache:
            out.append(cache[d.id])
            continue
        a = d.article_dict()
        meta = {"title": a["title"], "url": a["url"], "outlet": a["outlet"], "published": a["date"]}
        doc = analyze(a["text"], meta, id=d.id, options=options or Options()).to_dict()
        if options is None:
            cache[d.id] = doc
        out.append(doc)
    return out


def trainers() -> list[Any]:
    """The learned components that cross-validation refits per fold (each composes the options)."""
    from qala.speaker_train import SpeakerTrainer
    from qala.statement_train import StatementTrainer

    return [StatementTrainer(), SpeakerTrainer()]


def corpus_reports(corpus: Path, cv: int, cache: dict[str, dict[str, Any]]) -> list[tuple[str, Report]]:
    """The development row (train split, shipped models), the cross-validated row, the sealed row."""
    from qala.cli.corpus import load_corpus
    from qala.corpus.crossval import cross_validate
    from qala.corpus.standoff import CorpusError
    from qala.corpus.texts import TextError, Texts

    try:
        texts = Texts()
        train, sealed = load_corpus(corpus, texts, "train"), load_corpus(corpus, texts, "sealed")
    except (CorpusError, TextError) as e:
        raise InputError(str(e)) from None
    if not train:
        raise InputError(f"{corpus}: no annotated articles of the train split")
    rows = [("development", evaluate([d.gold() for d in train], analyze_annotated(train, None, cache)))]
    if cv:
        try:
            pooled, _ = cross_validate(
                train, cv, lambda docs, opts: analyze_annotated(docs, opts, cache), trainers()
            )
        except ValueError as e:
            raise InputError(str(e)) from None
        rows.append(("cross-validated", pooled))
    if sealed:
        rows.append(("sealed", evaluate([d.gold() for d in sealed], analyze_annotated(sealed, None, cache))))
    return rows


@app.command("eval")
def eval_command(
    gold: Annotated[
        list[Path] | None, typer.Option("--gold", help="Gold JSONL file; repeat to score several.")
    ] = None,
    articles: Annotated[
        list[Path] | None,
        typer.Option("--articles", help="Articles JSONL (id, text, title, outlet, date, url); repeatable."),
    ] = None,
    predictions: Annotated[
        list[Path] | None,
        typer.Option("--predictions", help="Score these Doc JSONL files instead of running the pipeline."),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("-v", "--verbose", help="List missed, false-positive and wrong-speaker statements."),
    ] = False,
    floors: Annotated[
        Path | None,
        typer.Option("--floors", help="JSON {gold name: {metric: minimum}}; any figure below it exits 1."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus", help="Also score the annotation corpus folder: development, CV and sealed rows."
        ),
    ] = None,
    cv: Annotated[
        int, typer.Option("--cv", help="K document folds for the cross-validated row (0: none).")
    ] = 0,
) -> None:
    """Score statements and speakers against gold files (annotation.md, Scoring) and the corpus."""
    try:
        floor_table = load_floors(floors) if floors else {}
        if not gold and corpus is None:
            raise InputError("give --gold files, --corpus, or both")
        if cv and corpus is None:
            raise InputError("--cv needs --corpus")
        source = None
        if predictions:
            predicted = load_predictions(predictions)
        elif articles:
            source = load_articles(articles)
        elif gold:
            raise InputError("give --articles to run the pipeline, or --predictions to score saved output")
        cache: dict[str, dict[str, Any]] = {}
        results = []
        for path in gold or []:
            gold_docs = load_gold(path)
            if source is not None:
                predicted = predict(gold_docs, source, path, cache)
            try:
                report = evaluate(gold_docs, predicted)
            except ValueError as e:
                raise InputError(f"{path}: {e}") from None
            results.append((path.stem, report))
        if corpus is not None:
            results += corpus_reports(corpus, cv, cache)
    except InputError as e:
        typer.echo(f"qala eval: error: {e}", err=True)
        raise typer.Exit(2) from None

    failures = [f for name, report in results for f in check_floors(name, report, floor_table)]
    if as_json:
        out = {"reports": [_report_json(n, r) for n, r in results], "failures": failures}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False)
        for name, report in results:
            render_report(console, name, report)
            if verbose and name != "sealed":  # the sealed test set is scored, never opened
                render_documents(console, report)
    for f in failures:
        value, floor = _pair(f["value"], f["floor"])
        typer.echo(f"FAIL {f['gold']} {f['metric']} {value} < floor {floor}", err=True)
    if failures:
        raise typer.Exit(1)
