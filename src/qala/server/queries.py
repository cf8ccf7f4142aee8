"""Read queries the server needs and ``qala.store`` does not offer yet, on a read-only connection.

The store lists statements by filters but not by speaker id, has no single speaker, no
single near-duplicate group and no group count; these few queries fill that gap over the
same schema (``qala.store.schema``). Every value reaches SQL as a ``?`` parameter.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qala.store.fulltext import key

# The columns of ``qala.store.sqlite`` statement rows, plus the speaker's id.
QUOTE_COLUMNS = """
    q.id, q.article_id, q.seq, q.type, q.speaker_id, q.speaker_name, e.name AS speaker_entity,
    q.speaker_title, q.resolution, q.mention_start, q.mention_end, q.cue, q.cue_start, q.cue_end,
    q.content, q.content_start, q.content_end, q.date, q.day, q.confidence,
    a.url, a.title, src.name AS outlet, a.published, a.dup_group"""

_QUOTE_JOINS = """
    JOIN articles a ON a.id = q.article_id
    LEFT JOIN sources src ON src.id = a.source_id
    LEFT JOIN entities e ON e.id = q.speaker_entity_id"""

_GROUP_SIZE = """(SELECT COUNT(*) FROM articles a WHERE a.dup_group = g.id)
    + (SELECT COUNT(*) FROM copies k JOIN articles a ON a.id = k.article_id WHERE a.dup_group = g.id)"""


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``): the server never writes through it."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def speaker_ids(conn: sqlite3.Connection, names: Iterable[str | None]) -> dict[str, int]:
    """Speaker name -> speaker id (the store keys speakers by the folded name)."""
    keys = {n: key(n) for n in names if n}
    if not keys:
        return {}
    wanted = sorted(set(keys.values()))
    found: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            (r["key"], r["id"])
            for r in conn.execute(f"SELECT id, key FROM speakers WHERE key IN ({marks})", chunk)
        )
    return {n: found[k] for n, k in keys.items() if k in found}


def speaker(conn: sqlite3.Connection, speaker_id: int) -> dict[str, Any] | None:
    """One speaker: name, entity, counts, first/last day, titles over time, outlets."""
    row = conn.execute(
        """SELECT s.id, s.name, e.name AS entity, e.type AS entity_type,
                  (SELECT COUNT(*) FROM quotes q WHERE q.speaker_id = s.id) AS reports,
                  (SELECT COUNT(DISTINCT article_id) FROM quotes q WHERE q.speaker_id = s.id) AS articles,
                  (SELECT MIN(day) FROM quotes q WHERE q.speaker_id = s.id) AS first_seen,
                  (SELECT MAX(day) FROM quotes q WHERE q.speaker_id = s.id) AS last_seen
           FROM speakers s LEFT JOIN entities e ON e.id = s.entity_id WHERE s.id = ?""",
        (speaker_id,),
    ).fetchone()
    if row is None:
        return None
    out = dict(row)
    titles: dict[str, dict[str, Any]] = {}
    for r in conn.execute(
        """SELECT speaker_title AS title, MIN(day) AS first_seen, MAX(day) AS last_seen, COUNT(*) AS reports
           FROM quotes WHERE speaker_id = ? AND speaker_title IS NOT NULL
           GROUP BY speaker_title ORDER BY COUNT(*) DESC, speaker_title""",
        (speaker_id,),
    ):
        # one title in its most frequent spelling, as the store's speaker listing does
        t = titles.setdefault(key(r["title"]), dict(r) | {"reports": 0})
        t["first_seen"] = min(filter(None, (t["first_seen"], r["first_seen"])), default=None)
        t["last_seen"] = max(filter(None, (t["last_seen"], r["last_seen"])), default=None)
        t["reports"] += r["reports"]
    out["titles"] = sorted(titles.values(), key=lambda t: (t["first_seen"] or "", t["title"]))
    out["outlets"] = [
        dict(r)
        for r in conn.execute(
            """SELECT src.name AS outlet, COUNT(*) AS reports FROM quotes q
               JOIN articles a ON a.id = q.article_id JOIN sources src ON src.id = a.source_id
               WHERE q.speaker_id = ? GROUP BY src.id ORDER BY COUNT(*) DESC, src.name""",
            (speaker_id,),
        )
    ]
    return out


def speaker_quotes(
    conn: sqlite3.Connection, speaker_id: int, after: int | None, limit: int
) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            f"""SELECT {QUOTE_COLUMNS} FROM quotes q {_QUOTE_JOINS}
                WHERE q.speaker_id = ? AND q.id > ? ORDER BY q.id LIMIT ?""",
            (speaker_id, after or 0, limit),
        )
    ]


def count_speaker_quotes(conn: sqlite3.Connection, speaker_id: int) -> int:
    return conn.execute("SELECT COUNT(*) FROM quotes WHERE speaker_id = ?", (speaker_id,)).fetchone()[0]


def speaker_days(conn: sqlite3.Connection, speaker_id: int) -> list[str | None]:
    """The day of every statement by the speaker (a statement's own date, else its article's)."""
    return [r[0] for r in conn.execute("SELECT day FROM quotes WHERE speaker_id = ?", (speaker_id,))]


def groups(conn: sqlite3.Connection, min_size: int, after: int | None, limit: int) -> list[dict[str, Any]]:
    """Near-duplicate groups with at least ``min_size`` members (articles and verbatim copies), by id."""
    rows = conn.execute(
        f"""SELECT g.id, g.first_seen, {_GROUP_SIZE} AS size,
                   (SELECT a.title FROM articles a WHERE a.id = g.first_article) AS title
            FROM dup_groups g WHERE g.id > ? AND size >= ? ORDER BY g.id LIMIT ?""",
        (after or 0, min_size, limit),
    ).fetchall()
    out = []
    for r in rows:
        members = group_members(conn, r["id"])
        published = [m["published"] for m in members if m["published"]]
        out.append(
            dict(r)
            | {
                "first_published": min(published) if published else None,
                "outlets": sorted({m["outlet"] for m in members if m["outlet"]}),
            }
        )
    return out


def count_groups(conn: sqlite3.Connection, min_size: int) -> int:
    return conn.execute(
        f"SELECT COUNT(*) FROM (SELECT {_GROUP_SIZE} AS size FROM dup_groups g) WHERE size >= ?", (min_size,)
    ).fetchone()[0]


def group(conn: sqlite3.Connection, group_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT g.id, g.first_seen, g.first_article, {_GROUP_SIZE} AS size FROM dup_groups g WHERE g.id = ?",
        (group_id,),
    ).fetchone()
    if row is None:
        return None
    members = group_members(conn, group_id)
    published = [m["published"] for m in members if m["published"]]
    return dict(row) | {
        "first_published": min(published) if published else None,
        "outlets": sorted({m["outlet"] for m in members if m["outlet"]}),
        "members": members,
    }


def group_members(conn: sqlite3.Connection, group_id: int) -> list[dict[str, Any]]:
    """Articles and verbatim copies of a group, by when they were first seen."""
    members = [
        dict(r)
        for r in conn.execute(
            """SELECT a.id AS article_id, src.name AS outlet, a.url, a.title, a.published,
                      a.first_seen, a.similarity, 0 AS verbatim_copy
               FROM articles a LEFT JOIN sources src ON src.id = a.source_id WHERE a.dup_group = ?
               UNION ALL
               SELECT k.article_id, src.name, k.url, a.title, k.published, k.first_seen, 1.0, 1
               FROM copies k JOIN articles a ON a.id = k.article_id
               LEFT JOIN sources src ON src.id = k.source_id WHERE a.dup_group = ?
               ORDER BY published, first_seen, article_id""",
            (group_id, group_id),
        )
    ]
    for m in members:
        m["verbatim_copy"] = bool(m["verbatim_copy"])
    return members
