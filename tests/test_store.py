"""The store, in SQLite and in PostgreSQL (every test taking ``db`` or ``store`` runs on both):
idempotent adds, near-duplicate groups, Arabic-aware search, exports; SQLite's schema and crashes.

PostgreSQL-only behaviour (schema, concurrent writers, equal results) is in ``test_store_postgres.py``."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from qala.ingest.record import ArticleRecord
from qala.nlp import analyze
from qala.store import StoreError, StoreNotFound, open_store
from qala.store import sql as store_sql
from qala.store.canonical import canonical_url
from qala.store.export import write
from qala.store.fulltext import fts_query
from qala.store.schema import VERSION, migrate

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "articles.jsonl"

# Written for these tests; no corpus text is copied here.
SHOUKRY = (
    "قال وزير الخارجية المصري سامح شكري إن المفاوضات مع إثيوبيا ستُستأنف الأسبوع المقبل في القاهرة.\n"
    "وأضاف شكري أن الحكومة متمسكة بحقوق مصر المائية.\n"
)
MACRON = (
    "أكد الرئيس الفرنسي إيمانويل ماكرون أن فرنسا ستدعم الحكومة اللبنانية الجديدة.\n"
    'وقال ماكرون: "لن نترك لبنان وحيدا، وسنرسل مساعدات إلى مستشفى بيروت".\n'
)
KADHIMI = (
    "صرح رئيس الوزراء العراقي مصطفى الكاظمي بأن الانتخابات ستجرى في موعدها.\n"
    "وأوضح الكاظمي أن الحكومة العراقية أنجزت الاستعدادات كافة.\n"
)
HAND = [
    (SHOUKRY, "https://example.com/eg/1", "Ahram", "2015-09-15"),
    (MACRON, "https://example.com/fr/2", "France 24 Arabic", "2018-03-01T10:00:00+01:00"),
    (KADHIMI, "https://example.com/iq/3", "Al Sumaria", "2020-06-30"),
]


def record(text: str, url: str | None = None, outlet: str | None = None, published: str | None = None, **kw):
    return ArticleRecord(text=text, url=url, outlet=outlet, published=published, source=url or "test", **kw)


def add(store, text: str, url: str | None = None, outlet: str | None = None, published: str | None = None):
    rec = record(text, url, outlet, published)
    return store.add_article(rec, analyze(rec.text, rec.meta(), id=url))


def real_articles() -> list[dict]:
    if not ARTICLES.exists():
        pytest.skip(f"{ARTICLES} is not there")
    with ARTICLES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def add_real(store, a: dict, **override):
    fields = {"url": a.get("url"), "outlet": a.get("outlet"), "published": a.get("date"), "text": a["text"]}
    fields |= override
    rec = ArticleRecord(title=a.get("title"), id=a.get("id"), source="articles.jsonl", **fields)
    return store.add_article(rec, analyze(rec.text, rec.meta(), id=rec.id))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> Path | str:
    """Where the store is: a SQLite file, or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return tmp_path / "qala.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    return tmp_path / "qala.db"


@pytest.fixture
def store(db: Path):
    s = open_store(db)
    yield s
    s.close()


@pytest.fixture
def hand_store(store):
    for text, url, outlet, published in HAND:
        assert add(store, text, url, outlet, published)[0] == "new"
    return store


def table_counts(db: Path | str) -> dict[str, int]:
    with open_store(db) as s:
        return s.stats()["tables"]


# -- schema ------------------------------------------------------------------------


