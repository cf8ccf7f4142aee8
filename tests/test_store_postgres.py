"""The PostgreSQL store beyond the shared tests: its schema, clean errors, the same rows as SQLite
for the same articles, FTS5's words without SQLite, and several ingest processes writing at once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from qala.ingest.record import ArticleRecord
from qala.nlp import analyze
from qala.store import StoreError, StoreNotFound, open_store
from qala.store.fulltext import shadow, tokens
from qala.store.postgres_schema import VERSION

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "articles.jsonl"


def corpus(n: int) -> list[dict]:
    if not ARTICLES.exists():
        pytest.skip(f"{ARTICLES} is not there")
    with ARTICLES.open(encoding="utf-8") as f:
        return [json.loads(line) for line, _ in zip(f, range(n), strict=False)]


def run_qala(*args: str, **kw) -> subprocess.Popen:
    script = Path(sys.executable).with_name("qala")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qala.cli import app; app()"]
    return subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as c:
        cur = c.execute(query, params)
        return cur.fetchall() if cur.description else []


# -- schema and errors ---------------------------------------------------------------


def test_store_postgres_schema_is_migrated_once(pg_empty_url: str) -> None:
    open_store(pg_empty_url).close()
    assert sql(pg_empty_url, "SELECT version FROM schema_version") == [(VERSION,)]
    tables = {r[0] for r in sql(pg_empty_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"articles", "quotes", "quotes_fts", "articles_fts", "ingest_log", "minhash_bands"} <= tables
    open_store(pg_empty_url).close()  # reopening migrates nothing
    assert sql(pg_empty_url, "SELECT COUNT(*) FROM schema_version") == [(1,)]
    gin = sql(
        pg_empty_url,
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%%USING gin%%'",
    )
    assert {r[0] for r in gin} == {"quotes_fts_gin", "articles_fts_gin"}


def test_store_postgres_newer_schema_is_a_clean_error(pg_url: str) -> None:
    sql(pg_url, "UPDATE schema_version SET version = %s", (VERSION + 1,))
    with pytest.raises(StoreError, match="newer"):
        open_store(pg_url)


def test_store_postgres_reading_an_empty_database_creates_nothing(pg_empty_url: str) -> None:
    with pytest.raises(StoreNotFound, match="no qala tables"):
        open_store(pg_empty_url, create=False)
    assert sql(pg_empty_url, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_store_postgres_missing_database_and_server_are_clean_errors(pg_admin: str) -> None:
    missing = pg_admin.rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(StoreNotFound, match="no such database"):
        open_store(missing, create=False)
    with pytest.raises(StoreError, match="cannot connect") as e:
        open_store("postgresql://qala:secret@127.0.0.1:1/qala")
    assert "secret" not in str(e.value)


def test_cli_read_commands_on_an_empty_postgres_database_exit_2(pg_empty_url: str) -> None:
    proc = run_qala("stats", "--db", pg_empty_url)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "no qala tables" in err.decode() and len(err.decode().strip().splitlines()) == 1


# -- the same words and the same rows as SQLite ---------------------------------------


def test_store_tokens_equal_fts5_words() -> None:
    """The table PostgreSQL indexes with (fts_tokens.json) gives the words FTS5 indexes."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    texts = [a["text"] for a in corpus(80)]
    texts += ["café CAFÉ İstanbul x\u0301y Ⅻ ½ ﬁ 名字 a_b ١٢٣ ٣٫٥", "U.S. e-mail 3.5% foo@bar.com"]
    for i, text in enumerate(texts):
        folded = shadow(text)
        conn.execute("DELETE FROM t")
        conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (folded,))
        fts5 = [r[0] for r in conn.execute("SELECT term FROM v ORDER BY offset")]
        assert tokens(folded) == fts5, i


def _articles(n: int = 40) -> list[tuple[ArticleRecord, object]]:
    rows = corpus(n)
    out = []
    for a in rows:
        rec = ArticleRecord(
            text=a["text"],
            title=a.get("title"),
            url=a["url"],
            outlet=a["outlet"],
            published=a["date"],
            id=a["id"],
        )
        out.append(rec)
    first = rows[0]
    out.append(  # a syndicated copy, and a verbatim copy at another URL
        ArticleRecord(
            text=first["text"] + "\n(وكالات)",
            url="https://wire.example/1",
            outlet="Wire",
            published="2018-07-15",
        )
    )
    out.append(ArticleRecord(text=first["text"], url="https://copy.example/1", outlet="Copy"))
    return [(rec, analyze(rec.text, rec.meta(), id=rec.id)) for rec in out]


def _without_clock(value):
    """Rows without the wall-clock times of storing (first_seen differs between two runs)."""
    if isinstance(value, dict):
        return {k: _without_clock(v) for k, v in value.items() if k != "first_seen"}
    if isinstance(value, list):
        return [_without_clock(v) for v in value]
    return value


