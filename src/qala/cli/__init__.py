"""The ``qala`` command line: one module per command group, registered here."""

import typer

app = typer.Typer(
    name="qala",
    help="Who said what in Arabic news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on ``app`` when imported.
from qala.cli import analyze as _analyze  # noqa: E402,F401
from qala.cli import corpus as _corpus  # noqa: E402,F401
from qala.cli import evaluate as _evaluate  # noqa: E402,F401
from qala.cli import ingest as _ingest  # noqa: E402,F401
from qala.cli import ner as _ner  # noqa: E402,F401
from qala.cli import reanalyze as _reanalyze  # noqa: E402,F401
from qala.cli import serve as _serve  # noqa: E402,F401
from qala.cli import spark as _spark  # noqa: E402,F401
from qala.cli import speakers as _speakers  # noqa: E402,F401
from qala.cli import store as _store  # noqa: E402,F401
from qala.cli import train_quotes as _train_quotes  # noqa: E402,F401
from qala.cli import train_statements as _train_statements  # noqa: E402,F401