def test_store_schema_created_in_wal_with_foreign_keys(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    c = sqlite3.connect(sqlite_db)
    assert c.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    assert {"sources", "articles", "entities", "mentions", "quotes", "ingest_log", "quotes_fts"} <= names


def test_store_migration_is_idempotent(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    before = table_counts(sqlite_db)
    open_store(sqlite_db).close()  # reopening migrates nothing
    c = sqlite3.connect(sqlite_db, isolation_level=None)
    assert migrate(c) == VERSION
    assert c.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert table_counts(sqlite_db) == before


def test_store_newer_schema_is_a_clean_error(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    with sqlite3.connect(sqlite_db) as c:
        c.execute(f"PRAGMA user_version = {VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        open_store(sqlite_db)


# -- bad databases -----------------------------------------------------------------


def test_store_missing_file_for_reading_is_not_created(sqlite_db: Path) -> None:
    with pytest.raises(StoreNotFound, match="no such database"):
        open_store(sqlite_db, create=False)
    assert not sqlite_db.exists()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / "nowhere" / "x.db", "directory .* does not exist"),
        (lambda p: (p / "x.db").mkdir() or p / "x.db", "is a directory"),
        (
            lambda p: (p / "x.db").write_bytes(b"not a database, just bytes " * 100) and p / "x.db",
            "not a database",
        ),
    ],
    ids=["missing-dir", "a-directory", "garbage-file"],
)
def test_store_bad_path_is_a_clean_error(tmp_path: Path, make, reason: str) -> None:
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StoreError, match=reason):
        open_store(path)
    if before is not None:
        assert path.read_bytes() == before  # a file we cannot read is left as it was


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_store_unreadable_file_is_a_clean_error(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    sqlite_db.chmod(0)
    try:
        with pytest.raises(StoreError, match="permission denied"):
            open_store(sqlite_db)
    finally:
        sqlite_db.chmod(0o644)


# -- adding articles ---------------------------------------------------------------


def test_store_add_hand_written_articles(hand_store, db: Path) -> None:
    counts = table_counts(db)
    assert counts["articles"] == 3
    assert counts["quotes"] == 6
    assert counts["sources"] == 3
    assert hand_store.count_quotes() == 6


def test_store_add_real_articles_keeps_every_statement(store) -> None:
    articles = real_articles()[:40]
    expected = 0
    for a in articles:
        rec = ArticleRecord(text=a["text"], url=a["url"], outlet=a["outlet"], published=a["date"], id=a["id"])
        doc = analyze(rec.text, rec.meta(), id=rec.id)
        outcome, article_id = store.add_article(rec, doc)
        assert outcome == "new"
        expected += len(doc.quotes)
        stored = store.get_article(article_id)
        assert [q["content"] for q in stored["quotes"]] == [q.content.text for q in doc.quotes]
    assert store.count_quotes() == expected
    assert store.count_articles() == len(articles)


@pytest.mark.parametrize(
    "change",
    [
        {},  # the same input again
        {"url": "HTTPS://www.example.com/eg/1/?utm_source=feed#top"},  # the same page, spelled otherwise
        {"url": "https://other.example.org/story", "outlet": "Other"},  # the same text elsewhere
        {"text": SHOUKRY.replace("\n", "  \n")},  # the same text, other whitespace
    ],
    ids=["same", "same-url", "same-text-other-url", "same-text-whitespace"],
)
def test_store_add_is_idempotent(hand_store, db: Path, change: dict) -> None:
    before = table_counts(db)
    fields = {
        "text": SHOUKRY,
        "url": "https://example.com/eg/1",
        "outlet": "Ahram",
        "published": "2015-09-15",
    }
    fields |= change
    outcome, article_id = add(
        hand_store, fields["text"], fields["url"], fields["outlet"], fields["published"]
    )
    assert (outcome, article_id) == ("duplicate", 1)
    after = table_counts(db)
    if "other.example.org" in fields["url"]:  # a verbatim copy elsewhere: its outlet joins the story
        assert after.pop("copies") == before.pop("copies") + 1
        after.pop("sources"), before.pop("sources")
    assert after == before
    assert add(hand_store, fields["text"], fields["url"], fields["outlet"])[0] == "duplicate"
    assert table_counts(db)["copies"] <= 1


def test_store_add_with_a_bad_span_stores_nothing(hand_store, db: Path) -> None:
    before = table_counts(db)
    rec = record("قال المتحدث إن الاجتماع انتهى.\n", "https://example.com/bad", "Ahram")
    doc = analyze(rec.text, rec.meta())
    assert doc.quotes
    doc.quotes[-1].content.end = 10_000
    with pytest.raises(StoreError, match="https://example.com/bad: not stored: .*outside the text"):
        hand_store.add_article(rec, doc)
    assert table_counts(db) == before
    assert hand_store.add_article(rec, analyze(rec.text, rec.meta()))[0] == "new"


def test_store_add_refuses_a_doc_of_another_text(store) -> None:
    rec = record(SHOUKRY, "https://example.com/x")
    with pytest.raises(StoreError, match="not the record's text"):
        store.add_article(rec, analyze(MACRON))
    assert store.count_articles() == 0


def test_store_get_article_offsets_point_into_the_text(hand_store) -> None:
    art = hand_store.get_article(1)
    text = art["text"]
    assert art["outlet"] == "Ahram"
    for q in art["quotes"]:
        assert text[q["cue_start"] : q["cue_end"]] == q["cue"]
        assert text[q["content_start"] : q["content_end"]] == q["content"]
        if q["mention_start"] is not None:
            assert text[q["mention_start"] : q["mention_end"]].split()[-1] in q["speaker_name"]
    assert art["entities"]
    for e in art["entities"]:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    assert hand_store.get_article(999) is None


# -- ingest log --------------------------------------------------------------------


def test_store_ingest_log_upserts_and_counts_outcomes(store) -> None:
    assert not store.input_done("a.jsonl:1")
    store.log_input("a.jsonl:1", "a.jsonl", "failed", "line is not a JSON object")
    store.log_input("a.jsonl:2", "a.jsonl", "failed", "line is not a JSON object")
    store.log_input("a.jsonl:2", "a.jsonl", "new", article_id=None)
    store.log_input("a.jsonl:3", "a.jsonl", "duplicate")
    assert store.input_done("a.jsonl:1") and store.input_done("a.jsonl:2")
    stats = store.stats()
    assert stats["tables"]["ingest_log"] == 3
    assert stats["ingest"] == {"new": 1, "duplicate": 1, "failed": 1}
    assert stats["failures"] == [{"reason": "line is not a JSON object", "inputs": 1}]
    with pytest.raises(ValueError, match="outcome 'skipped'"):
        store.log_input("a.jsonl:4", "a.jsonl", "skipped")


# -- near duplicates ---------------------------------------------------------------


def _syndicated(text: str) -> str:
    """A wire copy as another outlet runs it: a dateline, one word changed, a credit line."""
    words = text.split(" ")
    words[len(words) // 2] = "أيضا"
    return "عواصم - " + " ".join(words) + "\n(المصدر: وكالات)"


def _article_with_quotes(articles: list[dict], n: int = 3) -> dict:
    for a in articles:
        if len(a["text"]) > 1500 and len(analyze(a["text"]).quotes) >= n:
            return a
    raise AssertionError("no article with statements")


def test_store_near_duplicates_share_a_group_and_count_once(store) -> None:
    articles = real_articles()
    original = _article_with_quotes(articles)
    unrelated = next(a for a in articles if a["outlet"] != original["outlet"] and a["id"] != original["id"])
    _, first = add_real(store, original)
    outcome, copy = add_real(
        store,
        original,
        text=_syndicated(original["text"]),
        url="https://wire.example.net/1",
        outlet="Wire Copy",
    )
    _, other = add_real(store, unrelated)
    assert outcome == "new"
    group_of = {a["id"]: a["dup_group"] for a in store.articles()}
    assert group_of[first] == group_of[copy] != group_of[other]

    groups = list(store.dup_groups())
    assert len(groups) == 1
    assert {m["article_id"] for m in groups[0]["members"]} == {first, copy}
    assert set(groups[0]["outlets"]) == {original["outlet"], "Wire Copy"}
    assert all(m["first_seen"] for m in groups[0]["members"])

    # each copy keeps its statements, but speaker statistics count the story once
    per_article = {a: store.get_article(a)["quotes"] for a in (first, copy)}
    assert len(per_article[copy]) >= len(per_article[first]) - 1
    top = store.speakers()
    named = [s for s in top if original["outlet"] in s["outlets"] and "Wire Copy" in s["outlets"]]
    assert named
    for s in named:
        in_first = sum(q["speaker_name"] and q["speaker_name"] == s["name"] for q in per_article[first])
        in_copy = sum(q["speaker_name"] and q["speaker_name"] == s["name"] for q in per_article[copy])
        assert s["statements"] == max(in_first, in_copy)
        assert s["reports"] == in_first + in_copy


def test_store_near_duplicate_index_survives_reopening(db: Path) -> None:
    original = _article_with_quotes(real_articles())
    with open_store(db) as s:
        add_real(s, original)
    with open_store(db) as s:  # a new process would see the same: the LSH bands are in the file
        add_real(
            s, original, text=_syndicated(original["text"]), url="https://wire.example.net/2", outlet="B"
        )
        groups = list(s.dup_groups())
    assert len(groups) == 1 and groups[0]["size"] == 2


def test_store_verbatim_copy_joins_the_group_without_a_second_article(hand_store) -> None:
    assert add(hand_store, SHOUKRY, "https://copy.example.org/a", "Copy Outlet")[0] == "duplicate"
    (group,) = hand_store.dup_groups()
    assert group["outlets"] == ["Ahram", "Copy Outlet"]
    assert [m["verbatim_copy"] for m in group["members"]] == [False, True]
    assert hand_store.count_articles() == 3
    assert hand_store.get_article(1)["copies"][0]["outlet"] == "Copy Outlet"


# -- search ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plain", "variant"),
    [
        ("الحكومة", "الحكومه"),  # ة / ه
        ("الحكومة", "الحُكُومَة"),  # diacritics
        ("الأسبوع", "الاسبوع"),  # أ / ا
        ("إثيوبيا", "اثيوبيا"),  # إ / ا
        ("مستشفى", "مستشفي"),  # ى / ي
        ("ستستأنف", "ستُستأنف"),  # diacritics in the stored text too
        ("ستجرى", "ستجري"),
    ],
)
def test_store_search_ignores_arabic_spelling_noise(hand_store, plain: str, variant: str) -> None:
    found = [q["id"] for q in hand_store.search_quotes(text=plain)]
    assert found
    assert [q["id"] for q in hand_store.search_quotes(text=variant)] == found
    assert hand_store.count_quotes(text=variant) == len(found)


def test_store_search_phrase_prefix_and_all_words(hand_store) -> None:
    assert hand_store.count_quotes(text='"الحكومة العراقية"') == 1
    assert hand_store.count_quotes(text="الحكومة") == 3
    assert hand_store.count_quotes(text="الحكومة فرنسا") == 1  # every word must occur
    assert hand_store.count_quotes(text="المفاوض*") == 1
    assert hand_store.count_quotes(text="غير موجود إطلاقا") == 0


@pytest.mark.parametrize(
    ("speaker", "n"),
    [("شكري", 2), ("سامح شكرى", 2), ("ماكرون", 2), ("الكاظمى", 2), ("مجهول", 0)],
)
def test_store_search_by_speaker(hand_store, speaker: str, n: int) -> None:
    rows = list(hand_store.search_quotes(speaker=speaker))
    assert len(rows) == n == hand_store.count_quotes(speaker=speaker)


@pytest.mark.parametrize(
    ("date_from", "date_to", "outlets"),
    [
        ("2016", None, {"France 24 Arabic", "Al Sumaria"}),
        (None, "2015-09", {"Ahram"}),
        ("2015-09-15", "2015-09-15", {"Ahram"}),
        ("2018-03", "2020-06-30", {"France 24 Arabic", "Al Sumaria"}),
        ("2021", None, set()),
    ],
)
def test_store_search_by_date(hand_store, date_from, date_to, outlets: set[str]) -> None:
    rows = list(hand_store.search_quotes(date_from=date_from, date_to=date_to))
    assert {r["outlet"] for r in rows} == outlets
    assert hand_store.count_quotes(date_from=date_from, date_to=date_to) == len(rows)


def test_store_search_filters_combine(hand_store) -> None:
    rows = list(hand_store.search_quotes(text="الحكومة", outlet="france", type="indirect", date_from="2018"))
    assert [r["speaker_name"] for r in rows] == ["إيمانويل ماكرون"]
    assert rows[0]["speaker_entity"] == "إيمانويل ماكرون"
    assert rows[0]["speaker_title"] == "الرئيس الفرنسي"


@pytest.mark.parametrize(
    "bad",
    [{"date_from": "2015-13"}, {"date_to": "yesterday"}, {"type": "quoted"}, {"text": "***"}],
)
def test_store_search_bad_filter_is_a_value_error(hand_store, bad: dict) -> None:
    with pytest.raises(ValueError):
        hand_store.count_quotes(**bad)
    with pytest.raises(ValueError):
        hand_store.search_quotes(**bad)


def test_store_listing_pages_have_no_cap_and_agree_with_counts(store, monkeypatch) -> None:
    monkeypatch.setattr(store_sql, "PAGE", 7)  # many pages even on a small corpus
    for a in real_articles()[:25]:
        add_real(store, a)
    for filters in ({}, {"text": "الرئيس"}, {"type": "direct"}, {"date_from": "2018-06"}):
        rows = list(store.search_quotes(**filters))
        ids = [r["id"] for r in rows]
        assert ids == sorted(set(ids))
        assert len(rows) == store.count_quotes(**filters)
        # cursor pagination: pages of 5 by ``after`` give the same rows
        paged, after = [], None
        while page := list(store.search_quotes(**filters, limit=5, after=after)):
            paged += [r["id"] for r in page]
            after = page[-1]["id"]
        assert paged == ids
    assert len(list(store.articles())) == store.count_articles() == 25
    assert len(list(store.entities())) == store.count_entities()


def test_store_speakers_have_titles_and_dates(hand_store) -> None:
    rows = {s["name"]: s for s in hand_store.speakers()}
    shoukry = rows["سامح شكري"]
    assert shoukry["statements"] == 2 and shoukry["articles"] == 1
    assert shoukry["titles"][0]["title"] == "وزير الخارجية المصري"
    assert shoukry["first_seen"] == shoukry["last_seen"] == "2015-09-15"
    assert shoukry["outlets"] == ["Ahram"]
    assert len(hand_store.speakers(top=1)) == 1


# -- exports -----------------------------------------------------------------------


@pytest.mark.parametrize("what", ["quotes", "articles", "entities"])
@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet"])
def test_store_export_writes_exactly_the_counted_rows(
    hand_store, tmp_path: Path, what: str, format: str
) -> None:
    with hand_store.snapshot():
        expected = {
            "quotes": hand_store.count_quotes,
            "articles": hand_store.count_articles,
            "entities": hand_store.count_entities,
        }[what]()
        rows = {
            "quotes": hand_store.search_quotes,
            "articles": hand_store.articles,
            "entities": hand_store.entities,
        }[what]()
        path = tmp_path / f"out.{format}"
        with path.open("wb") as out:
            written = write(rows, what, format, out)
    assert written == expected > 0
    if format == "jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == expected
        assert all(json.loads(line)["id"] for line in lines)
    elif format == "csv":
        assert len(list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))) == expected
    else:
        assert pq.read_table(path).num_rows == expected


