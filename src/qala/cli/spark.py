"""``qala spark --input PATH... --output DIR`` (PySpark) and ``qala load DIR --db URL``.

    qala spark --input crawl/ --output out/ --master local[2]
    qala spark --input hdfs:///cc-news/2024/01/ --output hdfs:///qala/2024-01 --master yarn
    qala load out/ --db qala.db

Exit codes: 0 when the job finished (records skipped for a reason are counted in the
summary and listed in the ``skips`` table), 2 when an input matches no file (the others are
still processed) or the output folder has no tables, 1 when Spark or the store fails.
"""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from qala.cli import app

EXIT_FAILED = 1
EXIT_INPUT_ERROR = 2


@app.command("spark")
def spark_command(
    inputs: Annotated[
        list[str],
        typer.Option(
            "--input",
            "-i",
            help="WARC/ARC (.warc, .warc.gz, .arc, .arc.gz) or JSONL files, folders (walked recursively) or globs; "
            "local paths or any Hadoop URI (hdfs://, s3a://, file://). Repeat for several.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="Output folder (local path or Hadoop URI).", show_default=False),
    ],
    master: Annotated[
        str | None,
        typer.Option(
            "--master",
            help="Spark master: local[*], local[2], yarn, spark://host:7077, k8s://... "
            "(default: spark-submit's, else local[*]).",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume/--no-resume", help="Skip input files an earlier run finished (its _checkpoint/)."
        ),
    ] = True,
    files_per_batch: Annotated[
        int | None,
        typer.Option(
            "--files-per-batch",
            min=1,
            help="Input files per Spark job; each batch is checkpointed when written (default: 4 per core).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the job summary as JSON.")] = False,
) -> None:
    """Analyze WARC/JSONL files with PySpark into Parquet tables articles, quotes, entities, mentions (by date) and skips.

    Safe to rerun: input files finished by an earlier run are skipped (--no-resume redoes them).
    """
    try:
        from qala.spark.job import run_job
    except ImportError as e:
        Console(stderr=True).print(
            f"error: {e}; install the spark extra: pip install 'qala[spark]'", markup=False
        )
        raise typer.Exit(EXIT_FAILED) from None
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        summary = run_job(
            inputs,
            output,
            master=master,
            resume=resume,
            files_per_batch=files_per_batch,
            log=lambda message: err.print(message, markup=False),
        )
    except Exception as e:  # Spark reports JVM errors as Py4J/Python exceptions of many types
        err.print(f"error: the Spark job failed: {type(e).__name__}: {e}", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        Console(highlight=False).print(_job_table(summary, output))
    for path in summary.missing:
        err.print(f"error: {path}: no such file, folder or match", markup=False)
    if summary.missing:
        raise typer.Exit(EXIT_INPUT_ERROR)


def _job_table(summary, output: str) -> Table:
    table = Table(title=f"spark job into {output}", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("input files done", str(summary.files_done))
    table.add_row("input files skipped (done before)", str(summary.files_skipped))
    table.add_row("records read", str(summary.records_read))
    table.add_row("records skipped", str(sum(summary.skipped.values())))
    for reason, n in sorted(summary.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(f"  {reason}", str(n))
    for name, n in summary.to_dict()["written"].items():
        table.add_row(f"rows written: {name}", str(n))
    rate = summary.records_read / summary.seconds if summary.seconds else 0.0
    table.caption = f"{summary.seconds:.1f} s, {rate:.1f} records/s, {summary.batches} batches"
    return table


@app.command("load")
def load_command(
    folder: Annotated[str, typer.Argument(help="The --output folder of `qala spark`.", show_default=False)],
    db: Annotated[
        str, typer.Option("--db", help="SQLite file or postgresql:// URL (created when missing).")
    ] = "qala.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print the load summary as JSON.")] = False,
) -> None:
    """Load the Parquet tables of `qala spark` into the database, deduplicating by URL and text (safe to rerun)."""
    from qala.spark.load import load_tables
    from qala.store import StoreError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if not os.path.isdir(os.path.join(folder, "articles")):
        err.print(f"error: {folder}: no articles table (the --output folder of `qala spark`)", markup=False)
        raise typer.Exit(EXIT_INPUT_ERROR)
    try:
        summary = load_tables(folder, db)
    except (StoreError, NotImplementedError) as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        table = Table(title=f"load {folder} into {db}", title_justify="left")
        table.add_column("articles")
        table.add_column("count", justify="right")
        table.add_row("new", str(summary.new))
        table.add_row("duplicate", str(summary.duplicate))
        table.add_row("skipped (loaded before)", str(summary.skipped))
        table.add_row("failed", str(len(summary.failed)))
        table.caption = f"{summary.seconds:.1f} s"
        Console(highlight=False).print(table)
    for line in summary.failed[:20]:
        err.print(f"failed: {line}", markup=False)
