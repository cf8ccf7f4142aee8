"""The SQLite store: one file, WAL, one writer, any number of reader connections.

All SQL of the SQLite backend lives here; the API (``qala.store.protocol.Store``) is the
same for the PostgreSQL backend to come. Every ``add_article`` is one transaction, so an
article is stored with all its statements, entities and index rows or not at all, and a
killed process leaves nothing to repair. Listings are streamed page by page with keyset
pagination on the row id (no OFFSET, no cap); ``snapshot()`` holds one read transaction
so that a count and a listing see exactly the same rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qala.ingest.record import ArticleRecord, content_hash
from qala.nlp.doc import Doc
from qala.store import neardup
from qala.store.canonical import canonical_url
from qala.store.daterange import day_of, day_range
from qala.store.errors import StoreError, StoreNotFound
from qala.store.filters import ArticleFilter, QuoteFilter
from qala.store.fulltext import key, shadow
from qala.store.schema import migrate

PAGE = 1000  # rows per keyset page when streaming
OUTCOMES = ("new", "duplicate", "failed")
TABLES = (
    "sources",
    "articles",
    "copies",
    "dup_groups",
    "entities",
    "entity_aliases",
    "mentions",
    "speakers",
    "quotes",
    "dates",
    "links",
    "ingest_log",
)

_QUOTE_COLUMNS = """
    q.id, q.article_id, q.seq, q.type, q.speaker_name, e.name AS speaker_entity, q.speaker_title,
    q.resolution, q.mention_start, q.mention_end, q.cue, q.cue_start, q.cue_end,
    q.content, q.content_start, q.content_end, q.date, q.day, q.confidence,
    a.url, a.title, src.name AS outlet, a.published, a.dup_group"""

_ARTICLE_COLUMNS = """
    a.id, a.ext_id, a.url, a.canonical_url, a.title, src.name AS outlet, a.published, a.day,
    a.language, a.content_hash, a.raw_hash, a.input, a.dup_group, a.similarity, a.first_seen,
    a.n_quotes, a.n_mentions, a.text"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _like(k: str) -> str:
    """A LIKE pattern matching ``k`` anywhere, with LIKE's own wildcards escaped."""
    return "%" + k.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _reason(e: BaseException) -> str:
    return str(e) or type(e).__name__