# -- crashes -----------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import json, sys
    from qala.ingest.record import ArticleRecord
    from qala.nlp import analyze
    from qala.store import open_store

    store = open_store(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        articles = [json.loads(line) for line in f][:60]
    docs = [(a, analyze(a["text"], {"published": a["date"]})) for a in articles]
    print("ready", flush=True)
    n = 0
    while True:
        for a, doc in docs:
            n += 1
            text = a["text"]
            rec = ArticleRecord(text=text, url=f"https://copy{n}.example/{a['id']}", outlet=a["outlet"],
                                published=a["date"])
            if n > len(docs):  # fresh texts after the first pass, offsets unchanged
                text = text + "\\n" + str(n)
                rec.text = text
                doc.text = text
            store.add_article(rec, doc)
    """
)


def test_store_kill_minus_nine_leaves_no_half_article(sqlite_db: Path, tmp_path: Path) -> None:
    real_articles()
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(sqlite_db), str(ARTICLES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read().decode()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.2)
            with sqlite3.connect(sqlite_db, timeout=10) as c:
                if c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 80:
                    break
        time.sleep(0.037)  # land somewhere inside a transaction
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with open_store(sqlite_db) as s:  # opens without repair
        n_articles = s.count_articles()
        assert n_articles >= 80
        s.add_article(record(SHOUKRY, "https://after.example/crash"), analyze(SHOUKRY))
    c = sqlite3.connect(sqlite_db)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []
    c.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")
    c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    half = c.execute(
        """SELECT a.id FROM articles a
           WHERE a.n_quotes != (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id)
              OR a.n_mentions != (SELECT COUNT(*) FROM mentions m WHERE m.article_id = a.id)
              OR (SELECT COUNT(*) FROM minhash_bands b WHERE b.article_id = a.id) != 14"""
    ).fetchall()
    assert half == []
    n_quotes = c.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    assert c.execute("SELECT COUNT(*) FROM quotes_fts").fetchone()[0] == n_quotes


# -- helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.example.com/a/b/", "http://example.com/a/b"),
        ("https://example.com/a?utm_source=x&id=3#c", "https://EXAMPLE.com:443/a?id=3"),
        ("https://example.com/أخبار/1", "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"),
        ("https://example.com/a?y=2&x=1", "https://example.com/a?x=1&y=2"),
    ],
)
def test_store_canonical_url_equal(a: str, b: str) -> None:
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("الحكومة", '"الحكومه"'),
        ("الحُكومة الجديدة", '"الحكومه" "الجديده"'),
        ('"وقف إطلاق النار"', '"وقف اطلاق النار"'),
        ("مفاوض*", '"مفاوض"*'),
        ("NOT OR AND", '"not" "or" "and"'),
        ("U.S.", '"u s"'),
        ("بيان: (مهم) -عاجل", '"بيان" "مهم" "عاجل"'),
    ],
)
def test_store_fts_query_is_safe(query: str, expected: str) -> None:
    assert fts_query(query) == expected
