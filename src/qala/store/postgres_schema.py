"""The PostgreSQL schema as numbered migrations; the ``schema_version`` table holds the version applied.

The same tables, columns and constraints as the SQLite schema (``qala.store.schema``), in
PostgreSQL types: BIGSERIAL ids, dates as ISO TEXT (compared and returned exactly as in
SQLite), DOUBLE PRECISION scores, BYTEA signatures. Every text column is ``COLLATE "C"``
(byte order, as SQLite's BINARY), so orderings, MIN/MAX and LIKE give SQLite's answers in any
database locale. Full text: ``quotes_fts``/``articles_fts`` hold a ``tsvector`` of the folded
shadow text tokenized exactly as FTS5 does (``qala.store.fulltext.tsvector``), GIN-indexed.

A migration runs in one transaction with its version bump under an advisory lock, so two
processes opening a new database at once migrate it once. Never edit a released migration:
append the next one.
"""

from __future__ import annotations

from typing import Any

# pg_advisory_xact_lock key of schema migrations (any fixed 64-bit number; "qala" in ASCII)
MIGRATION_LOCK = 0x71616C61

T = 'TEXT COLLATE "C"'

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first schema
    (
        f"""CREATE TABLE sources (
            id BIGSERIAL PRIMARY KEY,
            name {T} NOT NULL,
            key {T} NOT NULL UNIQUE
        )""",
        f"""CREATE TABLE dup_groups (
            id BIGSERIAL PRIMARY KEY,
            first_article BIGINT NOT NULL,
            first_seen {T} NOT NULL
        )""",
        f"""CREATE TABLE articles (
            id BIGSERIAL PRIMARY KEY,
            ext_id {T},
            url {T},
            canonical_url {T} UNIQUE,
            title {T},
            source_id BIGINT REFERENCES sources(id),
            published {T},
            day {T},
            language {T},
            text {T} NOT NULL,
            content_hash {T} NOT NULL UNIQUE,
            raw_hash {T},
            input {T},
            minhash BYTEA NOT NULL,
            dup_group BIGINT NOT NULL REFERENCES dup_groups(id),
            similarity DOUBLE PRECISION,
            first_seen {T} NOT NULL,
            n_quotes INTEGER NOT NULL,
            n_mentions INTEGER NOT NULL
        )""",
        "CREATE INDEX articles_dup_group ON articles(dup_group)",
        "CREATE INDEX articles_source ON articles(source_id)",
        "CREATE INDEX articles_day ON articles(day)",
        f"""CREATE TABLE copies (
            id BIGSERIAL PRIMARY KEY,
            article_id BIGINT NOT NULL REFERENCES articles(id),
            url {T},
            canonical_url {T} UNIQUE,
            source_id BIGINT REFERENCES sources(id),
            published {T},
            input {T},
            first_seen {T} NOT NULL
        )""",
        "CREATE INDEX copies_article ON copies(article_id)",
        """CREATE TABLE minhash_bands (
            band INTEGER NOT NULL,
            key BIGINT NOT NULL,
            article_id BIGINT NOT NULL REFERENCES articles(id),
            PRIMARY KEY (band, key, article_id)
        )""",
        f"""CREATE TABLE entities (
            id BIGSERIAL PRIMARY KEY,
            name {T} NOT NULL,
            key {T} NOT NULL,
            type {T} NOT NULL,
            UNIQUE (key, type)
        )""",
        f"""CREATE TABLE entity_aliases (
            key {T} NOT NULL,
            entity_id BIGINT NOT NULL REFERENCES entities(id),
            alias {T} NOT NULL,
            PRIMARY KEY (key, entity_id)
        )""",
        "CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id)",
        f"""CREATE TABLE article_entities (
            article_id BIGINT NOT NULL REFERENCES articles(id),
            local_id {T} NOT NULL,
            entity_id BIGINT NOT NULL REFERENCES entities(id),
            name {T} NOT NULL,
            titles {T} NOT NULL,
            PRIMARY KEY (article_id, local_id)
        )""",
        "CREATE INDEX article_entities_entity ON article_entities(entity_id)",
        f"""CREATE TABLE mentions (
            id BIGSERIAL PRIMARY KEY,
            article_id BIGINT NOT NULL REFERENCES articles(id),
            local_id {T} NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text {T} NOT NULL
        )""",
        "CREATE INDEX mentions_article ON mentions(article_id)",
        f"""CREATE TABLE speakers (
            id BIGSERIAL PRIMARY KEY,
            name {T} NOT NULL,
            key {T} NOT NULL UNIQUE,
            entity_id BIGINT REFERENCES entities(id)
        )""",
        "CREATE INDEX speakers_entity ON speakers(entity_id)",
        f"""CREATE TABLE quotes (
            id BIGSERIAL PRIMARY KEY,
            article_id BIGINT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            type {T} NOT NULL,
            speaker_id BIGINT REFERENCES speakers(id),
            speaker_name {T},
            speaker_entity_id BIGINT REFERENCES entities(id),
            speaker_title {T},
            resolution {T},
            mention_start INTEGER,
            mention_end INTEGER,
            cue {T} NOT NULL,
            cue_start INTEGER NOT NULL,
            cue_end INTEGER NOT NULL,
            content {T} NOT NULL,
            content_start INTEGER NOT NULL,
            content_end INTEGER NOT NULL,
            date {T},
            day {T},
            day_lo {T},
            day_hi {T},
            confidence DOUBLE PRECISION,
            UNIQUE (article_id, seq)
        )""",
        "CREATE INDEX quotes_speaker ON quotes(speaker_id, day_lo, day_hi, type, article_id)",
        "CREATE INDEX quotes_day ON quotes(day_lo, day_hi, speaker_id, type, article_id)",
        f"""CREATE TABLE dates (
            article_id BIGINT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text {T} NOT NULL,
            value {T},
            PRIMARY KEY (article_id, seq)
        )""",
        f"""CREATE TABLE links (
            article_id BIGINT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            url {T} NOT NULL,
            kind {T} NOT NULL,
            video_id {T},
            PRIMARY KEY (article_id, seq)
        )""",
        """CREATE TABLE quotes_fts (
            id BIGINT PRIMARY KEY REFERENCES quotes(id),
            fts TSVECTOR NOT NULL
        )""",
        "CREATE INDEX quotes_fts_gin ON quotes_fts USING GIN (fts)",
        """CREATE TABLE articles_fts (
            id BIGINT PRIMARY KEY REFERENCES articles(id),
            fts TSVECTOR NOT NULL
        )""",
        "CREATE INDEX articles_fts_gin ON articles_fts USING GIN (fts)",
        f"""CREATE TABLE ingest_log (
            key {T} PRIMARY KEY,
            source {T},
            outcome {T} NOT NULL CHECK (outcome IN ('new', 'duplicate', 'failed')),
            reason {T},
            article_id BIGINT REFERENCES articles(id),
            first_at {T} NOT NULL,
            last_at {T} NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1
        )""",
        "CREATE INDEX ingest_log_outcome ON ingest_log(outcome, reason)",
    ),
    # 2: what analysis components failed on an article (JSON [{"component", "error"}], NULL when none)
    (
        f"ALTER TABLE articles ADD COLUMN analysis_errors {T}",
        "CREATE INDEX articles_analysis_failed ON articles(id) WHERE analysis_errors IS NOT NULL",
    ),
)

VERSION = len(MIGRATIONS)


def version(conn: Any) -> int | None:
    """The schema version applied, or None when the database has no qala schema."""
    if conn.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
        return None
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return row[0] if row else 0


def migrate(conn: Any) -> int:
    """Bring the database up to ``VERSION``; returns the version it was at (0 for a new one). Idempotent.

    ``conn`` is a psycopg connection in autocommit mode. Raises ``RuntimeError`` for a
    database written by a newer qala (we never downgrade a schema).
    """
    found = version(conn)
    if found is not None and found > VERSION:
        raise RuntimeError(f"schema version {found} is newer than this qala's {VERSION}; upgrade qala")
    if found == VERSION:
        return found
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            conn.execute("INSERT INTO schema_version (version) VALUES (0)")
        current = row[0] if row else 0  # another process may have migrated while we waited
        if current > VERSION:
            raise RuntimeError(f"schema version {current} is newer than this qala's {VERSION}; upgrade qala")
        for number in range(current, VERSION):
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = %s", (number + 1,))
    return found or 0
