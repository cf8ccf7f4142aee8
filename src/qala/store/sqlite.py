"""The SQLite store: one file, WAL, one writer, any number of reader connections.

The SQL both backends share is in ``qala.store.sql``; here are the connection, the
transactions and FTS5. Every ``add_article`` is one ``BEGIN IMMEDIATE`` transaction, so an
article is stored with all its statements, entities and index rows or not at all, and a
killed process leaves nothing to repair. Listings are streamed page by page with keyset
pagination on the row id (no OFFSET, no cap); ``snapshot()`` holds one read transaction
so that a count and a listing see exactly the same rows.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qala.store.errors import StoreError, StoreNotFound
from qala.store.fulltext import shadow
from qala.store.schema import migrate
from qala.store.sql import OUTCOMES, PAGE, TABLES, SQLStore, reason

__all__ = ["OUTCOMES", "PAGE", "TABLES", "SQLiteStore"]

_reason = reason


class SQLiteStore(SQLStore):
    """qala's storage in one SQLite file; use one instance from one thread at a time."""

    db_error = sqlite3.Error
    ALIASES_SQL = """(SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases
                       WHERE entity_id = e.id ORDER BY alias))"""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self._conn = self._connect(create, timeout)

    # -- opening -----------------------------------------------------------------

    def _connect(self, create: bool, timeout: float) -> sqlite3.Connection:
        path = self.path
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if not path.exists():
            if not create:
                raise StoreNotFound(f"{path}: no such database (create it with `qala ingest`)")
            if not path.parent.is_dir():
                raise StoreError(
                    f"{path}: cannot create the database: directory {path.parent} does not exist"
                )
            if not os.access(path.parent, os.W_OK):
                raise StoreError(
                    f"{path}: cannot create the database: directory {path.parent} is not writable"
                )
        elif not os.access(path, os.R_OK):
            raise StoreError(f"{path}: cannot open the database: permission denied")
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"{path}: cannot open the database: {_reason(e)}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise StoreError(f"{path}: cannot switch the database to WAL mode")
            conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: a crash loses no committed article
            conn.execute("PRAGMA cache_size = -32768")  # 32 MiB of pages per connection
            conn.execute("PRAGMA mmap_size = 1073741824")  # reads map the file instead of copying pages
            migrate(conn)
        except StoreError:
            conn.close()
            raise
        except (sqlite3.Error, RuntimeError) as e:
            conn.close()
            reason = _reason(e)
            if "readonly" in reason or "read-only" in reason:
                reason = "the file or its directory is read-only"
            raise StoreError(f"{path}: cannot open the database: {reason}") from None
        return conn

    def close(self) -> None:
        with contextlib.suppress(
            sqlite3.Error
        ):  # keeps the planner's statistics fresh; cheap when nothing changed
            self._conn.execute("PRAGMA optimize")
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Hold one read transaction: counts and listings inside see the same rows."""
        if self._conn.in_transaction:
            yield
            return
        self._conn.execute("BEGIN")
        try:
            yield
        finally:
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")

    # -- the hooks of SQLStore ----------------------------------------------------------

    def _x(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, tuple(params))

    def _xmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self._conn.executemany(sql, rows)

    def _write_transaction(self, name: str, work: Callable[[], tuple[str, int]]) -> tuple[str, int]:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")  # the one writer: the duplicate checks see every commit
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot write: {_reason(e)}") from None
        try:
            result = work()
            conn.execute("COMMIT")
            return result
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error | ValueError | KeyError | TypeError | IndexError):
                raise StoreError(f"{name}: not stored: {_reason(e)}") from None
            raise

    def _text_source(self, table: str, fts: str) -> tuple[str, list[str], list[Any], str]:
        # FTS5 drives: it yields matches in rowid order and takes rowid bounds itself.
        return f"{table}_fts f", [f"{table}_fts MATCH ?"], [fts], "f.rowid"

    def _count_text(self, table: str, fts: str) -> int:
        return self._one(f"SELECT COUNT(*) FROM {table}_fts WHERE {table}_fts MATCH ?", (fts,))[0]

    def _index_quote(self, quote_id: int, content: str) -> None:
        self._x("INSERT INTO quotes_fts (rowid, content) VALUES (?, ?)", (quote_id, shadow(content)))

    def _unindex_quotes(self, article_id: int) -> None:
        # a contentless FTS5 table forgets a row by being told the text it indexed
        for quote_id, content in self._all("SELECT id, content FROM quotes WHERE article_id = ?", (article_id,)):
            self._x(
                "INSERT INTO quotes_fts (quotes_fts, rowid, content) VALUES ('delete', ?, ?)",
                (quote_id, shadow(content)),
            )

    def _index_article(self, article_id: int, title: str, text: str) -> None:
        self._x(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            (article_id, shadow(title), shadow(text)),
        )
