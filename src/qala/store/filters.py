"""What a listing asks for, checked once and shared by every backend (SQLite now, PostgreSQL later)."""

from __future__ import annotations

from dataclasses import dataclass

from qala.store.daterange import parse_bound
from qala.store.fulltext import fts_query, key

QUOTE_TYPES = ("direct", "indirect", "mixed")


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Filters of ``search_quotes``/``count_quotes``, validated; ``ValueError`` names the bad value.

    ``text`` is already an FTS5 query over the folded content, ``speaker``/``outlet`` are
    folded keys, dates are inclusive days (a statement's own date, else its article's).
    """

    text: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    type: str | None = None

    @classmethod
    def of(
        cls,
        text: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        type: str | None = None,
    ) -> QuoteFilter:
        if type is not None and type not in QUOTE_TYPES:
            raise ValueError(f"statement type {type!r} is not one of {', '.join(QUOTE_TYPES)}")
        lo = parse_bound(date_from, end=False) if date_from else None
        hi = parse_bound(date_to, end=True) if date_to else None
        if lo and hi and lo > hi:
            raise ValueError(f"date range {date_from}..{date_to} is empty (from is after to)")
        return cls(
            text=fts_query(text) if text and text.strip() else None,
            speaker=_key_or_none(speaker, "speaker"),
            outlet=_key_or_none(outlet, "outlet"),
            date_from=lo,
            date_to=hi,
            type=type,
        )


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters of ``articles``/``count_articles``: outlet key, published-day range, full text."""

    text: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    @classmethod
    def of(
        cls,
        text: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> ArticleFilter:
        q = QuoteFilter.of(text=text, outlet=outlet, date_from=date_from, date_to=date_to)
        return cls(text=q.text, outlet=q.outlet, date_from=q.date_from, date_to=q.date_to)


def _key_or_none(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    k = key(value)
    if not k:
        raise ValueError(f"{what} {value!r} is empty")
    return k
