"""Storage errors: one message naming the input (a database path, a record) and the reason."""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be opened or written, or an input the store refuses; ``str()`` is the message."""


class StoreNotFound(StoreError):
    """A read command pointed at a database file that does not exist (we never create one to read)."""
