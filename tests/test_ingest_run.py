"""The ingest run end to end: the news folder twice, failures logged, Ctrl-C and kill -9 then a rerun."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from qala.ingest import failures
from qala.ingest.run import Summary, ingest
from qala.store import open_store

NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news"
ARTICLES = NEWS / "articles.jsonl"
N_ARTICLES = 408
N_NEWS_INPUTS = N_ARTICLES + 10 + 1  # articles.jsonl lines, html/*.html, the CNN page's expected .txt

# Written for these tests; no corpus text is copied here.
PARAGRAPHS = (
    "قال رئيس الوزراء في كلمة ألقاها أمام البرلمان إن الحكومة ماضية في تنفيذ خطتها الاقتصادية رغم "
    "الصعوبات التي تواجهها البلاد في هذه المرحلة.",
    "وأضاف أن الإصلاحات ستشمل قطاعات الطاقة والنقل والتعليم، وأن نتائجها ستظهر خلال العامين المقبلين، "
    "مؤكدا أن الحكومة ستعمل مع جميع الكتل النيابية لإقرار القوانين اللازمة.",
    "من جانبه، قال رئيس البرلمان إن المجلس سيناقش مشروع الموازنة الأسبوع المقبل في جلسة علنية.",
)
ENGLISH = (
    "The prime minister said on Monday that the government would carry on with its economic plan "
    "despite the difficulties the country is facing at this stage.",
    "He added that the reforms would cover energy, transport and education, and that the results would "
    "show within the next two years, with the support of all the parliamentary groups.",
)


def page(paragraphs: tuple[str, ...], title: str = "رئيس الوزراء: الإصلاحات مستمرة") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


def articles_by(db: Path) -> list[dict]:
    store = open_store(db)
    try:
        return list(store.articles())
    finally:
        store.close()


def log_rows(db: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT key, outcome, reason FROM ingest_log ORDER BY key").fetchall()


def assert_no_doubles(db: Path) -> None:
    rows = articles_by(db)
    assert len({r["content_hash"] for r in rows}) == len(rows)
    urls = [r["url"] for r in rows if r["url"]]
    assert len(set(urls)) == len(urls)


def qala(*args: str, **kwargs) -> subprocess.Popen:
    script = Path(sys.executable).with_name("qala")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qala.cli import app; app()"]
    return subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kwargs
    )


@pytest.fixture(scope="module")
def news_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    db = tmp_path_factory.mktemp("news") / "qala.db"
    return db, ingest([NEWS], db, workers=2, progress=False)


@pytest.mark.slow
def test_ingest_news_folder(news_db: tuple[Path, Summary]) -> None:
    db, summary = news_db
    assert summary.processed == N_NEWS_INPUTS
    assert summary.n_failed == 0, summary.failed
    assert summary.skipped == 0 and not summary.interrupted
    rows = articles_by(db)
    assert len(rows) == summary.new >= N_ARTICLES
    assert Counter(r["language"] for r in rows) == {"ar": len(rows)}
    assert len(log_rows(db)) == N_NEWS_INPUTS
    assert_no_doubles(db)


@pytest.mark.slow
def test_ingest_news_folder_again_adds_nothing(news_db: tuple[Path, Summary]) -> None:
    db, first = news_db
    before = log_rows(db)
    again = ingest([NEWS], db, workers=2, progress=False)
    assert (again.new, again.duplicate, again.n_failed) == (0, 0, 0)
    assert again.skipped == N_NEWS_INPUTS
    assert len(articles_by(db)) == first.new
    assert log_rows(db) == before


def test_ingest_same_page_twice_is_a_duplicate(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_text(page(PARAGRAPHS), encoding="utf-8")
    (folder / "copy-of-a.html").write_text(
        page(PARAGRAPHS) + "\n<!-- other bytes, same text -->", encoding="utf-8"
    )
    summary = ingest([folder], tmp_path / "q.db", workers=1, progress=False)
    assert (summary.new, summary.duplicate) == (1, 1)
    assert [outcome for _, outcome, _ in log_rows(tmp_path / "q.db")] == ["new", "duplicate"]


def write_warc(path: Path) -> None:
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, status, content_type, body in [
            (
                "https://w.test/1",
                "200 OK",
                "text/html; charset=windows-1256",
                page(PARAGRAPHS).encode("cp1256"),
            ),
            ("https://w.test/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
            ("https://w.test/404", "404 Not Found", "text/html", b"<html>gone</html>"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )


def test_ingest_mixed_inputs_logs_every_outcome_and_never_stops(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.html").write_text(page(PARAGRAPHS[::-1]), encoding="utf-8")
    (folder / "english.html").write_text(page(ENGLISH, "Reforms to go on"), encoding="utf-8")
    (folder / "short.html").write_text(page(("خبر قصير.",)), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "utf16.txt").write_bytes("\n".join(PARAGRAPHS[1:]).encode("utf-16"))
    (folder / "batch.jsonl").write_text(
        json.dumps({"id": "j1", "text": PARAGRAPHS[0], "url": "https://j.test/1"}, ensure_ascii=False)
        + "\n{oops\n",
        encoding="utf-8",
    )
    write_warc(folder / "crawl.warc.gz")
    data = (folder / "crawl.warc.gz").read_bytes()
    (folder / "cut.warc.gz").write_bytes(data[: len(data) // 3])
    db = tmp_path / "q.db"
    missing = tmp_path / "missing.html"

    summary = ingest([folder, missing], db, workers=2, progress=False)

    assert summary.new == 5  # good, english, utf16, the JSONL line, the WARC page
    assert summary.failed == {
        failures.NOT_ARTICLE: 1,
        failures.EMPTY: 1,
        failures.BAD_JSON: 1,
        "http-404": 1,
        failures.TRUNCATED_WARC: 1,
        failures.NOT_FOUND: 1,
    }
    assert summary.ignored == 1  # the PNG
    assert summary.missing == [str(missing)]
    languages = {r["url"] or r["title"]: r["language"] for r in articles_by(db)}
    assert languages["Reforms to go on"] == "en"  # kept, flagged
    assert list(languages.values()).count("ar") == 4
    logged = log_rows(db)
    assert len(logged) == summary.processed
    assert {reason.split(":")[0] for _, outcome, reason in logged if outcome == "failed"} == set(
        summary.failed
    )

    again = ingest([folder, missing], db, workers=2, progress=False)
    assert (again.new, again.duplicate) == (0, 0)
    assert again.failed == {failures.NOT_FOUND: 1}  # a missing path is reported every time
    assert again.skipped == summary.processed - 1


def test_cli_ingest_exit_codes_and_summary(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page(PARAGRAPHS), encoding="utf-8")
    db = tmp_path / "q.db"
    done = qala("ingest", str(tmp_path / "a.html"), str(tmp_path / "nope"), "--db", str(db), "--no-progress")
    out, err = (s.decode() for s in done.communicate(timeout=120))
    assert done.returncode == 2, err
    assert "nope: no such file or folder" in err
    assert "new" in out and "not-found" in out
    assert len(articles_by(db)) == 1

    done = qala("ingest", str(tmp_path / "a.html"), "--db", str(db), "--no-progress")
    out, err = (s.decode() for s in done.communicate(timeout=120))
    assert done.returncode == 0, err
    assert "skipped" in out


def wait_for_rows(db: Path, at_least: int, timeout: float = 60.0) -> int:
    """Rows in the ingest log, once there are ``at_least`` (polled: the run writes as it goes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                n = conn.execute("SELECT count(*) FROM ingest_log").fetchone()[0]
            if n >= at_least:
                return n
        except sqlite3.Error:
            pass  # not created or not migrated yet
        time.sleep(0.02)
    raise AssertionError(f"no {at_least} ingest log rows in {timeout} s")


@pytest.fixture(scope="module")
def clean_count(tmp_path_factory: pytest.TempPathFactory) -> int:
    """Articles stored by an uninterrupted run over articles.jsonl."""
    db = tmp_path_factory.mktemp("clean") / "qala.db"
    summary = ingest([ARTICLES], db, workers=2, progress=False)
    assert summary.new == len(articles_by(db))
    return summary.new


@pytest.mark.slow
@pytest.mark.parametrize("how", ["kill-9", "ctrl-c"])
def test_interrupted_ingest_then_rerun_loses_and_doubles_nothing(
    tmp_path: Path, how: str, clean_count: int
) -> None:
    db = tmp_path / "interrupted.db"

    run = qala("ingest", str(ARTICLES), "--db", str(db), "--workers", "2", "--no-progress")
    wait_for_rows(db, 20)
    if how == "kill-9":
        os.killpg(run.pid, signal.SIGKILL)  # the writer and its workers, as a crash or the OOM killer would
    else:
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground process group
    out, err = (s.decode() for s in run.communicate(timeout=60))
    if how == "ctrl-c":
        assert run.returncode == 130, err
        assert "interrupted" in err and "new" in out
    else:
        assert run.returncode == -signal.SIGKILL
    done_before = len(log_rows(db))
    assert 20 <= done_before < N_ARTICLES, "the run finished before it could be interrupted"

    rerun = ingest([ARTICLES], db, workers=2, progress=False)
    assert rerun.skipped == done_before
    assert rerun.n_failed == 0
    assert len(log_rows(db)) == N_ARTICLES
    assert len(articles_by(db)) == clean_count
    assert_no_doubles(db)
