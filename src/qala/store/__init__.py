"""Storage: SQLite by default (one writer, WAL, FTS5 over the Arabic-folded shadow text).

``open_store("qala.db")`` opens (creating and migrating) a SQLite file; a
``postgresql://`` address is reserved for the PostgreSQL backend to come.
"""

from __future__ import annotations

import os

from qala.store.errors import StoreError, StoreNotFound
from qala.store.protocol import Store

__all__ = ["Store", "StoreError", "StoreNotFound", "open_store"]

_POSTGRES = ("postgresql://", "postgres://")


def open_store(target: str | os.PathLike[str], *, create: bool = True) -> Store:
    """The store at ``target``; ``create=False`` (read commands) refuses a missing file with ``StoreNotFound``."""
    where = os.fspath(target)
    if where.startswith(_POSTGRES):
        raise NotImplementedError(
            f"{where.split('@')[-1]}: PostgreSQL storage is not available yet; use a SQLite file"
        )
    from qala.store.sqlite import SQLiteStore

    return SQLiteStore(where, create=create)