class SQLiteStore:
    """qala's storage in one SQLite file; use one instance from one thread at a time."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True, timeout: float = 30.0) -> None:
        self.path = Path(path)
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

    # -- writing -----------------------------------------------------------------

    def input_done(self, key: str) -> bool:
        row = self._conn.execute("SELECT outcome FROM ingest_log WHERE key = ?", (key,)).fetchone()
        return row is not None and row[0] in OUTCOMES

    def log_input(
        self,
        key: str,
        source: str | None,
        outcome: str,
        reason: str | None = None,
        article_id: int | None = None,
    ) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"ingest outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        now = _now()
        self._write(
            """INSERT INTO ingest_log (key, source, outcome, reason, article_id, first_at, last_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET source = excluded.source, outcome = excluded.outcome,
                 reason = excluded.reason, article_id = excluded.article_id, last_at = excluded.last_at,
                 attempts = attempts + 1""",
            (key, source, outcome, reason, article_id, now, now),
        )

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        try:
            self._conn.execute(sql, params)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: write failed: {_reason(e)}") from None

    def add_article(self, rec: ArticleRecord, doc: Doc) -> tuple[str, int]:
        """Store an analyzed article; ``("duplicate", id)`` when its URL or text is known.

        One transaction: on any error nothing of the article is stored and ``StoreError``
        names the record and the reason.
        """
        name = rec.source or rec.url or rec.id or "article"
        if doc.text != rec.text:
            raise StoreError(f"{name}: the analyzed text is not the record's text")
        canon = canonical_url(rec.url) if rec.url else None
        chash = content_hash(rec.text)
        sig = neardup.signature(rec.text)
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot write: {_reason(e)}") from None
        try:
            result = self._insert_article(rec, doc, canon, chash, sig)
            conn.execute("COMMIT")
            return result
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error | ValueError | KeyError | TypeError | IndexError):
                raise StoreError(f"{name}: not stored: {_reason(e)}") from None
            raise

    def _insert_article(
        self, rec: ArticleRecord, doc: Doc, canon: str | None, chash: str, sig: Any
    ) -> tuple[str, int]:
        c = self._conn
        now = _now()
        row = c.execute(
            "SELECT id FROM articles WHERE content_hash = ? OR (? IS NOT NULL AND canonical_url = ?) LIMIT 1",
            (chash, canon, canon),
        ).fetchone()
        if row is None and canon is not None:
            row = c.execute("SELECT article_id FROM copies WHERE canonical_url = ?", (canon,)).fetchone()
        if row is not None:
            known = c.execute(
                "SELECT 1 FROM articles WHERE canonical_url = ? UNION ALL SELECT 1 FROM copies WHERE canonical_url = ?",
                (canon, canon),
            ).fetchone()
            if canon is not None and known is None:  # the same text at a new URL: a verbatim copy
                c.execute(
                    """INSERT INTO copies (article_id, url, canonical_url, source_id, published, input, first_seen)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (
                        row[0],
                        rec.url,
                        canon,
                        self._source_id(rec.outlet),
                        rec.published,
                        rec.source or None,
                        now,
                    ),
                )
            return "duplicate", row[0]

        source_id = self._source_id(rec.outlet)
        group, sim = self._near_duplicate_group(sig)
        new_group = group is None
        if group is None:  # first_article is set once the article has its id
            group = c.execute(
                "INSERT INTO dup_groups (first_article, first_seen) VALUES (0, ?)", (now,)
            ).lastrowid
        cur = c.execute(
            """INSERT INTO articles (ext_id, url, canonical_url, title, source_id, published, day, language,
                 text, content_hash, raw_hash, input, minhash, dup_group, similarity, first_seen, n_quotes,
                 n_mentions)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                rec.id,
                rec.url,
                canon,
                rec.title,
                source_id,
                rec.published,
                day_of(rec.published),
                rec.language,
                rec.text,
                chash,
                rec.raw_hash or None,
                rec.source or None,
                neardup.to_bytes(sig),
                group,
                sim,
                now,
                len(doc.quotes),
                sum(len(e.mentions) for e in doc.entities),
            ),
        )
        article_id = cur.lastrowid
        assert article_id is not None
        if new_group:
            c.execute("UPDATE dup_groups SET first_article = ? WHERE id = ?", (article_id, group))
        c.executemany(
            "INSERT INTO minhash_bands (band, key, article_id) VALUES (?, ?, ?)",
            [(band, k, article_id) for band, k in neardup.band_keys(sig)],
        )
        c.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            (article_id, shadow(rec.title or ""), shadow(rec.text)),
        )
        entity_ids = self._insert_entities(article_id, doc)
        self._insert_quotes(article_id, doc, entity_ids, day_of(rec.published))
        c.executemany(
            "INSERT INTO dates (article_id, seq, start, end, text, value) VALUES (?, ?, ?, ?, ?, ?)",
            [(article_id, i, d.start, d.end, d.text, d.value) for i, d in enumerate(doc.dates)],
        )
        c.executemany(
            "INSERT INTO links (article_id, seq, start, end, url, kind, video_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(article_id, i, x.start, x.end, x.url, x.kind, x.video_id) for i, x in enumerate(doc.links)],
        )
        return "new", article_id

    def _source_id(self, outlet: str | None) -> int | None:
        if not outlet or not outlet.strip():
            return None
        k = key(outlet)
        c = self._conn
        row = c.execute("SELECT id FROM sources WHERE key = ?", (k,)).fetchone()
        if row:
            return row[0]
        return c.execute("INSERT INTO sources (name, key) VALUES (?, ?)", (outlet.strip(), k)).lastrowid

    def _near_duplicate_group(self, sig: Any) -> tuple[int | None, float | None]:
        """The group of the most similar stored article at or above the threshold, if any."""
        keys = neardup.band_keys(sig)
        c = self._conn
        candidates: set[int] = set()
        for band, k in keys:
            candidates.update(
                r[0]
                for r in c.execute(
                    "SELECT article_id FROM minhash_bands WHERE band = ? AND key = ?", (band, k)
                )
            )
        best: tuple[float, int, int] | None = None  # (similarity, -id, group): most similar, then oldest
        for article_id in candidates:
            blob, group = c.execute(
                "SELECT minhash, dup_group FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            sim = neardup.similarity(sig, neardup.from_bytes(blob))
            if sim >= neardup.THRESHOLD and (best is None or (sim, -article_id) > best[:2]):
                best = (sim, -article_id, group)
        return (best[2], round(best[0], 3)) if best else (None, None)

    def _insert_entities(self, article_id: int, doc: Doc) -> dict[str, int]:
        """Global entities by (folded name, type); returns the document's local id -> global id."""
        c = self._conn
        ids: dict[str, int] = {}
        mentions = []
        for ent in doc.entities:
            k = key(ent.name)
            row = c.execute("SELECT id FROM entities WHERE key = ? AND type = ?", (k, ent.type)).fetchone()
            if row:
                eid = row[0]
            else:
                eid = c.execute(
                    "INSERT INTO entities (name, key, type) VALUES (?, ?, ?)", (ent.name, k, ent.type)
                ).lastrowid
            ids[ent.id] = eid
            aliases = {k: ent.name} | {key(m.text): m.text for m in ent.mentions if key(m.text)}
            c.executemany(
                "INSERT OR IGNORE INTO entity_aliases (key, entity_id, alias) VALUES (?, ?, ?)",
                [(ak, eid, alias) for ak, alias in aliases.items()],
            )
            c.execute(
                "INSERT INTO article_entities (article_id, local_id, entity_id, name, titles) VALUES (?, ?, ?, ?, ?)",
                (article_id, ent.id, eid, ent.name, json.dumps(list(ent.titles), ensure_ascii=False)),
            )
            mentions.extend((article_id, ent.id, m.start, m.end, m.text) for m in ent.mentions)
        c.executemany(
            "INSERT INTO mentions (article_id, local_id, start, end, text) VALUES (?, ?, ?, ?, ?)", mentions
        )
        return ids

    def _speaker_id(self, name: str, entity_id: int | None) -> int | None:
        k = key(name)
        if not k:
            return None
        c = self._conn
        row = c.execute("SELECT id, entity_id FROM speakers WHERE key = ?", (k,)).fetchone()
        if row:
            if row[1] is None and entity_id is not None:
                c.execute("UPDATE speakers SET entity_id = ? WHERE id = ?", (entity_id, row[0]))
            return row[0]
        return c.execute(
            "INSERT INTO speakers (name, key, entity_id) VALUES (?, ?, ?)", (name, k, entity_id)
        ).lastrowid

    def _insert_quotes(
        self, article_id: int, doc: Doc, entity_ids: dict[str, int], published: str | None
    ) -> None:
        c = self._conn
        n = len(doc.text)
        for seq, q in enumerate(doc.quotes):
            for span in (q.cue, q.content):
                if not 0 <= span.start <= span.end <= n:
                    raise ValueError(f"statement {seq}: span {span.start}..{span.end} outside the text")
            sp = q.speaker
            entity_id = entity_ids.get(sp.entity) if sp and sp.entity else None
            speaker_id = self._speaker_id(sp.name, entity_id) if sp and sp.name else None
            day = day_of(q.date) or published
            lo, hi = day_range(day)
            mention = sp.mention if sp else None
            cur = c.execute(
                """INSERT INTO quotes (article_id, seq, type, speaker_id, speaker_name, speaker_entity_id,
                     speaker_title, resolution, mention_start, mention_end, cue, cue_start, cue_end, content,
                     content_start, content_end, date, day, day_lo, day_hi, confidence)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    article_id,
                    seq,
                    q.type,
                    speaker_id,
                    sp.name if sp else None,
                    entity_id,
                    sp.title if sp else None,
                    sp.resolution if sp else None,
                    mention.start if mention else None,
                    mention.end if mention else None,
                    q.cue.text,
                    q.cue.start,
                    q.cue.end,
                    q.content.text,
                    q.content.start,
                    q.content.end,
                    q.date,
                    day,
                    lo,
                    hi,
                    round(q.confidence, 3),
                ),
            )
            c.execute(
                "INSERT INTO quotes_fts (rowid, content) VALUES (?, ?)",
                (cur.lastrowid, shadow(q.content.text)),
            )

    # -- reading: statements -----------------------------------------------------

    def _quote_where(self, f: QuoteFilter) -> tuple[str, list[str], list[Any], str]:
        """FROM clause, WHERE conditions and parameters of a statement query; ``id`` is the key column."""
        conds: list[str] = []
        params: list[Any] = []
        if f.text:
            # FTS5 drives: it yields matches in rowid order and takes rowid bounds itself.
            frm = "quotes_fts f JOIN quotes q ON q.id = f.rowid"
            conds.append("quotes_fts MATCH ?")
            params.append(f.text)
            id_col = "f.rowid"
        else:
            frm = "quotes q"
            id_col = "q.id"
        if f.speaker:
            conds.append(
                """q.speaker_id IN (SELECT id FROM speakers WHERE key LIKE ? ESCAPE '\\'
                     UNION SELECT s.id FROM speakers s JOIN entity_aliases al ON al.entity_id = s.entity_id
                     WHERE al.key = ?)"""
            )
            params += [_like(f.speaker), f.speaker]
        if f.outlet:
            conds.append(
                "q.article_id IN (SELECT a2.id FROM articles a2 JOIN sources s2 ON s2.id = a2.source_id "
                "WHERE s2.key LIKE ? ESCAPE '\\')"
            )
            params.append(_like(f.outlet))
        # A statement is in a range when all the days its date may mean are (2015-09 is in
        # 2015, not in 2015-09-10..2015-12-31); day_lo then bounds an index range.
        if f.date_from:
            conds.append("q.day_lo >= ?")
            params.append(f.date_from)
        if f.date_to:
            conds += ["q.day_lo <= ?", "q.day_hi <= ?"]
            params += [f.date_to, f.date_to]
        if f.type:
            conds.append("q.type = ?")
            params.append(f.type)
        return frm, conds, params, id_col

    def _quote_page(self, f: QuoteFilter, after: int | None, limit: int) -> list[sqlite3.Row]:
        frm, conds, params, id_col = self._quote_where(f)
        if after is not None:
            conds.append(f"{id_col} > ?")
            params.append(after)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        # The filtering select reads ids only, so it stays inside the narrow quotes_filter
        # index; only the rows of the page are read in full.
        sql = f"""SELECT {_QUOTE_COLUMNS}
                  FROM (SELECT q.id FROM {frm}{where} ORDER BY {id_col} LIMIT ?) page
                  JOIN quotes q ON q.id = page.id
                  JOIN articles a ON a.id = q.article_id
                  LEFT JOIN sources src ON src.id = a.source_id
                  LEFT JOIN entities e ON e.id = q.speaker_entity_id
                  ORDER BY q.id"""
        return self._conn.execute(sql, [*params, limit]).fetchall()

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
    ) -> Iterator[dict[str, Any]]:
        """Statements matching every given filter, by id; ``after`` is the last id already seen.

        Filters are checked before the first row (``ValueError`` names a bad one).
        """
        f = QuoteFilter.of(text, speaker, outlet, date_from, date_to, type)
        return self._pages(lambda last, n: self._quote_page(f, last, n), after, limit)

    def count_quotes(
        self,
        text: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        type: str | None = None,
    ) -> int:
        f = QuoteFilter.of(text, speaker, outlet, date_from, date_to, type)
        if f.text and not (f.speaker or f.outlet or f.date_from or f.date_to or f.type):
            # the FTS index alone knows how many rows match: no row lookups
            return self._conn.execute(
                "SELECT COUNT(*) FROM quotes_fts WHERE quotes_fts MATCH ?", (f.text,)
            ).fetchone()[0]
        frm, conds, params, _ = self._quote_where(f)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        return self._conn.execute(f"SELECT COUNT(*) FROM {frm}{where}", params).fetchone()[0]

    @staticmethod
    def _pages(fetch: Any, after: int | None, limit: int | None) -> Iterator[dict[str, Any]]:
        if limit is not None and limit < 0:
            raise ValueError(f"limit {limit} is negative")

        def rows() -> Iterator[dict[str, Any]]:
            last, left = after, limit
            while left is None or left > 0:
                n = PAGE if left is None else min(PAGE, left)
                page = fetch(last, n)
                for row in page:
                    yield dict(row)
                if len(page) < n:
                    return
                last = page[-1]["id"]
                if left is not None:
                    left -= len(page)

        return rows()

    # -- reading: speakers, articles, entities, groups ----------------------------

    def speakers(self, top: int | None = None) -> list[dict[str, Any]]:
        """Speakers by statements, counting a statement once per near-duplicate group.

        ``statements`` is, per group of syndicated copies, the most statements any one copy
        attributes to the speaker; ``reports`` is every stored statement (each copy's own).
        """
        if top is not None and top < 0:
            raise ValueError(f"top {top} is negative")
        c = self._conn
        ranking = c.execute(
            """WITH per_article AS (
                   SELECT speaker_id, article_id, COUNT(*) AS n FROM quotes
                   WHERE speaker_id IS NOT NULL GROUP BY speaker_id, article_id),
               per_group AS (
                   SELECT p.speaker_id, a.dup_group, MAX(p.n) AS n, SUM(p.n) AS reports, COUNT(*) AS articles
                   FROM per_article p JOIN articles a ON a.id = p.article_id
                   GROUP BY p.speaker_id, a.dup_group)
               SELECT s.id, s.name, e.name AS entity, e.type AS entity_type, SUM(g.n) AS statements,
                      SUM(g.reports) AS reports, SUM(g.articles) AS articles
               FROM per_group g JOIN speakers s ON s.id = g.speaker_id
               LEFT JOIN entities e ON e.id = s.entity_id
               GROUP BY s.id ORDER BY statements DESC, reports DESC, s.key
               """
            + (" LIMIT ?" if top is not None else ""),
            (top,) if top is not None else (),
        ).fetchall()
        out = {
            r["id"]: dict(r) | {"titles": [], "outlets": [], "first_seen": None, "last_seen": None}
            for r in ranking
        }
        if not out:
            return []
        ids = list(out)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            for r in c.execute(
                f"SELECT speaker_id, MIN(day), MAX(day) FROM quotes WHERE speaker_id IN ({marks}) GROUP BY speaker_id",
                chunk,
            ):
                out[r[0]]["first_seen"], out[r[0]]["last_seen"] = r[1], r[2]
            titles: dict[tuple[int, str], dict[str, Any]] = {}
            for r in c.execute(
                f"""SELECT speaker_id, speaker_title, MIN(day), MAX(day), COUNT(*) FROM quotes
                    WHERE speaker_id IN ({marks}) AND speaker_title IS NOT NULL
                    GROUP BY speaker_id, speaker_title ORDER BY COUNT(*) DESC, speaker_title""",
                chunk,
            ):
                # السعودي and السعودى are one title, shown in its most frequent spelling
                t = titles.setdefault(
                    (r[0], key(r[1])), {"title": r[1], "first_seen": r[2], "last_seen": r[3], "reports": 0}
                )
                t["first_seen"] = min(filter(None, (t["first_seen"], r[2])), default=None)
                t["last_seen"] = max(filter(None, (t["last_seen"], r[3])), default=None)
                t["reports"] += r[4]
            for (speaker_id, _), t in sorted(
                titles.items(), key=lambda kv: (kv[1]["first_seen"] or "", kv[1]["title"])
            ):
                out[speaker_id]["titles"].append(t)
            for r in c.execute(
                f"""SELECT q.speaker_id, src.name FROM quotes q JOIN articles a ON a.id = q.article_id
                    JOIN sources src ON src.id = a.source_id WHERE q.speaker_id IN ({marks})
                    GROUP BY q.speaker_id, src.id ORDER BY q.speaker_id, src.name""",
                chunk,
            ):
                out[r[0]]["outlets"].append(r[1])
        return [out[i] for i in ids]

    def _article_where(self, f: ArticleFilter) -> tuple[str, list[str], list[Any], str]:
        conds: list[str] = []
        params: list[Any] = []
        if f.text:
            frm, id_col = "articles_fts f JOIN articles a ON a.id = f.rowid", "f.rowid"
            conds.append("articles_fts MATCH ?")
            params.append(f.text)
        else:
            frm, id_col = "articles a", "a.id"
        if f.outlet:
            conds.append("a.source_id IN (SELECT id FROM sources WHERE key LIKE ? ESCAPE '\\')")
            params.append(_like(f.outlet))
        if f.date_from:
            conds.append("a.day >= ?")
            params.append(f.date_from)
        if f.date_to:
            conds.append("a.day <= ?")
            params.append(f.date_to)
        return frm, conds, params, id_col

    def articles(
        self,
        after: int | None = None,
        limit: int | None = None,
        text: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles by id (text included); filters as in ``count_articles``."""
        f = ArticleFilter.of(text, outlet, date_from, date_to)

        def page(last: int | None, n: int) -> list[sqlite3.Row]:
            frm, conds, params, id_col = self._article_where(f)
            if last is not None:
                conds.append(f"{id_col} > ?")
                params.append(last)
            where = " WHERE " + " AND ".join(conds) if conds else ""
            return self._conn.execute(
                f"""SELECT {_ARTICLE_COLUMNS} FROM {frm} LEFT JOIN sources src ON src.id = a.source_id
                    {where} ORDER BY {id_col} LIMIT ?""",
                [*params, n],
            ).fetchall()

        return self._pages(page, after, limit)

    def count_articles(
        self,
        text: str | None = None,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> int:
        f = ArticleFilter.of(text, outlet, date_from, date_to)
        frm, conds, params, _ = self._article_where(f)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        return self._conn.execute(f"SELECT COUNT(*) FROM {frm}{where}", params).fetchone()[0]

    def entities(
        self, after: int | None = None, limit: int | None = None, type: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Entities across documents by id: name, type, aliases, articles, mentions."""

        def page(last: int | None, n: int) -> list[sqlite3.Row]:
            conds, params = ["e.id > ?"], [last if last is not None else 0]
            if type:
                conds.append("e.type = ?")
                params.append(type)
            return self._conn.execute(
                f"""SELECT e.id, e.name, e.type,
                      (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases
                         WHERE entity_id = e.id ORDER BY alias)) AS aliases,
                      (SELECT COUNT(*) FROM article_entities ae WHERE ae.entity_id = e.id) AS articles,
                      (SELECT COUNT(*) FROM article_entities ae JOIN mentions m
                         ON m.article_id = ae.article_id AND m.local_id = ae.local_id
                         WHERE ae.entity_id = e.id) AS mentions
                    FROM entities e WHERE {" AND ".join(conds)} ORDER BY e.id LIMIT ?""",
                [*params, n],
            ).fetchall()

        for row in self._pages(page, after, limit):
            yield row | {"aliases": json.loads(row["aliases"])}

    def count_entities(self, type: str | None = None) -> int:
        if type:
            return self._conn.execute("SELECT COUNT(*) FROM entities WHERE type = ?", (type,)).fetchone()[0]
        return self._conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]

    def dup_groups(self, min_size: int = 2) -> Iterator[dict[str, Any]]:
        """Groups of syndicated copies with at least ``min_size`` members (articles and verbatim copies)."""
        c = self._conn
        last = 0
        while True:
            groups = c.execute(
                """SELECT g.id, g.first_seen,
                     (SELECT COUNT(*) FROM articles a WHERE a.dup_group = g.id)
                     + (SELECT COUNT(*) FROM copies k JOIN articles a ON a.id = k.article_id
                        WHERE a.dup_group = g.id) AS size
                   FROM dup_groups g WHERE g.id > ? AND size >= ? ORDER BY g.id LIMIT ?""",
                (last, min_size, PAGE),
            ).fetchall()
            for g in groups:
                members = [
                    dict(r)
                    for r in c.execute(
                        """SELECT a.id AS article_id, src.name AS outlet, a.url, a.title, a.published,
                                  a.first_seen, a.similarity, 0 AS verbatim_copy
                           FROM articles a LEFT JOIN sources src ON src.id = a.source_id WHERE a.dup_group = ?
                           UNION ALL
                           SELECT k.article_id, src.name, k.url, a.title, k.published, k.first_seen, 1.0, 1
                           FROM copies k JOIN articles a ON a.id = k.article_id
                           LEFT JOIN sources src ON src.id = k.source_id WHERE a.dup_group = ?
                           ORDER BY first_seen, article_id""",
                        (g["id"], g["id"]),
                    )
                ]
                for m in members:
                    m["verbatim_copy"] = bool(m["verbatim_copy"])
                published = [m["published"] for m in members if m["published"]]
                yield {
                    "id": g["id"],
                    "size": len(members),
                    "first_seen": g["first_seen"],
                    "first_published": min(published) if published else None,
                    "outlets": sorted({m["outlet"] for m in members if m["outlet"]}),
                    "members": members,
                }
            if len(groups) < PAGE:
                return
            last = groups[-1]["id"]

    def get_article(self, article_id: int) -> dict[str, Any] | None:
        """An article with every layer's offsets, for highlighting; None when there is none."""
        c = self._conn
        row = c.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources src ON src.id = a.source_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        art = dict(row)
        art["quotes"] = [
            dict(r)
            for r in c.execute(
                f"""SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id
                    LEFT JOIN sources src ON src.id = a.source_id LEFT JOIN entities e ON e.id = q.speaker_entity_id
                    WHERE q.article_id = ? ORDER BY q.seq""",
                (article_id,),
            )
        ]
        mentions: dict[str, list[dict[str, Any]]] = {}
        for m in c.execute(
            "SELECT local_id, start, end, text FROM mentions WHERE article_id = ? ORDER BY id", (article_id,)
        ):
            mentions.setdefault(m["local_id"], []).append(
                {"start": m["start"], "end": m["end"], "text": m["text"]}
            )
        art["entities"] = [
            {
                "id": r["local_id"],
                "entity_id": r["entity_id"],
                "name": r["name"],
                "type": r["type"],
                "titles": json.loads(r["titles"]),
                "mentions": mentions.get(r["local_id"], []),
            }
            for r in c.execute(
                """SELECT ae.local_id, ae.entity_id, ae.name, e.type, ae.titles FROM article_entities ae
                   JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ?
                   ORDER BY length(ae.local_id), ae.local_id""",
                (article_id,),
            )
        ]
        art["dates"] = [
            dict(r)
            for r in c.execute(
                "SELECT start, end, text, value FROM dates WHERE article_id = ? ORDER BY seq", (article_id,)
            )
        ]
        art["links"] = [
            dict(r)
            for r in c.execute(
                "SELECT start, end, url, kind, video_id FROM links WHERE article_id = ? ORDER BY seq",
                (article_id,),
            )
        ]
        art["copies"] = [
            dict(r)
            for r in c.execute(
                """SELECT k.url, src.name AS outlet, k.published, k.first_seen FROM copies k
                   LEFT JOIN sources src ON src.id = k.source_id WHERE k.article_id = ? ORDER BY k.id""",
                (article_id,),
            )
        ]
        return art

    def stats(self) -> dict[str, Any]:
        """Rows per table, ingest outcomes, failure reasons, near-duplicate groups."""
        c = self._conn
        with self.snapshot():
            tables = {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
            outcomes = dict(
                c.execute(
                    "SELECT outcome, COUNT(*) FROM ingest_log GROUP BY outcome ORDER BY outcome"
                ).fetchall()
            )
            reasons = [
                {"reason": r[0], "inputs": r[1]}
                for r in c.execute(
                    """SELECT reason, COUNT(*) FROM ingest_log WHERE outcome = 'failed'
                       GROUP BY reason ORDER BY COUNT(*) DESC, reason"""
                )
            ]
            grouped = c.execute(
                "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM articles GROUP BY dup_group HAVING n > 1)"
            ).fetchone()
        return {
            "database": str(self.path),
            "tables": tables,
            "ingest": {o: outcomes.get(o, 0) for o in OUTCOMES},
            "failures": reasons,
            "near_duplicate_groups": grouped[0],
            "articles_in_near_duplicate_groups": grouped[1],
        }
