"""Article texts for stand-off annotations, read from the shared data folder and hash-checked."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Where each source's articles live, relative to the data folder.
SOURCES = {
    "seed": "seed/seed.jsonl",
    "news": "news/articles.jsonl",
    "ant": "pool/ant.jsonl.gz",
    "saudinewsnet": "pool/saudinewsnet.jsonl.gz",
}


class TextError(ValueError):
    """A text that an annotation refers to is missing or is not the text that was annotated."""


def default_data_root() -> Path:
    """``$QALA_DATA``, else ``../shared/data`` from the working directory (the repository root)."""
    return Path(os.environ.get("QALA_DATA") or Path.cwd().parent / "shared" / "data")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    source: str
    text: str
    meta: dict[str, Any]

    @property
    def sha256(self) -> str:
        return sha256(self.text)


def _open(path: Path) -> Iterable[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def iter_source(source: str, root: Path | None = None) -> Iterator[Article]:
    """Every article of one source, in file order."""
    path = (root or default_data_root()) / SOURCES[source]
    if not path.exists():
        raise TextError(
            f"{path}: the {source} articles are missing (is ../shared/data beside the repository?)"
        )
    with _open(path) as lines:
        for line in lines:
            d = json.loads(line)
            text = d.pop("text")
            yield Article(d["id"], source, text, d)


class Texts:
    """Looks articles up by id across sources, reading each source file at most once."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or default_data_root()
        self._by_source: dict[str, dict[str, Article]] = {}

    def _source(self, source: str) -> dict[str, Article]:
        if source not in self._by_source:
            self._by_source[source] = {a.id: a for a in iter_source(source, self.root)}
        return self._by_source[source]

    def get(self, source: str, article_id: str, expected_sha256: str | None = None) -> Article:
        """The article, after checking that its text still hashes to what was annotated."""
        if source not in SOURCES:
            raise TextError(f"{article_id}: unknown source {source!r} (expected one of {', '.join(SOURCES)})")
        article = self._source(source).get(article_id)
        if article is None:
            raise TextError(f"{article_id}: not found in {self.root / SOURCES[source]}")
        if expected_sha256 and article.sha256 != expected_sha256:
            raise TextError(
                f"{article_id}: the text in {SOURCES[source]} changed since it was annotated "
                f"(sha256 {article.sha256[:12]}…, annotated {expected_sha256[:12]}…)"
            )
        return article
