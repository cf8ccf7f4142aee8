"""One data dict per view: the JSON route returns it, the page renders it (as datasette does).

Every list is ``{"items", "total", "limit", "next_cursor", ...}``: ``total`` is counted in the
same read snapshot as the page, and following ``next_cursor`` to the end returns exactly
``total`` items. A cursor is opaque to clients (today the last id seen, or a rank offset for
speakers). Bad parameters raise ``ApiError("bad_request")``, unknown ids ``ApiError("not_found")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qala.nlp.normalize import replace_surrogates
from qala.server import timeline
from qala.server.analysis import Analyzer
from qala.server.errors import ApiError, bad_request, not_found
from qala.store import Store, open_store
from qala.store.daterange import day_of
from qala.store.fulltext import key

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_ANALYZE_CHARS = 200_000  # safe because each analysis has a time limit (``Analyzer``)
MAX_ANALYZE_BYTES = 8 * MAX_ANALYZE_CHARS  # a request body: \uXXXX escapes and %XX%XX grow Arabic 6×
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
QUOTE_TYPES = ("direct", "indirect", "mixed")


@dataclass(slots=True)
class Db:
    """What a request reads through: the store's API (SQLite or PostgreSQL); the server only reads."""

    store: Store


@contextmanager
def open_db(target: str | Path) -> Iterator[Db]:
    store = open_store(target, create=False)
    try:
        yield Db(store)
    finally:
        store.close()


# -- parameters -------------------------------------------------------------------


def page_args(limit: int | None, cursor: str | None) -> tuple[int, int | None]:
    if limit is None:
        limit = DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"limit {limit} is not between 1 and {MAX_LIMIT}")
    if cursor is None or cursor == "":
        return limit, None
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise bad_request(f"cursor {cursor!r} is not a cursor this API gave")
    return limit, int(cursor)


