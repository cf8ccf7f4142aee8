"""One reader for the linguistic data files of ``qala/lang/ar``.

Every module reads its lists here, and the reader remembers which files were read, so a
test can check that no file in the folder is dead data (a list nobody reads is a list
nobody maintains, as ``quote_marks.txt`` once was).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

READ: set[str] = set()  # the names read so far in this process


@cache
def text(name: str) -> str:
    """The whole of ``lang/ar/<name>``, read once."""
    READ.add(name)
    return resources.files("qala.lang.ar").joinpath(name).read_text(encoding="utf-8")


def lines(name: str) -> list[str]:
    """The stripped lines of ``name`` that are neither blank nor ``#`` comments."""
    return [s for s in (ln.strip() for ln in text(name).splitlines()) if s and not s.startswith("#")]


def rows(name: str) -> list[list[str]]:
    """The tab-separated columns of each data line of ``name``, stripped."""
    return [
        [c.strip() for c in ln.split("\t")]
        for ln in text(name).splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]


def names() -> list[str]:
    """Every data file of ``lang/ar``."""
    folder = resources.files("qala.lang.ar")
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
