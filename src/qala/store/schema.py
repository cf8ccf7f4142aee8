"""The SQLite schema as numbered migrations; ``PRAGMA user_version`` is the version applied.

A migration is a tuple of statements applied in one ``BEGIN IMMEDIATE`` transaction
together with its version bump, so a database is always at exactly one version, and two
processes opening a new file at once migrate it once. Never edit a released migration:
append the next one.
"""

from __future__ import annotations

import sqlite3

# FTS5 indexes the folded shadow text (``qala.store.fulltext.shadow``); the tables are
# contentless (the original is in ``quotes``/``articles``), so the index costs no copy.
_FTS = "content='', tokenize='unicode61 remove_diacritics 2'"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first schema
    (
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE dup_groups (
            id INTEGER PRIMARY KEY,
            first_article INTEGER NOT NULL,
            first_seen TEXT NOT NULL
        )""",
        """CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            ext_id TEXT,
            url TEXT,
            canonical_url TEXT UNIQUE,
            title TEXT,
            source_id INTEGER REFERENCES sources(id),
            published TEXT,
            day TEXT,
            language TEXT,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            raw_hash TEXT,
            input TEXT,
            minhash BLOB NOT NULL,
            dup_group INTEGER NOT NULL REFERENCES dup_groups(id),
            similarity REAL,
            first_seen TEXT NOT NULL,
            n_quotes INTEGER NOT NULL,
            n_mentions INTEGER NOT NULL
        )""",
        "CREATE INDEX articles_dup_group ON articles(dup_group)",
        "CREATE INDEX articles_source ON articles(source_id)",
        "CREATE INDEX articles_day ON articles(day)",
        # An exact copy (same content hash) seen at another URL: not a second article,
        # but its outlet and time belong to the story's group.
        """CREATE TABLE copies (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            url TEXT,
            canonical_url TEXT UNIQUE,
            source_id INTEGER REFERENCES sources(id),
            published TEXT,
            input TEXT,
            first_seen TEXT NOT NULL
        )""",
        "CREATE INDEX copies_article ON copies(article_id)",
        """CREATE TABLE minhash_bands (
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            PRIMARY KEY (band, key, article_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            type TEXT NOT NULL,
            UNIQUE (key, type)
        )""",
        """CREATE TABLE entity_aliases (
            key TEXT NOT NULL,
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            alias TEXT NOT NULL,
            PRIMARY KEY (key, entity_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id)",
        """CREATE TABLE article_entities (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            local_id TEXT NOT NULL,
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            name TEXT NOT NULL,
            titles TEXT NOT NULL,
            PRIMARY KEY (article_id, local_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX article_entities_entity ON article_entities(entity_id)",
        """CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            local_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL
        )""",
        "CREATE INDEX mentions_article ON mentions(article_id)",
        """CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            entity_id INTEGER REFERENCES entities(id)
        )""",
        "CREATE INDEX speakers_entity ON speakers(entity_id)",
        """CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            speaker_id INTEGER REFERENCES speakers(id),
            speaker_name TEXT,
            speaker_entity_id INTEGER REFERENCES entities(id),
            speaker_title TEXT,
            resolution TEXT,
            mention_start INTEGER,
            mention_end INTEGER,
            cue TEXT NOT NULL,
            cue_start INTEGER NOT NULL,
            cue_end INTEGER NOT NULL,
            content TEXT NOT NULL,
            content_start INTEGER NOT NULL,
            content_end INTEGER NOT NULL,
            date TEXT,
            day TEXT,
            day_lo TEXT,
            day_hi TEXT,
            confidence REAL,
            UNIQUE (article_id, seq)
        )""",
        "CREATE INDEX quotes_speaker ON quotes(speaker_id, day_lo, day_hi, type, article_id)",
        # Everything a statement filter reads, so filtering FTS matches never touches the wide rows.
        "CREATE INDEX quotes_filter ON quotes(id, speaker_id, day_lo, day_hi, type, article_id)",
        "CREATE INDEX quotes_day ON quotes(day_lo, day_hi, speaker_id, type, article_id)",
        """CREATE TABLE dates (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT,
            PRIMARY KEY (article_id, seq)
        ) WITHOUT ROWID""",
        """CREATE TABLE links (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            video_id TEXT,
            PRIMARY KEY (article_id, seq)
        ) WITHOUT ROWID""",
        f"CREATE VIRTUAL TABLE quotes_fts USING fts5(content, {_FTS})",
        f"CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, {_FTS})",
        """CREATE TABLE ingest_log (
            key TEXT PRIMARY KEY,
            source TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('new', 'duplicate', 'failed')),
            reason TEXT,
            article_id INTEGER REFERENCES articles(id),
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1
        )""",
        "CREATE INDEX ingest_log_outcome ON ingest_log(outcome, reason)",
    ),
    # 2: what analysis components failed on an article (JSON [{"component", "error"}], NULL when none)
    (
        "ALTER TABLE articles ADD COLUMN analysis_errors TEXT",
        "CREATE INDEX articles_analysis_failed ON articles(id) WHERE analysis_errors IS NOT NULL",
    ),
)

VERSION = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to ``VERSION``; returns the version it was at. Idempotent.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Raises ``RuntimeError``
    for a database written by a newer qala (we never downgrade a schema).
    """
    found = version(conn)
    if found > VERSION:
        raise RuntimeError(f"schema version {found} is newer than this qala's {VERSION}; upgrade qala")
    while version(conn) < VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version(conn)  # another process may have migrated while we waited
            if current < VERSION:
                for statement in MIGRATIONS[current]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found
