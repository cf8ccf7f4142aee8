"""``python -m qala``: the command line."""

from qala.cli import app

app(prog_name="qala")
