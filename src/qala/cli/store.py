"""``qala search``, ``qala speakers``, ``qala export``, ``qala stats``: reading the database.

Read commands never create a database: a missing file is one line on stderr and exit 2,
as is a bad option value (``error: --from: date '2015-13' does not exist``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from qala.cli import app
from qala.store import Store, StoreError, open_store
from qala.store.daterange import parse_bound
from qala.store.export import write

EXIT_INPUT_ERROR = 2
DEFAULT_DB = "qala.db"
TABLE_LIMIT = 20

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="SQLite database file, or a PostgreSQL URL (postgresql://user@host/db).",
        show_default=True,
    ),
]


class SearchFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


class What(StrEnum):
    quotes = "quotes"
    articles = "articles"
    entities = "entities"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class StatementType(StrEnum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(where: str, reason: str) -> typer.Exit:
    _err().print(f"error: {where}: {reason}", markup=False)
    return typer.Exit(EXIT_INPUT_ERROR)


@contextlib.contextmanager
def _reading(db: str) -> Iterator[Store]:
    """The store at ``db`` for reading; StoreError and bad filter values end as one line, exit 2."""
    try:
        store = open_store(db, create=False)
    except (StoreError, NotImplementedError) as e:
        raise _fail("--db", str(e)) from None
    try:
        yield store
    except StoreError as e:
        raise _fail("--db", str(e)) from None
    finally:
        store.close()


def _filters(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None}


def _shorten(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("search")
def search_command(
    text: Annotated[
        str | None,
        typer.Argument(
            help='Words the statement must contain (diacritics, alef forms, ى/ي, ة/ه ignored); "a phrase"; prefix*.',
            show_default=False,
        ),
    ] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Speaker name or part of it.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet name or part of it.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last day (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    type: Annotated[StatementType | None, typer.Option("--type", help="Statement type.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=0, help=f"At most N statements (default: {TABLE_LIMIT} in a table, all in jsonl)."
        ),
    ] = None,
    format: Annotated[
        SearchFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SearchFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Search statements; prints the total number that match."""
    filters = _filters(
        text=text,
        speaker=speaker,
        outlet=outlet,
        date_from=date_from,
        date_to=date_to,
        type=type and str(type),
    )
    for option, value, end in (("--from", date_from, False), ("--to", date_to, True)):
        if value is not None:
            try:
                parse_bound(value, end=end)
            except ValueError as e:
                raise _fail(option, str(e)) from None
    if limit is None and format is SearchFormat.table:
        limit = TABLE_LIMIT
    with _reading(db) as store, store.snapshot():
        try:
            total = store.count_quotes(**filters)
            rows = store.search_quotes(**filters, limit=limit)
        except ValueError as e:
            raise _fail(_option_of(str(e)), str(e)) from None
        if format is SearchFormat.jsonl:
            out = sys.stdout
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            _err().print(f"{total} statements match", markup=False)
            return
        table = Table(show_lines=False)
        for column in ("speaker", "cue", "content", "outlet", "date"):
            table.add_column(column, overflow="fold")
        shown = 0
        for row in rows:
            table.add_row(
                row["speaker_name"] or "—",
                row["cue"],
                _shorten(row["content"], 90),
                row["outlet"] or "—",
                row["day"] or "—",
            )
            shown += 1
        console = Console(highlight=False)
        if shown:
            console.print(table)
        console.print(
            f"{total} statements match" + (f" (showing {shown})" if shown < total else ""), markup=False
        )


def _option_of(message: str) -> str:
    """Which option a filter error is about, for the ``error: WHERE: reason`` line."""
    for word, option in (
        ("date range", "--from/--to"),
        ("search text", "TEXT"),
        ("speaker", "--speaker"),
        ("outlet", "--outlet"),
        ("type", "--type"),
    ):
        if message.startswith(word):
            return option
    return "search"


@app.command("speakers")
def speakers_command(
    top: Annotated[int | None, typer.Option("--top", min=0, help="Only the N most quoted speakers.")] = 20,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Speakers by number of statements (syndicated copies count once), with titles and first/last seen."""
    with _reading(db) as store:
        rows = store.speakers(top=top)
    if format is ReportFormat.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table()
    for column in ("speaker", "statements", "articles", "titles", "outlets", "first seen", "last seen"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["name"],
            str(r["statements"]),
            str(r["articles"]),
            _shorten("، ".join(t["title"] for t in r["titles"]), 60),
            _shorten(", ".join(r["outlets"]), 40),
            r["first_seen"] or "—",
            r["last_seen"] or "—",
        )
    Console(highlight=False).print(table)


@app.command("export")
def export_command(
    what: Annotated[What, typer.Option("--what", help="Which table.")] = What.quotes,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.jsonl,
    output: Annotated[str, typer.Option("--output", "-o", help="Output file, or - for stdout.")] = "-",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export every row of a table (streamed, never capped); the row count goes to stderr."""
    if format is ExportFormat.parquet and output == "-" and sys.stdout.isatty():
        raise _fail("--output", "Parquet is binary: give --output FILE or redirect stdout")
    with _reading(db) as store, store.snapshot():
        expected = _count(store, what)
        if output == "-":
            written = write(_rows(store, what), str(what), str(format), sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            written = _write_file(store, what, format, Path(output))
    if written != expected:  # cannot happen inside one snapshot; never report a silent gap
        _err().print(f"error: export wrote {written} {what} but the database holds {expected}", markup=False)
        raise typer.Exit(1)
    where = "stdout" if output == "-" else output
    _err().print(f"{written} {what} written to {where}", markup=False)


def _count(store: Store, what: What) -> int:
    if what is What.quotes:
        return store.count_quotes()
    if what is What.articles:
        return store.count_articles()
    return store.count_entities()


def _rows(store: Store, what: What) -> Iterator[dict[str, Any]]:
    if what is What.quotes:
        return store.search_quotes()
    if what is What.articles:
        return store.articles()
    return store.entities()


def _write_file(store: Store, what: What, format: ExportFormat, path: Path) -> int:
    """Write to ``path.part`` and rename, so a failed export never leaves a partial file behind."""
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as out:
            written = write(_rows(store, what), str(what), str(format), out)
        os.replace(part, path)
    except OSError as e:
        part.unlink(missing_ok=True)
        raise _fail(str(path), f"cannot write: {e.strerror or e}") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return written


@app.command("stats")
def stats_command(
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Rows per table, ingest outcomes and failure reasons, near-duplicate groups, analysis errors."""
    with _reading(db) as store:
        stats = store.stats()
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    table = Table(title=stats["database"])
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, n in stats["tables"].items():
        table.add_row(name, str(n))
    for outcome, n in stats["ingest"].items():
        table.add_row(f"inputs {outcome}", str(n))
    table.add_row("near-duplicate groups", str(stats["near_duplicate_groups"]))
    table.add_row("articles in them", str(stats["articles_in_near_duplicate_groups"]))
    analysis = stats["analysis_errors"]
    table.add_row("articles with analysis errors", str(analysis["articles"]))
    for component, n in analysis["by_component"].items():
        table.add_row(f"  {component} failed", str(n))
    console.print(table)
    for failure in stats["failures"]:
        console.print(f"failed ({failure['inputs']}): {failure['reason']}", markup=False)
