"""Storage: SQLite by default (one writer, WAL, FTS5 over the Arabic-folded shadow text), or PostgreSQL.

``open_store("qala.db")`` opens (creating and migrating) a SQLite file;
``open_store("postgresql://user@host/db")`` a PostgreSQL database (made with ``createdb``;
qala creates and migrates its tables). Both give the same API (``Store``) and the same rows.
"""

from __future__ import annotations

import os

from qala.store.errors import StoreError, StoreNotFound
from qala.store.protocol import Store

__all__ = ["Store", "StoreError", "StoreNotFound", "display_target", "is_postgres", "open_store"]

_POSTGRES = ("postgresql://", "postgres://")


def is_postgres(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a PostgreSQL database (a ``postgresql://`` URL) rather than a SQLite file."""
    return os.fspath(target).startswith(_POSTGRES)


def display_target(target: str | os.PathLike[str]) -> str:
    """``target`` as messages show it: a PostgreSQL URL without its password."""
    where = os.fspath(target)
    if not is_postgres(where):
        return where
    from qala.store.postgres import display_url

    return display_url(where)


def open_store(target: str | os.PathLike[str], *, create: bool = True) -> Store:
    """The store at ``target``; ``create=False`` (read commands) refuses a missing file or an
    uninitialized PostgreSQL database with ``StoreNotFound``."""
    where = os.fspath(target)
    if where.startswith(_POSTGRES):
        from qala.store.postgres import PostgresStore

        return PostgresStore(where, create=create)
    from qala.store.sqlite import SQLiteStore

    return SQLiteStore(where, create=create)
