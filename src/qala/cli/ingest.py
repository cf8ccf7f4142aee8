"""``qala ingest PATH|URL... [--db qala.db]``: read articles in, analyze them, store them.

    qala ingest ../shared/data/news/ --db qala.db
    qala ingest https://example.com/feed.xml crawl.warc.gz --workers 4

Exit codes: 0 when the run finished (inputs that failed are logged in the ingest log and
counted in the summary), 2 when an input path does not exist (the others are still
ingested), 130 when interrupted with Ctrl-C (what was done is kept; rerun to finish),
1 when the database cannot be opened.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from qala.cli import app

EXIT_STORE_ERROR = 1
EXIT_MISSING_INPUT = 2
EXIT_INTERRUPTED = 130


@app.command("ingest")
def ingest_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (walked recursively: .txt .html .htm .xml .rss .atom .warc .warc.gz .arc "
            ".jsonl) and http/https URLs of pages or RSS/Atom feeds.",
            show_default=False,
            metavar="PATH|URL...",
        ),
    ],
    db: Annotated[
        str,
        typer.Option(
            "--db",
            help="SQLite database file (created when missing), or a PostgreSQL URL (postgresql://user@host/db).",
        ),
    ] = "qala.db",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Worker processes (default: every core); 1 runs everything in this process.",
            show_default=False,
        ),
    ] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Ingest articles into the database, skipping inputs already ingested (safe to rerun).

    Every input gets a row in the ingest log with its outcome: new, duplicate (same URL or text as a stored article) or failed with a reason (not-article, http-404, truncated-warc, ...).

    Exit code 0 even when some inputs failed (they are logged); 2 when an input path does not exist (the others are still ingested); 130 when interrupted with Ctrl-C (rerun to finish the rest); 1 when the database cannot be opened.
    """
    from qala.ingest.run import ingest  # imported here so `qala --help` stays fast
    from qala.store import StoreError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        summary = ingest(inputs, db, workers=workers, progress=progress, console=err)
    except StoreError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(EXIT_STORE_ERROR) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    Console(highlight=False).print(_summary_table(summary, db))
    for path in summary.missing:
        err.print(f"error: {path}: no such file or folder", markup=False)
    if summary.interrupted:
        err.print("interrupted: rerun the same command to ingest the rest", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.missing:
        raise typer.Exit(EXIT_MISSING_INPUT)


def _summary_table(summary, db: str) -> Table:
    from qala.store import display_target

    table = Table(title=f"ingest into {display_target(db)}", title_justify="left")
    table.add_column("outcome")
    table.add_column("inputs", justify="right")
    table.add_row("new", str(summary.new))
    table.add_row("duplicate", str(summary.duplicate))
    table.add_row("skipped (done before)", str(summary.skipped))
    if summary.ignored:
        table.add_row("ignored (WARC records with no page)", str(summary.ignored))
    table.add_row("failed", str(summary.n_failed))
    for reason, n in sorted(summary.failed.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(f"  {reason}", str(n))
    rate = summary.processed / summary.seconds if summary.seconds else 0.0
    table.caption = f"{summary.seconds:.1f} s, {rate:.1f} inputs/s" + (
        " (interrupted)" if summary.interrupted else ""
    )
    return table
