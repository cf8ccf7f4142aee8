"""``qala reanalyze --failed``: analyze again the stored articles an analysis component failed on.

After an upgrade that fixes a component, ``qala reanalyze --failed --db qala.db`` replaces each
such article's statements, entities, dates and links with a new analysis of its stored text
and records the errors that remain (none, when the fix worked). One line per article that
still fails goes to stderr; the summary goes to stdout.

Exit codes: 0 when the run finished (articles that still fail keep their errors in the
database); 1 when the database cannot be opened; 2 without ``--failed`` (nothing to do).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from qala.cli import app
from qala.cli.store import DEFAULT_DB, EXIT_INPUT_ERROR, DbOption

EXIT_STORE_ERROR = 1


@app.command("reanalyze")
def reanalyze_command(
    failed: Annotated[
        bool, typer.Option("--failed", help="Reanalyze the articles an analysis component failed on.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Analyze stored articles again, e.g. ``qala reanalyze --failed`` after an upgrade."""
    from qala.nlp import analyze
    from qala.store import StoreError, open_store

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if not failed:
        err.print("error: nothing to reanalyze: pass --failed", markup=False)
        raise typer.Exit(EXIT_INPUT_ERROR)
    done = fixed = 0
    try:
        store = open_store(db, create=False)
        try:
            for art in store.failed_articles():
                meta = {k: art[k] for k in ("title", "url", "outlet", "published")}
                doc = analyze(art["text"], meta, id=art["ext_id"])
                store.replace_analysis(art["id"], doc)
                done += 1
                fixed += not doc.analysis_errors
                for component, error in doc.analysis_errors:
                    err.print(f"warning: article {art['id']}: {component}: {error}", markup=False)
        finally:
            store.close()
    except StoreError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(EXIT_STORE_ERROR) from None
    print(f"reanalyzed {done} articles: {fixed} without errors now, {done - fixed} still failing")
