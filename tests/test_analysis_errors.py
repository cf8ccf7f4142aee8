"""An article a component failed on is stored with what succeeded and its ``analysis_errors``
(SQLite and PostgreSQL), counted by ``qala stats`` and ``/api/stats``, shown with the article,
and analyzed again by ``qala reanalyze --failed``."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import psycopg
import pytest

from qala.ingest.record import ArticleRecord
from qala.ingest.run import ingest
from qala.nlp import Doc, Quote, analyze, pipeline
from qala.store import StoreError, open_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from qala.server import create_app

# Written for these tests.
TEXT = (
    "قال وزير الخارجية المصري سامح شكري إن المفاوضات مع إثيوبيا ستُستأنف الأسبوع المقبل.\n"
    "وأضاف شكري أن الحكومة متمسكة بحقوق مصر المائية.\n"
)
OTHER = "أكد الرئيس الفرنسي إيمانويل ماكرون أن فرنسا ستدعم الحكومة اللبنانية الجديدة.\n"
ERROR = ("speakers", "IndexError: list index out of range")


def run_qala(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("qala")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qala.cli import app; app()"]
    done = subprocess.run([*command, *args], capture_output=True, timeout=120)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def failed_doc(rec: ArticleRecord) -> Doc:
    """The Doc an older qala made when its speaker rules raised: statements without speakers."""
    doc = analyze(rec.text, rec.meta())
    doc.quotes = [Quote(q.type, q.cue, q.content, None, q.date, q.confidence * 0.5) for q in doc.quotes]
    doc.analysis_errors = [ERROR]
    return doc


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> Path | str:
    if request.param == "sqlite":
        return tmp_path / "qala.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def stored(db):
    """A store holding one article whose speakers failed and one analyzed whole."""
    with open_store(db) as store:
        bad = ArticleRecord(text=TEXT, url="https://example.com/1", outlet="Ahram", published="2015-09-15")
        good = ArticleRecord(text=OTHER, url="https://example.com/2", outlet="France 24", published="2018-03-01")
        _, bad_id = store.add_article(bad, failed_doc(bad))
        _, good_id = store.add_article(good, analyze(good.text, good.meta()))
    return db, bad_id, good_id


def test_analysis_errors_are_stored_counted_and_shown(stored) -> None:
    db, bad_id, good_id = stored
    with open_store(db) as store:
        stats = store.stats()
        assert stats["analysis_errors"] == {"articles": 1, "by_component": {"speakers": 1}}
        art = store.get_article(bad_id)
        assert art["analysis_errors"] == [{"component": ERROR[0], "error": ERROR[1]}]
        assert art["quotes"] and all(q["speaker_name"] is None for q in art["quotes"])
        assert store.get_article(good_id)["analysis_errors"] == []
        assert [a["id"] for a in store.failed_articles()] == [bad_id]


def test_analysis_errors_reanalysis_replaces_the_layers(stored) -> None:
    db, bad_id, good_id = stored
    with open_store(db) as store:
        before = store.stats()["tables"]
        found = store.count_quotes(text="المفاوضات")
        (art,) = store.failed_articles()
        store.replace_analysis(bad_id, analyze(art["text"], {"published": art["published"]}))
        assert store.stats()["analysis_errors"] == {"articles": 0, "by_component": {}}
        assert list(store.failed_articles()) == []
        fixed = store.get_article(bad_id)
        assert fixed["analysis_errors"] == []
        assert {q["speaker_name"] for q in fixed["quotes"]} == {"سامح شكري"}
        assert fixed["n_quotes"] == len(fixed["quotes"])
        # the same rows as before, only the speakers filled in; the index holds each statement once
        after = store.stats()["tables"]
        assert {k: v for k, v in after.items() if k != "speakers"} == {
            k: v for k, v in before.items() if k != "speakers"
        }
        assert store.count_quotes(text="المفاوضات") == found == 1
        assert [q["article_id"] for q in store.search_quotes(speaker="شكري")] == [bad_id, bad_id]
        assert store.get_article(good_id)["quotes"]


def test_analysis_errors_reanalysis_refuses_another_text(stored) -> None:
    db, bad_id, _ = stored
    with open_store(db) as store:
        with pytest.raises(StoreError, match=f"article {bad_id}: not stored: the analyzed text"):
            store.replace_analysis(bad_id, analyze(OTHER))
        with pytest.raises(StoreError, match="article 999: not stored: no such article"):
            store.replace_analysis(999, analyze(OTHER))
        assert store.stats()["analysis_errors"]["articles"] == 1  # nothing changed


def test_analysis_errors_cli_stats_and_reanalyze(stored) -> None:
    db, bad_id, _ = stored
    target = str(db)
    stats = json.loads(run_qala("stats", "--format", "json", "--db", target).stdout)
    assert stats["analysis_errors"] == {"articles": 1, "by_component": {"speakers": 1}}
    table = run_qala("stats", "--db", target)
    assert "articles with analysis errors" in table.stdout and "speakers failed" in table.stdout

    done = run_qala("reanalyze", "--failed", "--db", target)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "reanalyzed 1 articles: 1 without errors now, 0 still failing"
    again = run_qala("reanalyze", "--failed", "--db", target)
    assert again.stdout.strip() == "reanalyzed 0 articles: 0 without errors now, 0 still failing"
    with open_store(db) as store:
        assert {q["speaker_name"] for q in store.get_article(bad_id)["quotes"]} == {"سامح شكري"}


def test_analysis_errors_cli_reanalyze_needs_a_selection_and_a_database(tmp_path: Path) -> None:
    done = run_qala("reanalyze", "--db", str(tmp_path / "x.db"))
    assert done.returncode == 2 and done.stderr.strip() == "error: nothing to reanalyze: pass --failed"
    missing = run_qala("reanalyze", "--failed", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and "no such database" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_analysis_errors_api_stats_and_article(stored) -> None:
    db, bad_id, _ = stored
    with TestClient(create_app(db)) as client:
        stats = client.get("/api/stats").json()
        assert stats["analysis_errors"] == {"articles": 1, "by_component": {"speakers": 1}}
        art = client.get(f"/api/articles/{bad_id}").json()
        assert art["analysis_errors"] == [{"component": ERROR[0], "error": ERROR[1]}]


def test_analysis_errors_ingest_keeps_an_article_a_component_fails_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(run: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(
        pipeline,
        "COMPONENTS",
        tuple(pipeline.Component(c.name, c.requires, boom, c.option, c.adds, c.uses) if c.name == "speakers" else c
              for c in pipeline.COMPONENTS),
    )
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a1", "text": TEXT, "date": "2015-09-15"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    summary = ingest([source], tmp_path / "qala.db", workers=1, progress=False)
    assert summary.new == 1 and summary.n_failed == 0
    with open_store(tmp_path / "qala.db") as store:
        (art,) = store.failed_articles()
        assert art["analysis_errors"] == [{"component": ERROR[0], "error": ERROR[1]}]
        assert store.count_quotes() == 2


def _back_to_version_1(db: Path | str) -> None:
    """Undo migration 2 on a database, as if an older qala had written it."""
    undo = ["DROP INDEX articles_analysis_failed", "ALTER TABLE articles DROP COLUMN analysis_errors"]
    if isinstance(db, Path):
        conn = sqlite3.connect(db, isolation_level=None)
        for statement in [*undo, "PRAGMA user_version = 1"]:
            conn.execute(statement)
        conn.close()
    else:
        with psycopg.connect(db, autocommit=True) as conn:
            for statement in [*undo, "UPDATE schema_version SET version = 1"]:
                conn.execute(statement)


def test_analysis_errors_migration_keeps_the_articles_of_an_older_database(db) -> None:
    with open_store(db) as store:
        rec = ArticleRecord(text=TEXT, url="https://example.com/1", published="2015-09-15")
        store.add_article(rec, analyze(rec.text, rec.meta()))
    _back_to_version_1(db)
    with open_store(db) as store:  # migrates to the current version
        assert store.stats()["tables"]["articles"] == 1
        assert store.stats()["analysis_errors"] == {"articles": 0, "by_component": {}}
        bad = ArticleRecord(text=OTHER, url="https://example.com/2")
        store.add_article(bad, failed_doc(bad))
        assert store.stats()["analysis_errors"]["articles"] == 1
