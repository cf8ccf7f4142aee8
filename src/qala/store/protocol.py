"""What every storage backend offers (SQLite now, PostgreSQL later): the API the ingest, CLI and server use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from qala.ingest.record import ArticleRecord
from qala.nlp.doc import Doc


class Store(Protocol):
    """Writes from one thread; listings are streamed by id with no cap, and counts equal listings."""

    def input_done(self, key: str) -> bool: ...
    def add_article(self, rec: ArticleRecord, doc: Doc) -> tuple[str, int]: ...
    def log_input(
        self,
        key: str,
        source: str | None,
        outcome: str,
        reason: str | None = None,
        article_id: int | None = None,
    ) -> None: ...
    def close(self) -> None: ...
    def snapshot(self) -> AbstractContextManager[None]: ...
    def search_quotes(
        self,
        text: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        type: str | None = None,
        limit: int | None = None,
        after: int | None = None,
    ) -> Iterator[dict[str, Any]]: ...
    def count_quotes(
        self,
        text: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        type: str | None = None,
    ) -> int: ...
    def speakers(self, top: int | None = None) -> list[dict[str, Any]]: ...
    def articles(
        self, after: int | None = None, limit: int | None = None, **filters: Any
    ) -> Iterator[dict[str, Any]]: ...
    def count_articles(self, **filters: Any) -> int: ...
    def entities(
        self, after: int | None = None, limit: int | None = None, type: str | None = None
    ) -> Iterator[dict[str, Any]]: ...
    def count_entities(self, type: str | None = None) -> int: ...
    def dup_groups(self, min_size: int = 2) -> Iterator[dict[str, Any]]: ...
    def get_article(self, article_id: int) -> dict[str, Any] | None: ...
    def stats(self) -> dict[str, Any]: ...