QUERIES = [
    {"text": "الحكومة"},
    {"text": "الحكومه"},
    {"text": '"وزير الخارجية"'},
    {"text": "الرئيس الأمريكي"},
    {"text": "الرئ*"},
    {"text": '"الامم المتحدة"*'},
    {"text": "غير موجود إطلاقا"},
    {"text": "a_b"},
    {"text": "___"},
    {"speaker": "ترامب"},
    {"outlet": "cnn"},
    {"date_from": "2018-06", "date_to": "2019"},
    {"type": "direct"},
    {"text": "قال", "type": "indirect", "date_from": "2015"},
]


def test_store_postgres_gives_the_same_rows_as_sqlite(tmp_path: Path, pg_url: str) -> None:
    items = _articles()
    with open_store(tmp_path / "qala.db") as lite, open_store(pg_url) as pg:
        assert list(lite.add_articles(items)) == list(pg.add_articles(items))
        for store in (lite, pg):
            store.log_input("x:1", "x", "failed", "bad-json: line 1")
        same = lambda f: _without_clock(f(lite)) == _without_clock(f(pg))  # noqa: E731
        for q in QUERIES:
            assert same(lambda s, q=q: list(s.search_quotes(**q))), q
            assert lite.count_quotes(**q) == pg.count_quotes(**q), q
        for q in ({"text": "الحكومة"}, {"text": '"مجلس الأمن"'}, {"outlet": "rt"}, {"date_from": "2019"}):
            assert same(lambda s, q=q: list(s.articles(**q))), q
            assert lite.count_articles(**q) == pg.count_articles(**q)
        assert same(lambda s: s.speakers())
        assert same(lambda s: list(s.entities()))
        assert same(lambda s: list(s.dup_groups(min_size=1)))
        assert same(lambda s: [s.get_article(i) for i in (1, 2, 3)])
        assert same(lambda s: s.dup_group_page(1, None, 100))
        assert same(lambda s: [s.dup_group(1), s.count_dup_groups(2)])
        top = lite.speakers(top=3)
        assert same(lambda s: [(s.speaker(x["id"]), s.speaker_quotes(x["id"], None, 50)) for x in top])
        assert {k: v for k, v in lite.stats().items() if k != "database"} == {
            k: v for k, v in pg.stats().items() if k != "database"
        }


# -- several writers at once -------------------------------------------------------------


def test_store_postgres_concurrent_ingests_store_each_article_once(tmp_path: Path, pg_url: str) -> None:
    rows = corpus(45)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:30]), encoding="utf-8")
    b.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[15:]), encoding="utf-8")
    # both processes read both files, in opposite orders: every article is raced for
    procs = [
        run_qala("ingest", str(x), str(y), "--db", pg_url, "--workers", "1", "--no-progress")
        for x, y in ((a, b), (b, a))
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    distinct = len({r["text"] for r in rows})
    assert sql(
        pg_url, "SELECT COUNT(*), COUNT(DISTINCT content_hash), COUNT(DISTINCT canonical_url) FROM articles"
    ) == [(distinct, distinct, distinct)]
    keys, new = sql(pg_url, "SELECT COUNT(*), COUNT(*) FILTER (WHERE outcome = 'new') FROM ingest_log")[0]
    assert keys == 60  # every input line of both files, once
    assert new == distinct
    assert sql(pg_url, "SELECT COUNT(*) FROM ingest_log WHERE outcome NOT IN ('new', 'duplicate')") == [(0,)]
    half = sql(
        pg_url,
        """SELECT a.id FROM articles a
           WHERE a.n_quotes != (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id)
              OR a.n_mentions != (SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id)
              OR (SELECT COUNT(*) FROM minhash_bands b WHERE b.article_id = a.id) != 14""",
    )
    assert half == []
    assert sql(pg_url, "SELECT COUNT(*) FROM quotes")[0] == sql(pg_url, "SELECT COUNT(*) FROM quotes_fts")[0]
    dup_keys = "SELECT key FROM {} GROUP BY key{} HAVING COUNT(*) > 1"
    assert sql(pg_url, dup_keys.format("speakers", "")) == []
    assert sql(pg_url, dup_keys.format("entities", ", type")) == []

    # the same inputs ingested by one process into SQLite: the same articles, statements and groups
    lite = tmp_path / "one.db"
    p = run_qala("ingest", str(a), str(b), "--db", str(lite), "--workers", "1", "--no-progress")
    assert p.wait(timeout=300) == 0
    with open_store(lite) as s, open_store(pg_url) as g:
        assert s.count_articles() == g.count_articles() and s.count_quotes() == g.count_quotes()
        assert s.stats()["near_duplicate_groups"] == g.stats()["near_duplicate_groups"]
        assert s.count_entities() == g.count_entities()

        def groups(store):
            return sorted(sorted(m["url"] for m in grp["members"]) for grp in store.dup_groups(min_size=1))

        assert groups(s) == groups(g)