def _blank(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


def _page(rows: list[dict[str, Any]], limit: int, total: int, cursor_of: Any) -> dict[str, Any]:
    more = len(rows) > limit
    items = rows[:limit]
    return {
        "total": total,
        "limit": limit,
        "next_cursor": str(cursor_of(items[-1])) if more and items else None,
        "items": items,
    }


def _with_speaker_ids(db: Db, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = db.store.speaker_ids(r.get("speaker_name") for r in rows)
    for r in rows:
        r["speaker_id"] = ids.get(r.get("speaker_name") or "")
    return rows


# -- statements ---------------------------------------------------------------------


def quote_filters(
    q: str | None = None,
    speaker: str | None = None,
    outlet: str | None = None,
    type: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> dict[str, str | None]:
    """The filters as the store takes them; blank values are no filter."""
    f = {
        "text": _blank(q),
        "speaker": _blank(speaker),
        "outlet": _blank(outlet),
        "type": _blank(type),
        "date_from": _blank(date_from),
        "date_to": _blank(date_to),
    }
    if f["type"] is not None and f["type"] not in QUOTE_TYPES:
        raise bad_request(f"type {type!r} is not one of {', '.join(QUOTE_TYPES)}")
    return f


def quotes(db: Db, filters: dict[str, str | None], limit: int | None, cursor: str | None) -> dict[str, Any]:
    """Statements matching every filter, by id, with their speaker, cue, outlet, date and article."""
    n, after = page_args(limit, cursor)
    try:
        with db.store.snapshot():
            total = db.store.count_quotes(**filters)
            rows = list(db.store.search_quotes(**filters, limit=n + 1, after=after))
    except ValueError as e:
        raise bad_request(str(e)) from None
    out = _page(_with_speaker_ids(db, rows), n, total, lambda r: r["id"])
    return {"filters": _public_filters(filters)} | out


def _public_filters(f: dict[str, str | None]) -> dict[str, str | None]:
    return {
        "q": f["text"],
        "speaker": f["speaker"],
        "outlet": f["outlet"],
        "type": f["type"],
        "from": f["date_from"],
        "to": f["date_to"],
    }


# -- articles -----------------------------------------------------------------------


def article_filters(
    q: str | None = None, outlet: str | None = None, date_from: str | None = None, date_to: str | None = None
) -> dict[str, str | None]:
    return {
        "text": _blank(q),
        "outlet": _blank(outlet),
        "date_from": _blank(date_from),
        "date_to": _blank(date_to),
    }


def articles(db: Db, filters: dict[str, str | None], limit: int | None, cursor: str | None) -> dict[str, Any]:
    """Articles by id, without their text (``length`` says how long it is)."""
    n, after = page_args(limit, cursor)
    try:
        with db.store.snapshot():
            total = db.store.count_articles(**filters)
            rows = list(db.store.articles(after=after, limit=n + 1, **filters))
    except ValueError as e:
        raise bad_request(str(e)) from None
    for r in rows:
        r["length"] = len(r.pop("text") or "")
    f = filters
    return {
        "filters": {"q": f["text"], "outlet": f["outlet"], "from": f["date_from"], "to": f["date_to"]}
    } | _page(rows, n, total, lambda r: r["id"])


def article(db: Db, article_id: int) -> dict[str, Any]:
    """An article with every statement, entity, date, link and copy, all with their offsets."""
    with db.store.snapshot():
        art = db.store.get_article(article_id)
    if art is None:
        raise not_found(f"article {article_id} does not exist")
    _with_speaker_ids(db, art["quotes"])
    with db.store.snapshot():
        group = db.store.dup_group(art["dup_group"])
    art["group_size"] = group["size"] if group else 1
    return art


# -- speakers -------------------------------------------------------------------------


def speakers(db: Db, name: str | None, limit: int | None, cursor: str | None) -> dict[str, Any]:
    """Speakers ranked by statements (one per near-duplicate group), with titles, outlets, first/last seen."""
    n, offset = page_args(limit, cursor)
    offset = offset or 0
    with db.store.snapshot():
        ranked = db.store.speakers()
    if _blank(name):
        k = key(name or "")
        ranked = [s for s in ranked if k in key(s["name"]) or (s["entity"] and k in key(s["entity"]))]
    rows = ranked[offset : offset + n + 1]
    for i, r in enumerate(rows):
        r["rank"] = offset + i + 1
    return {"filters": {"name": _blank(name)}} | _page(rows, n, len(ranked), lambda r: r["rank"])


def speaker(
    db: Db, speaker_id: int, limit: int | None, cursor: str | None, unit: str | None = None
) -> dict[str, Any]:
    """One speaker: titles over time, outlets, a page of statements, and statements per day/week/month."""
    n, after = page_args(limit, cursor)
    if unit is not None and unit not in timeline.UNITS:
        raise bad_request(f"by {unit!r} is not one of {', '.join(timeline.UNITS)}")
    store = db.store
    with store.snapshot():
        info = store.speaker(speaker_id)
        if info is None:
            raise not_found(f"speaker {speaker_id} does not exist")
        total = store.count_speaker_quotes(speaker_id)
        rows = store.speaker_quotes(speaker_id, after, n + 1)
        days = store.speaker_days(speaker_id)
    info["timeline"] = timeline.bins(days, unit)
    info["statements"] = _page(rows, n, total, lambda r: r["id"])
    return info


# -- entities and near-duplicate groups ------------------------------------------------


def entities(db: Db, type: str | None, limit: int | None, cursor: str | None) -> dict[str, Any]:
    n, after = page_args(limit, cursor)
    type = _blank(type)
    if type is not None and type not in ENTITY_TYPES:
        raise bad_request(f"type {type!r} is not one of {', '.join(ENTITY_TYPES)}")
    with db.store.snapshot():
        total = db.store.count_entities(type)
        rows = list(db.store.entities(after=after, limit=n + 1, type=type))
    return {"filters": {"type": type}} | _page(rows, n, total, lambda r: r["id"])


def groups(db: Db, min_size: int | None, limit: int | None, cursor: str | None) -> dict[str, Any]:
    """Near-duplicate groups (a story carried by several outlets), by id."""
    n, after = page_args(limit, cursor)
    min_size = 2 if min_size is None else min_size
    if not 1 <= min_size <= 1_000_000:
        raise bad_request(f"min_size {min_size} is not between 1 and 1000000")
    with db.store.snapshot():
        total = db.store.count_dup_groups(min_size)
        rows = db.store.dup_group_page(min_size, after, n + 1)
    return {"filters": {"min_size": min_size}} | _page(rows, n, total, lambda r: r["id"])


def group(db: Db, group_id: int) -> dict[str, Any]:
    """The outlets that carried one story and when, first publication first."""
    with db.store.snapshot():
        g = db.store.dup_group(group_id)
    if g is None:
        raise not_found(f"near-duplicate group {group_id} does not exist")
    return g


# -- analysis without storing -------------------------------------------------------------

META_KEYS = ("title", "url", "outlet", "published")


def analysis_input(
    text: Any, meta: dict[str, Any] | None = None, id: str | None = None
) -> tuple[str, dict[str, Any], str | None]:
    """The checked request (``ApiError`` for a bad one), lone surrogates replaced (JSON may spell
    them, ``\\ud800``, but no UTF-8 answer can hold them)."""
    if not isinstance(text, str) or not text.strip():
        raise bad_request("text is empty")
    if len(text) > MAX_ANALYZE_CHARS:
        raise ApiError("too_large", f"text has {len(text)} characters; at most {MAX_ANALYZE_CHARS}")
    meta = {k: v for k, v in (meta or {}).items() if v is not None}
    unknown = sorted(set(meta) - set(META_KEYS))
    if unknown:
        raise bad_request(f"meta has unknown keys: {', '.join(unknown)} (allowed: {', '.join(META_KEYS)})")
    published = meta.get("published")
    if published is not None and (not isinstance(published, str) or day_of(published) is None):
        raise bad_request(f"meta.published {published!r} is not an ISO date")
    meta = {k: replace_surrogates(v) if isinstance(v, str) else v for k, v in meta.items()}
    return replace_surrogates(text), meta, None if id is None else replace_surrogates(id)


def analyze_text(
    analyzer: Analyzer, text: Any, meta: dict[str, Any] | None = None, id: str | None = None
) -> str:
    """The Doc of ``output.md`` for a pasted text, as JSON text; nothing is stored. Blocks: run it
    in a worker thread."""
    return analyzer.analyze(*analysis_input(text, meta, id))


def doc_as_article(doc: dict[str, Any]) -> dict[str, Any]:
    """A Doc (``output.md``) in the shape of a stored article, for the same highlighting."""
    flat = []
    for seq, q in enumerate(doc["quotes"]):
        sp = q.get("speaker") or {}
        mention = sp.get("mention") or {}
        flat.append(
            {
                "seq": seq,
                "type": q["type"],
                "speaker_id": None,
                "speaker_name": sp.get("name"),
                "speaker_title": sp.get("title"),
                "resolution": sp.get("resolution"),
                "mention_start": mention.get("start"),
                "mention_end": mention.get("end"),
                "cue": q["cue"]["text"],
                "cue_start": q["cue"]["start"],
                "cue_end": q["cue"]["end"],
                "content": q["content"]["text"],
                "content_start": q["content"]["start"],
                "content_end": q["content"]["end"],
                "date": q.get("date"),
                "confidence": q.get("confidence"),
            }
        )
    return {
        "text": doc["text"],
        "quotes": flat,
        "entities": doc["entities"],
        "dates": doc["dates"],
        "links": doc["links"],
    }
