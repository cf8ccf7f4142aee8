"""The one record every reader yields, whatever the input was."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


def content_hash(text: str) -> str:
    """sha256 of the whitespace-normalized text: the same article read twice hashes the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ArticleRecord:
    """An article as read from an input, before analysis (`«text»` is never modified)."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None  # site or outlet name
    published: str | None = None  # ISO 8601 date or datetime
    language: str | None = None  # "ar", "en", ...; None when unknown
    raw_hash: str = ""  # sha256 hex of the raw bytes read
    source: str = ""  # the input it came from: a path, a URL, "file.warc.gz#offset"
    id: str | None = None  # an id the input gave (JSONL)

    def meta(self) -> dict[str, Any]:
        """What ``qala.nlp.analyze`` takes as ``meta``."""
        return {"title": self.title, "url": self.url, "outlet": self.outlet, "published": self.published}
