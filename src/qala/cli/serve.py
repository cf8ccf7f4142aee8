"""``qala serve [--db FILE] [--host HOST] [--port PORT]``: the web UI and JSON API over a database.

    qala serve --db qala.db --port 8000   # then http://127.0.0.1:8000/ and /docs

Pasted texts (``POST /api/analyze``, ``/analyze``) are analyzed by ``--analyze-workers`` processes,
each analysis stopped after ``--analyze-timeout`` seconds. Exit code 1 when the database does
not exist or cannot be opened.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from qala.cli import app


@app.command("serve")
def serve_command(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            help="SQLite database made by `qala ingest`, or a PostgreSQL URL (postgresql://user@host/db).",
        ),
    ] = "qala.db",
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    analyze_workers: Annotated[
        int | None,
        typer.Option("--analyze-workers", min=1, help="Processes analyzing pasted texts (default: half the cores).",
                     show_default=False),
    ] = None,
    analyze_timeout: Annotated[
        float, typer.Option("--analyze-timeout", min=0.1, help="Seconds one analysis may take before it is stopped.")
    ] = 10.0,
) -> None:
    """Serve the Arabic web UI (search, speakers, articles, analysis) and the JSON API (docs at /docs)."""
    import uvicorn  # imported here so `qala --help` stays fast

    from qala.server import create_app
    from qala.server.analysis import Analyzer
    from qala.store import StoreError, display_target

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    analyzer = Analyzer(analyze_workers, time_limit=analyze_timeout, queue_seconds=analyze_timeout)
    try:
        application = create_app(db, analyzer)
    except StoreError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(1) from None
    analyzer.start()  # the models load while uvicorn starts, not at the first request
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err.print(
        f"qala: serving {display_target(db)} at http://{shown}:{port}/ (API docs: http://{shown}:{port}/docs)",
        markup=False,
    )
    uvicorn.run(application, host=host, port=port, log_level="info")
