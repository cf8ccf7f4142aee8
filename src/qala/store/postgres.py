"""The PostgreSQL store: the same API, SQL and results as SQLite's, for a shared server.

``open_store("postgresql://user@host/db")`` connects with psycopg 3 (autocommit; explicit
transactions), migrates the schema (``qala.store.postgres_schema``) and runs the SQL of
``qala.store.sql``. Full-text search matches a ``tsvector`` of the folded text, tokenized in
Python exactly as SQLite's FTS5 tokenizes it, against a ``tsquery`` built from the same FTS5
query: all words, ``"phrases"`` as ``<->`` and ``prefix*`` as ``:*``.

Several processes may write at once. Each ``add_article`` is one READ COMMITTED transaction that
first takes transaction-scoped advisory locks on the article's content hash, canonical URL and
MinHash band keys (in sorted order), so two writers of the same article, URL or near-duplicate
story take turns and the second sees the first's commit: no duplicate article or copy, and a
near-duplicate joins its group. Shared rows (sources, entities, speakers, aliases) are
``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` with a re-read when another writer won; a
deadlock between two such writers is retried.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from qala.store.errors import StoreError, StoreNotFound
from qala.store.fulltext import shadow, tsquery, tsvector
from qala.store.postgres_schema import migrate, version
from qala.store.sql import SQLStore, reason

SCHEMES = ("postgresql://", "postgres://")
RETRIES = 5  # deadlocks between concurrent writers; each retry redoes the whole article


def display_url(url: str) -> str:
    """The URL without its password, for messages: ``postgresql://qala@db/news``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))


class Row:
    """A row as ``sqlite3.Row`` gives it: by position, by column name, ``dict(row)``."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]) -> None:
        self._names, self._values = names, values

    def __getitem__(self, k: int | str) -> Any:
        return self._values[k if isinstance(k, int) else self._names[k]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._names)


def _plain(v: Any) -> Any:
    # SUM over BIGINT is NUMERIC in PostgreSQL; SQLite gives an int
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names: dict[str, int] = {}
    for i, c in enumerate(cursor.description or ()):
        names.setdefault(c.name, i)  # the first of two same-named columns, as sqlite3.Row

    def make(values: Sequence[Any]) -> Row:
        return Row(names, [_plain(v) for v in values])

    return make


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    """``?`` parameters as psycopg's ``%s`` (our SQL has no other ``?`` or ``%``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _lock_key(kind: str, value: str) -> int:
    """A signed 64-bit advisory lock key for one identity of an article."""
    digest = hashlib.blake2b(f"{kind}\0{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class PostgresStore(SQLStore):
    """qala's storage in a PostgreSQL database; one connection, use from one thread at a time."""

    db_error = psycopg.Error
    ALIASES_SQL = """(SELECT COALESCE(json_agg(alias ORDER BY alias), '[]'::json)::text
                       FROM entity_aliases WHERE entity_id = e.id)"""

    def __init__(self, url: str, *, create: bool = True, timeout: float = 30.0) -> None:
        self.url = url
        self.name = display_url(url)
        self._conn = self._connect(create, timeout)

    def _connect(self, create: bool, timeout: float) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=_row_factory,
                connect_timeout=max(1, int(timeout)),
                application_name="qala",
            )
        except psycopg.Error as e:
            why = reason(e).strip().splitlines()[-1] if reason(e).strip() else type(e).__name__
            if "does not exist" in why and "database" in why:
                raise StoreNotFound(f"{self.name}: no such database (create it with `createdb`)") from None
            raise StoreError(f"{self.name}: cannot connect: {why}") from None
        try:
            if not create and version(conn) is None:
                raise StoreNotFound(
                    f"{self.name}: no qala tables in this database (create them with `qala ingest`)"
                )
            migrate(conn)
        except StoreError:
            conn.close()
            raise
        except (psycopg.Error, RuntimeError) as e:
            conn.close()
            raise StoreError(f"{self.name}: cannot open the database: {reason(e)}") from None
        return conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Hold one REPEATABLE READ transaction: counts and listings inside see the same rows."""
        conn = self._conn
        if conn.info.transaction_status != TransactionStatus.IDLE:
            yield
            return
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            yield
        finally:
            status = conn.info.transaction_status
            if status == TransactionStatus.INTRANS:
                conn.execute("COMMIT")
            elif status == TransactionStatus.INERROR:
                conn.execute("ROLLBACK")

    # -- the hooks of SQLStore ----------------------------------------------------------

    def _x(self, sql: str, params: Iterable[Any] = ()) -> psycopg.Cursor[Any]:
        return self._conn.execute(_pg_sql(sql), tuple(params))

    def _xmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)

    def _write_transaction(self, name: str, work: Callable[[], tuple[str, int]]) -> tuple[str, int]:
        for attempt in range(RETRIES + 1):
            try:
                with self._conn.transaction():
                    return work()
            except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure) as e:
                if attempt == RETRIES:
                    raise StoreError(f"{name}: not stored: {reason(e)}") from None
                time.sleep(0.01 * (attempt + 1))
            except (psycopg.Error, ValueError, KeyError, TypeError, IndexError) as e:
                raise StoreError(f"{name}: not stored: {reason(e).strip()}") from None
        raise AssertionError("unreachable")

    def _lock_article(self, chash: str, canon: str | None, bands: list[tuple[int, int]]) -> None:
        keys = {_lock_key("content", chash)} | {_lock_key("band", f"{b}:{k}") for b, k in bands}
        if canon is not None:
            keys.add(_lock_key("url", canon))
        # one order for every writer, so two writers never wait for each other in a cycle
        self._x(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(?::bigint[]) AS k ORDER BY 1) ordered",
            (sorted(keys),),
        )

    def _text_source(self, table: str, fts: str) -> tuple[str, list[str], list[Any], str]:
        query = tsquery(fts)
        if query is None:  # a phrase FTS5 cannot index matches nothing there either
            return f"{table}_fts f", ["1 = 0"], [], "f.id"
        # "f.id + 0": ordering by the bare id lets the planner walk the primary key and test every
        # row against the query (a second for a rare word in 1M statements); this keeps the GIN index
        return f"{table}_fts f", ["f.fts @@ ?::tsquery"], [query], "(f.id + 0)"

    def _count_text(self, table: str, fts: str) -> int:
        frm, conds, params, _ = self._text_source(table, fts)
        return self._one(f"SELECT COUNT(*) FROM {frm} WHERE {conds[0]}", params)[0]

    def _index_quote(self, quote_id: int, content: str) -> None:
        self._x(
            "INSERT INTO quotes_fts (id, fts) VALUES (?, ?::tsvector)", (quote_id, tsvector(shadow(content)))
        )

    def _unindex_quotes(self, article_id: int) -> None:
        self._x("DELETE FROM quotes_fts WHERE id IN (SELECT id FROM quotes WHERE article_id = ?)", (article_id,))

    def _index_article(self, article_id: int, title: str, text: str) -> None:
        self._x(
            "INSERT INTO articles_fts (id, fts) VALUES (?, ?::tsvector)",
            (article_id, tsvector(shadow(title), shadow(text))),
        )
