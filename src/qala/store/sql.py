"""The SQL both backends share: writing an article, listings, speakers, groups, the server's reads.

``SQLStore`` holds every query that SQLite and PostgreSQL run alike, written once with ``?``
parameters (the PostgreSQL store turns them into ``%s``), the ``"end"`` column quoted (a
reserved word in PostgreSQL) and ``RETURNING id`` for new rows (SQLite >= 3.35). A backend
subclass supplies the connection, transactions, and the full-text part: which table and
condition match a search (FTS5 ``MATCH`` in SQLite, a ``tsvector @@ tsquery`` in PostgreSQL)
and how a statement's or article's folded text is indexed. Everything else, the deduplication
order, near-duplicate choice, speaker ranking and row shapes, is here, so both give the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from qala.ingest.record import ArticleRecord, content_hash
from qala.nlp.doc import Doc
from qala.store import neardup
from qala.store.canonical import canonical_url
from qala.store.daterange import day_of, day_range
from qala.store.errors import StoreError
from qala.store.filters import ArticleFilter, QuoteFilter
from qala.store.fulltext import key

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

QUOTE_COLUMNS = """
    q.id, q.article_id, q.seq, q.type, q.speaker_name, e.name AS speaker_entity, q.speaker_title,
    q.resolution, q.mention_start, q.mention_end, q.cue, q.cue_start, q.cue_end,
    q.content, q.content_start, q.content_end, q.date, q.day, q.confidence,
    a.url, a.title, src.name AS outlet, a.published, a.dup_group"""

# The statement columns the server shows for a speaker: the above plus the speaker's id.
SPEAKER_QUOTE_COLUMNS = """
    q.id, q.article_id, q.seq, q.type, q.speaker_id, q.speaker_name, e.name AS speaker_entity,
    q.speaker_title, q.resolution, q.mention_start, q.mention_end, q.cue, q.cue_start, q.cue_end,
    q.content, q.content_start, q.content_end, q.date, q.day, q.confidence,
    a.url, a.title, src.name AS outlet, a.published, a.dup_group"""

ARTICLE_COLUMNS = """
    a.id, a.ext_id, a.url, a.canonical_url, a.title, src.name AS outlet, a.published, a.day,
    a.language, a.content_hash, a.raw_hash, a.input, a.dup_group, a.similarity, a.first_seen,
    a.n_quotes, a.n_mentions, a.text"""

_QUOTE_JOINS = """
    JOIN articles a ON a.id = q.article_id
    LEFT JOIN sources src ON src.id = a.source_id
    LEFT JOIN entities e ON e.id = q.speaker_entity_id"""

_GROUP_SIZE = """(SELECT COUNT(*) FROM articles a WHERE a.dup_group = g.id)
    + (SELECT COUNT(*) FROM copies k JOIN articles a ON a.id = k.article_id WHERE a.dup_group = g.id)"""

_GROUP_MEMBERS = """SELECT a.id AS article_id, src.name AS outlet, a.url, a.title, a.published,
                           a.first_seen, a.similarity, 0 AS verbatim_copy
                    FROM articles a LEFT JOIN sources src ON src.id = a.source_id WHERE a.dup_group = ?
                    UNION ALL
                    SELECT k.article_id, src.name, k.url, a.title, k.published, k.first_seen, 1.0, 1
                    FROM copies k JOIN articles a ON a.id = k.article_id
                    LEFT JOIN sources src ON src.id = k.source_id WHERE a.dup_group = ?"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def like(k: str) -> str:
    """A LIKE pattern matching ``k`` anywhere, with LIKE's own wildcards escaped."""
    return "%" + k.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def reason(e: BaseException) -> str:
    return str(e) or type(e).__name__


def _errors_json(doc: Doc) -> str | None:
    """``Doc.analysis_errors`` as the ``analysis_errors`` column holds it: JSON, NULL when none."""
    if not doc.analysis_errors:
        return None
    return json.dumps([{"component": c, "error": e} for c, e in doc.analysis_errors], ensure_ascii=False)


class SQLStore:
    """The backend-neutral part of a store; subclasses implement the hooks marked below."""

    #: shown in messages and ``stats()``: a file path, or a URL without its password
    name: str
    #: the driver's error class, turned into ``StoreError`` on writes
    db_error: type[Exception] | tuple[type[Exception], ...] = Exception
    #: an entity's aliases as a JSON array text, alphabetical; ``e`` is the entity row
    ALIASES_SQL = ""

    # -- hooks -------------------------------------------------------------------------

    def _x(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Run one statement; the cursor yields rows indexable by position and by column name."""
        raise NotImplementedError

    def _xmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def _write_transaction(self, name: str, work: Callable[[], tuple[str, int]]) -> tuple[str, int]:
        """Run ``work`` in one write transaction; ``StoreError`` naming ``name`` on failure."""
        raise NotImplementedError

    def _lock_article(self, chash: str, canon: str | None, bands: list[tuple[int, int]]) -> None:
        """Inside the write transaction, before the duplicate checks: keep concurrent writers apart."""

    def _text_source(self, table: str, fts: str) -> tuple[str, list[str], list[Any], str]:
        """FROM, conditions, parameters and id column matching FTS5 query ``fts`` in ``table`` (quotes, articles)."""
        raise NotImplementedError

    def _count_text(self, table: str, fts: str) -> int:
        raise NotImplementedError

    def _index_quote(self, quote_id: int, content: str) -> None:
        raise NotImplementedError

    def _index_article(self, article_id: int, title: str, text: str) -> None:
        raise NotImplementedError

    def _unindex_quotes(self, article_id: int) -> None:
        """Remove the article's statements from the full-text index (before they are deleted)."""
        raise NotImplementedError

    def snapshot(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    # -- small helpers ------------------------------------------------------------------

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self._x(sql, params).fetchone()

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return self._x(sql, params).fetchall()

    def _insert_id(self, sql: str, params: Iterable[Any]) -> int:
        return self._one(sql + " RETURNING id", params)[0]

    def _get_or_insert(
        self, select: str, insert: str, params: tuple[Any, ...], values: tuple[Any, ...]
    ) -> Any:
        """The row ``select`` finds, else the id of a new row; a row a concurrent writer adds wins."""
        row = self._one(select, params)
        if row is not None:
            return row
        new = self._one(insert + " ON CONFLICT DO NOTHING RETURNING id", values)
        if new is not None:
            return new
        return self._one(select, params)  # another process inserted it first

    # -- writing ----------------------------------------------------------------------

    def input_done(self, key: str) -> bool:
        row = self._one("SELECT outcome FROM ingest_log WHERE key = ?", (key,))
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
        stamp = now()
        # An input two processes stored at once stays "new": the other one found its article.
        self._write(
            """INSERT INTO ingest_log (key, source, outcome, reason, article_id, first_at, last_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET source = excluded.source,
                 outcome = CASE WHEN ingest_log.outcome = 'new' AND excluded.outcome = 'duplicate'
                                 AND ingest_log.article_id = excluded.article_id
                            THEN 'new' ELSE excluded.outcome END,
                 reason = excluded.reason, article_id = excluded.article_id, last_at = excluded.last_at,
                 attempts = ingest_log.attempts + 1""",
            (key, source, outcome, reason, article_id, stamp, stamp),
        )

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        try:
            self._x(sql, params)
        except self.db_error as e:
            raise StoreError(f"{self.name}: write failed: {reason(e)}") from None

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
        bands = neardup.band_keys(sig)

        def work() -> tuple[str, int]:
            self._lock_article(chash, canon, bands)
            return self._insert_article(rec, doc, canon, chash, sig, bands)

        return self._write_transaction(name, work)

    def add_articles(self, items: Iterable[tuple[ArticleRecord, Doc]]) -> Iterator[tuple[str, int]]:
        """``add_article`` for each (record, Doc), in order, each in its own transaction: the bulk
        entry point for loaders (``qala load``), with the same deduplication as an ingest."""
        for rec, doc in items:
            yield self.add_article(rec, doc)

    def _insert_article(
        self,
        rec: ArticleRecord,
        doc: Doc,
        canon: str | None,
        chash: str,
        sig: Any,
        bands: list[tuple[int, int]],
    ) -> tuple[str, int]:
        stamp = now()
        if canon is None:
            row = self._one("SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", (chash,))
        else:
            row = self._one(
                "SELECT id FROM articles WHERE content_hash = ? OR canonical_url = ? ORDER BY id LIMIT 1",
                (chash, canon),
            )
            if row is None:
                row = self._one("SELECT article_id FROM copies WHERE canonical_url = ?", (canon,))
        if row is not None:
            known = canon is not None and self._one(
                "SELECT 1 FROM articles WHERE canonical_url = ? UNION ALL SELECT 1 FROM copies WHERE canonical_url = ?",
                (canon, canon),
            )
            if canon is not None and known is None:  # the same text at a new URL: a verbatim copy
                self._x(
                    """INSERT INTO copies (article_id, url, canonical_url, source_id, published, input, first_seen)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (
                        row[0],
                        rec.url,
                        canon,
                        self._source_id(rec.outlet),
                        rec.published,
                        rec.source or None,
                        stamp,
                    ),
                )
            return "duplicate", row[0]

        source_id = self._source_id(rec.outlet)
        group, sim = self._near_duplicate_group(sig, bands)
        new_group = group is None
        if group is None:  # first_article is set once the article has its id
            group = self._insert_id(
                "INSERT INTO dup_groups (first_article, first_seen) VALUES (0, ?)", (stamp,)
            )
        article_id = self._insert_id(
            """INSERT INTO articles (ext_id, url, canonical_url, title, source_id, published, day, language,
                 text, content_hash, raw_hash, input, minhash, dup_group, similarity, first_seen, n_quotes,
                 n_mentions, analysis_errors)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                stamp,
                len(doc.quotes),
                sum(len(e.mentions) for e in doc.entities),
                _errors_json(doc),
            ),
        )
        if new_group:
            self._x("UPDATE dup_groups SET first_article = ? WHERE id = ?", (article_id, group))
        self._xmany(
            "INSERT INTO minhash_bands (band, key, article_id) VALUES (?, ?, ?)",
            [(band, k, article_id) for band, k in bands],
        )
        self._index_article(article_id, rec.title or "", rec.text)
        self._insert_layers(article_id, doc, day_of(rec.published))
        return "new", article_id

    def _insert_layers(self, article_id: int, doc: Doc, published_day: str | None) -> None:
        """The rows of an article's analysis: entities and mentions, statements, dates, links."""
        entity_ids = self._insert_entities(article_id, doc)
        self._insert_quotes(article_id, doc, entity_ids, published_day)
        self._xmany(
            'INSERT INTO dates (article_id, seq, start, "end", text, value) VALUES (?, ?, ?, ?, ?, ?)',
            [(article_id, i, d.start, d.end, d.text, d.value) for i, d in enumerate(doc.dates)],
        )
        self._xmany(
            'INSERT INTO links (article_id, seq, start, "end", url, kind, video_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [(article_id, i, x.start, x.end, x.url, x.kind, x.video_id) for i, x in enumerate(doc.links)],
        )

    # -- analysis errors and reanalysis ---------------------------------------------------

    def failed_articles(self, after: int | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Articles some analysis component failed on, by id: what ``analyze`` needs, and the errors."""

        def page(last: int | None, n: int) -> list[Any]:
            return self._all(
                """SELECT a.id, a.ext_id, a.text, a.title, a.url, src.name AS outlet, a.published,
                          a.analysis_errors
                   FROM articles a LEFT JOIN sources src ON src.id = a.source_id
                   WHERE a.analysis_errors IS NOT NULL AND a.id > ? ORDER BY a.id LIMIT ?""",
                (last or 0, n),
            )

        for row in self._pages(page, after, limit):
            yield row | {"analysis_errors": json.loads(row["analysis_errors"])}

    def replace_analysis(self, article_id: int, doc: Doc) -> None:
        """Replace a stored article's analysis with ``doc`` (its text unchanged), in one transaction:
        what ``qala reanalyze`` does after an upgrade. ``StoreError`` names the article."""
        name = f"article {article_id}"

        def work() -> tuple[str, int]:
            row = self._one("SELECT text, published FROM articles WHERE id = ?", (article_id,))
            if row is None:
                raise ValueError("no such article")
            if row["text"] != doc.text:
                raise ValueError("the analyzed text is not the article's text")
            self._unindex_quotes(article_id)
            for table in ("quotes", "mentions", "article_entities", "dates", "links"):
                self._x(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            self._insert_layers(article_id, doc, day_of(row["published"]))
            self._x(
                "UPDATE articles SET n_quotes = ?, n_mentions = ?, analysis_errors = ? WHERE id = ?",
                (len(doc.quotes), sum(len(e.mentions) for e in doc.entities), _errors_json(doc), article_id),
            )
            return "reanalyzed", article_id

        self._write_transaction(name, work)

    def analysis_error_counts(self) -> dict[str, Any]:
        """How many articles have analysis errors, and how many per failing component."""
        by_component: dict[str, int] = {}
        articles = 0
        for row in self._x("SELECT analysis_errors FROM articles WHERE analysis_errors IS NOT NULL"):
            articles += 1
            for component in {e["component"] for e in json.loads(row[0])}:
                by_component[component] = by_component.get(component, 0) + 1
        return {"articles": articles, "by_component": dict(sorted(by_component.items()))}

    def _source_id(self, outlet: str | None) -> int | None:
        if not outlet or not outlet.strip():
            return None
        k = key(outlet)
        return self._get_or_insert(
            "SELECT id FROM sources WHERE key = ?",
            "INSERT INTO sources (name, key) VALUES (?, ?)",
            (k,),
            (outlet.strip(), k),
        )[0]

    def _near_duplicate_group(
        self, sig: Any, bands: list[tuple[int, int]]
    ) -> tuple[int | None, float | None]:
        """The group of the most similar stored article at or above the threshold, if any."""
        either = " OR ".join(["(band = ? AND key = ?)"] * len(bands))
        candidates = {
            r[0]
            for r in self._all(
                f"SELECT DISTINCT article_id FROM minhash_bands WHERE {either}",
                [v for bk in bands for v in bk],
            )
        }
        best: tuple[float, int, int] | None = None  # (similarity, -id, group): most similar, then oldest
        for article_id in candidates:
            blob, group = self._one("SELECT minhash, dup_group FROM articles WHERE id = ?", (article_id,))
            sim = neardup.similarity(sig, neardup.from_bytes(blob))
            if sim >= neardup.THRESHOLD and (best is None or (sim, -article_id) > best[:2]):
                best = (sim, -article_id, group)
        return (best[2], round(best[0], 3)) if best else (None, None)

    def _insert_entities(self, article_id: int, doc: Doc) -> dict[str, int]:
        """Global entities by (folded name, type); returns the document's local id -> global id."""
        ids: dict[str, int] = {}
        alias_rows: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        mentions: list[tuple[Any, ...]] = []
        for ent in doc.entities:
            k = key(ent.name)
            eid = self._get_or_insert(
                "SELECT id FROM entities WHERE key = ? AND type = ?",
                "INSERT INTO entities (name, key, type) VALUES (?, ?, ?)",
                (k, ent.type),
                (ent.name, k, ent.type),
            )[0]
            ids[ent.id] = eid
            aliases = {k: ent.name} | {key(m.text): m.text for m in ent.mentions if key(m.text)}
            alias_rows += [(ak, eid, alias) for ak, alias in aliases.items()]
            links.append(
                (article_id, ent.id, eid, ent.name, json.dumps(list(ent.titles), ensure_ascii=False))
            )
            mentions.extend((article_id, ent.id, m.start, m.end, m.text) for m in ent.mentions)
        # one batch per table: a round trip each in PostgreSQL
        self._xmany(
            "INSERT INTO entity_aliases (key, entity_id, alias) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            alias_rows,
        )
        self._xmany(
            "INSERT INTO article_entities (article_id, local_id, entity_id, name, titles) VALUES (?, ?, ?, ?, ?)",
            links,
        )
        self._xmany(
            'INSERT INTO mentions (article_id, local_id, start, "end", text) VALUES (?, ?, ?, ?, ?)', mentions
        )
        return ids

    def _speaker_id(self, name: str, entity_id: int | None) -> int | None:
        k = key(name)
        if not k:
            return None
        row = self._get_or_insert(
            "SELECT id, entity_id FROM speakers WHERE key = ?",
            "INSERT INTO speakers (name, key, entity_id) VALUES (?, ?, ?)",
            (k,),
            (name, k, entity_id),
        )
        if len(row) > 1 and row[1] is None and entity_id is not None:
            self._x(
                "UPDATE speakers SET entity_id = ? WHERE id = ? AND entity_id IS NULL", (entity_id, row[0])
            )
        return row[0]

    def _insert_quotes(
        self, article_id: int, doc: Doc, entity_ids: dict[str, int], published: str | None
    ) -> None:
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
            quote_id = self._insert_id(
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
            self._index_quote(quote_id, q.content.text)

    # -- reading: statements -----------------------------------------------------------

    def _quote_where(self, f: QuoteFilter) -> tuple[str, list[str], list[Any], str]:
        """FROM clause, WHERE conditions and parameters of a statement query; ``id`` is the key column."""
        if f.text:
            frm, conds, params, id_col = self._text_source("quotes", f.text)
            frm += " JOIN quotes q ON q.id = " + id_col
        else:
            frm, conds, params, id_col = "quotes q", [], [], "q.id"
        if f.speaker:
            conds.append(
                """q.speaker_id IN (SELECT id FROM speakers WHERE key LIKE ? ESCAPE '\\'
                     UNION SELECT s.id FROM speakers s JOIN entity_aliases al ON al.entity_id = s.entity_id
                     WHERE al.key = ?)"""
            )
            params += [like(f.speaker), f.speaker]
        if f.outlet:
            conds.append(
                "q.article_id IN (SELECT a2.id FROM articles a2 JOIN sources s2 ON s2.id = a2.source_id "
                "WHERE s2.key LIKE ? ESCAPE '\\')"
            )
            params.append(like(f.outlet))
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

    def _quote_page(self, f: QuoteFilter, after: int | None, limit: int) -> list[Any]:
        frm, conds, params, id_col = self._quote_where(f)
        if after is not None:
            conds.append(f"{id_col} > ?")
            params.append(after)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        # The filtering select reads ids only, so it stays inside the narrow quotes_filter
        # index; only the rows of the page are read in full.
        sql = f"""SELECT {QUOTE_COLUMNS}
                  FROM (SELECT q.id FROM {frm}{where} ORDER BY {id_col} LIMIT ?) page
                  JOIN quotes q ON q.id = page.id {_QUOTE_JOINS}
                  ORDER BY q.id"""
        return self._all(sql, [*params, limit])

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
            return self._count_text("quotes", f.text)  # the index alone knows: no row lookups
        frm, conds, params, _ = self._quote_where(f)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        return self._one(f"SELECT COUNT(*) FROM {frm}{where}", params)[0]

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

    # -- reading: speakers, articles, entities, groups -----------------------------------

    def speakers(self, top: int | None = None) -> list[dict[str, Any]]:
        """Speakers by statements, counting a statement once per near-duplicate group.

        ``statements`` is, per group of syndicated copies, the most statements any one copy
        attributes to the speaker; ``reports`` is every stored statement (each copy's own).
        """
        if top is not None and top < 0:
            raise ValueError(f"top {top} is negative")
        ranking = self._all(
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
               GROUP BY s.id, e.id ORDER BY statements DESC, reports DESC, s.key
               """
            + (" LIMIT ?" if top is not None else ""),
            (top,) if top is not None else (),
        )
        out = {
            r["id"]: dict(r) | {"titles": [], "outlets": [], "first_seen": None, "last_seen": None}
            for r in ranking
        }
        if not out:
            return []
        ids = list(out)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            for r in self._x(
                f"SELECT speaker_id, MIN(day), MAX(day) FROM quotes WHERE speaker_id IN ({marks}) GROUP BY speaker_id",
                chunk,
            ):
                out[r[0]]["first_seen"], out[r[0]]["last_seen"] = r[1], r[2]
            titles: dict[tuple[int, str], dict[str, Any]] = {}
            for r in self._x(
                f"""SELECT speaker_id, speaker_title, MIN(day), MAX(day), COUNT(*) FROM quotes
                    WHERE speaker_id IN ({marks}) AND speaker_title IS NOT NULL
                    GROUP BY speaker_id, speaker_title ORDER BY COUNT(*) DESC, speaker_title""",
                chunk,
            ):
                # السعودي and السعودى are one title, shown in its most frequent spelling
                t = titles.setdefault(
                    (r[0], key(r[1])), {"title": r[1], "first_seen": r[2], "last_seen": r[3], "reports": 0}
                )
                _merge_title(t, r[2], r[3], r[4])
            for (speaker_id, _), t in sorted(
                titles.items(), key=lambda kv: (kv[1]["first_seen"] or "", kv[1]["title"])
            ):
                out[speaker_id]["titles"].append(t)
            for r in self._x(
                f"""SELECT q.speaker_id, src.name FROM quotes q JOIN articles a ON a.id = q.article_id
                    JOIN sources src ON src.id = a.source_id WHERE q.speaker_id IN ({marks})
                    GROUP BY q.speaker_id, src.id ORDER BY q.speaker_id, src.name""",
                chunk,
            ):
                out[r[0]]["outlets"].append(r[1])
        return [out[i] for i in ids]

    def _article_where(self, f: ArticleFilter) -> tuple[str, list[str], list[Any], str]:
        if f.text:
            frm, conds, params, id_col = self._text_source("articles", f.text)
            frm += " JOIN articles a ON a.id = " + id_col
        else:
            frm, conds, params, id_col = "articles a", [], [], "a.id"
        if f.outlet:
            conds.append("a.source_id IN (SELECT id FROM sources WHERE key LIKE ? ESCAPE '\\')")
            params.append(like(f.outlet))
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

        def page(last: int | None, n: int) -> list[Any]:
            frm, conds, params, id_col = self._article_where(f)
            if last is not None:
                conds.append(f"{id_col} > ?")
                params.append(last)
            where = " WHERE " + " AND ".join(conds) if conds else ""
            return self._all(
                f"""SELECT {ARTICLE_COLUMNS} FROM {frm} LEFT JOIN sources src ON src.id = a.source_id
                    {where} ORDER BY {id_col} LIMIT ?""",
                [*params, n],
            )

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
        return self._one(f"SELECT COUNT(*) FROM {frm}{where}", params)[0]

    def entities(
        self, after: int | None = None, limit: int | None = None, type: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Entities across documents by id: name, type, aliases, articles, mentions."""

        def page(last: int | None, n: int) -> list[Any]:
            conds, params = ["e.id > ?"], [last if last is not None else 0]
            if type:
                conds.append("e.type = ?")
                params.append(type)
            return self._all(
                f"""SELECT e.id, e.name, e.type, {self.ALIASES_SQL} AS aliases,
                      (SELECT COUNT(*) FROM article_entities ae WHERE ae.entity_id = e.id) AS articles,
                      (SELECT COUNT(*) FROM article_entities ae JOIN mentions m
                         ON m.article_id = ae.article_id AND m.local_id = ae.local_id
                         WHERE ae.entity_id = e.id) AS mentions
                    FROM entities e WHERE {" AND ".join(conds)} ORDER BY e.id LIMIT ?""",
                [*params, n],
            )

        for row in self._pages(page, after, limit):
            yield row | {"aliases": json.loads(row["aliases"])}

    def count_entities(self, type: str | None = None) -> int:
        if type:
            return self._one("SELECT COUNT(*) FROM entities WHERE type = ?", (type,))[0]
        return self._one("SELECT COUNT(*) FROM entities")[0]

    def _group_rows(self, min_size: int, after: int | None, limit: int, title: bool = False) -> list[Any]:
        extra = ", (SELECT a.title FROM articles a WHERE a.id = g.first_article) AS title" if title else ""
        return self._all(
            f"""SELECT * FROM (SELECT g.id, g.first_seen, {_GROUP_SIZE} AS size{extra}
                               FROM dup_groups g WHERE g.id > ?) sized
                WHERE size >= ? ORDER BY id LIMIT ?""",
            (after or 0, min_size, limit),
        )

    def dup_groups(self, min_size: int = 2) -> Iterator[dict[str, Any]]:
        """Groups of syndicated copies with at least ``min_size`` members (articles and verbatim copies)."""
        last = 0
        while True:
            groups = self._group_rows(min_size, last, PAGE)
            for g in groups:
                members = self._group_members(g["id"], "first_seen, article_id")
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

    def _group_members(self, group_id: int, order: str) -> list[dict[str, Any]]:
        members = [dict(r) for r in self._x(f"{_GROUP_MEMBERS} ORDER BY {order}", (group_id, group_id))]
        for m in members:
            m["verbatim_copy"] = bool(m["verbatim_copy"])
        return members

    def get_article(self, article_id: int) -> dict[str, Any] | None:
        """An article with every layer's offsets, for highlighting; None when there is none."""
        row = self._one(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources src ON src.id = a.source_id WHERE a.id = ?",
            (article_id,),
        )
        if row is None:
            return None
        art = dict(row)
        errors = self._one("SELECT analysis_errors FROM articles WHERE id = ?", (article_id,))[0]
        art["analysis_errors"] = json.loads(errors) if errors else []
        art["quotes"] = [
            dict(r)
            for r in self._x(
                f"SELECT {QUOTE_COLUMNS} FROM quotes q {_QUOTE_JOINS} WHERE q.article_id = ? ORDER BY q.seq",
                (article_id,),
            )
        ]
        mentions: dict[str, list[dict[str, Any]]] = {}
        for m in self._x(
            'SELECT local_id, start, "end", text FROM mentions WHERE article_id = ? ORDER BY id',
            (article_id,),
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
            for r in self._x(
                """SELECT ae.local_id, ae.entity_id, ae.name, e.type, ae.titles FROM article_entities ae
                   JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ?
                   ORDER BY length(ae.local_id), ae.local_id""",
                (article_id,),
            )
        ]
        art["dates"] = [
            dict(r)
            for r in self._x(
                'SELECT start, "end", text, value FROM dates WHERE article_id = ? ORDER BY seq', (article_id,)
            )
        ]
        art["links"] = [
            dict(r)
            for r in self._x(
                'SELECT start, "end", url, kind, video_id FROM links WHERE article_id = ? ORDER BY seq',
                (article_id,),
            )
        ]
        art["copies"] = [
            dict(r)
            for r in self._x(
                """SELECT k.url, src.name AS outlet, k.published, k.first_seen FROM copies k
                   LEFT JOIN sources src ON src.id = k.source_id WHERE k.article_id = ? ORDER BY k.id""",
                (article_id,),
            )
        ]
        return art

    def stats(self) -> dict[str, Any]:
        """Rows per table, ingest outcomes, failure reasons, near-duplicate groups."""
        with self.snapshot():
            tables = {t: self._one(f"SELECT COUNT(*) FROM {t}")[0] for t in TABLES}
            outcomes = {
                r[0]: r[1]
                for r in self._x("SELECT outcome, COUNT(*) FROM ingest_log GROUP BY outcome ORDER BY outcome")
            }
            reasons = [
                {"reason": r[0], "inputs": r[1]}
                for r in self._x(
                    """SELECT reason, COUNT(*) FROM ingest_log WHERE outcome = 'failed'
                       GROUP BY reason ORDER BY COUNT(*) DESC, reason"""
                )
            ]
            grouped = self._one(
                """SELECT COUNT(*), COALESCE(SUM(n), 0) FROM
                     (SELECT COUNT(*) AS n FROM articles GROUP BY dup_group HAVING COUNT(*) > 1) sizes"""
            )
            analysis = self.analysis_error_counts()
        return {
            "database": self.name,
            "tables": tables,
            "ingest": {o: outcomes.get(o, 0) for o in OUTCOMES},
            "failures": reasons,
            "near_duplicate_groups": grouped[0],
            "articles_in_near_duplicate_groups": grouped[1],
            "analysis_errors": analysis,
        }

    # -- reading: one speaker, one group (the server's pages) ------------------------------

    def speaker_ids(self, names: Iterable[str | None]) -> dict[str, int]:
        """Speaker name -> speaker id (speakers are keyed by the folded name)."""
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
                for r in self._x(f"SELECT id, key FROM speakers WHERE key IN ({marks})", chunk)
            )
        return {n: found[k] for n, k in keys.items() if k in found}

    def speaker(self, speaker_id: int) -> dict[str, Any] | None:
        """One speaker: name, entity, counts, first/last day, titles over time, outlets."""
        row = self._one(
            """SELECT s.id, s.name, e.name AS entity, e.type AS entity_type,
                      (SELECT COUNT(*) FROM quotes q WHERE q.speaker_id = s.id) AS reports,
                      (SELECT COUNT(DISTINCT article_id) FROM quotes q WHERE q.speaker_id = s.id) AS articles,
                      (SELECT MIN(day) FROM quotes q WHERE q.speaker_id = s.id) AS first_seen,
                      (SELECT MAX(day) FROM quotes q WHERE q.speaker_id = s.id) AS last_seen
               FROM speakers s LEFT JOIN entities e ON e.id = s.entity_id WHERE s.id = ?""",
            (speaker_id,),
        )
        if row is None:
            return None
        out = dict(row)
        titles: dict[str, dict[str, Any]] = {}
        for r in self._x(
            """SELECT speaker_title AS title, MIN(day) AS first_seen, MAX(day) AS last_seen, COUNT(*) AS reports
               FROM quotes WHERE speaker_id = ? AND speaker_title IS NOT NULL
               GROUP BY speaker_title ORDER BY COUNT(*) DESC, speaker_title""",
            (speaker_id,),
        ):
            # one title in its most frequent spelling, as the speaker listing does
            t = titles.setdefault(key(r["title"]), dict(r) | {"reports": 0})
            _merge_title(t, r["first_seen"], r["last_seen"], r["reports"])
        out["titles"] = sorted(titles.values(), key=lambda t: (t["first_seen"] or "", t["title"]))
        out["outlets"] = [
            dict(r)
            for r in self._x(
                """SELECT src.name AS outlet, COUNT(*) AS reports FROM quotes q
                   JOIN articles a ON a.id = q.article_id JOIN sources src ON src.id = a.source_id
                   WHERE q.speaker_id = ? GROUP BY src.id ORDER BY COUNT(*) DESC, src.name""",
                (speaker_id,),
            )
        ]
        return out

    def speaker_quotes(self, speaker_id: int, after: int | None, limit: int) -> list[dict[str, Any]]:
        """A page of the speaker's statements by id, with the speaker's id."""
        return [
            dict(r)
            for r in self._x(
                f"""SELECT {SPEAKER_QUOTE_COLUMNS} FROM quotes q {_QUOTE_JOINS}
                    WHERE q.speaker_id = ? AND q.id > ? ORDER BY q.id LIMIT ?""",
                (speaker_id, after or 0, limit),
            )
        ]

    def count_speaker_quotes(self, speaker_id: int) -> int:
        return self._one("SELECT COUNT(*) FROM quotes WHERE speaker_id = ?", (speaker_id,))[0]

    def speaker_days(self, speaker_id: int) -> list[str | None]:
        """The day of every statement by the speaker (a statement's own date, else its article's)."""
        return [
            r[0] for r in self._x("SELECT day FROM quotes WHERE speaker_id = ? ORDER BY id", (speaker_id,))
        ]

    def dup_group_page(self, min_size: int, after: int | None, limit: int) -> list[dict[str, Any]]:
        """Near-duplicate groups with at least ``min_size`` members, by id, with outlets and first publication."""
        out = []
        for r in self._group_rows(min_size, after, limit, title=True):
            members = self._group_members(r["id"], "published NULLS FIRST, first_seen, article_id")
            published = [m["published"] for m in members if m["published"]]
            out.append(
                dict(r)
                | {
                    "first_published": min(published) if published else None,
                    "outlets": sorted({m["outlet"] for m in members if m["outlet"]}),
                }
            )
        return out

    def count_dup_groups(self, min_size: int) -> int:
        return self._one(
            f"SELECT COUNT(*) FROM (SELECT {_GROUP_SIZE} AS size FROM dup_groups g) sized WHERE size >= ?",
            (min_size,),
        )[0]

    def dup_group(self, group_id: int) -> dict[str, Any] | None:
        """One near-duplicate group with its members (articles and verbatim copies), first publication first."""
        row = self._one(
            f"SELECT g.id, g.first_seen, g.first_article, {_GROUP_SIZE} AS size FROM dup_groups g WHERE g.id = ?",
            (group_id,),
        )
        if row is None:
            return None
        members = self._group_members(group_id, "published NULLS FIRST, first_seen, article_id")
        published = [m["published"] for m in members if m["published"]]
        return dict(row) | {
            "first_published": min(published) if published else None,
            "outlets": sorted({m["outlet"] for m in members if m["outlet"]}),
            "members": members,
        }


def _merge_title(t: dict[str, Any], first: str | None, last: str | None, reports: int) -> None:
    t["first_seen"] = min(filter(None, (t["first_seen"], first)), default=None)
    t["last_seen"] = max(filter(None, (t["last_seen"], last)), default=None)
    t["reports"] += reports
