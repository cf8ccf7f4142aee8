"""``qala search|speakers|export|stats`` as real processes over a real SQLite file and a PostgreSQL database."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pg_server
import pyarrow.parquet as pq
import pytest

from qala.ingest.record import ArticleRecord
from qala.nlp import analyze
from qala.store import open_store

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "articles.jsonl"

# Written for these tests; no corpus text is copied here.
TEXTS = [
    (
        "قال وزير الخارجية المصري سامح شكري إن المفاوضات مع إثيوبيا ستُستأنف الأسبوع المقبل.\n"
        "وأضاف شكري أن الحكومة متمسكة بحقوق مصر المائية.\n",
        "https://example.com/1",
        "Ahram",
        "2015-09-15",
    ),
    (
        "أكد الرئيس الفرنسي إيمانويل ماكرون أن فرنسا ستدعم الحكومة اللبنانية الجديدة.\n",
        "https://example.com/2",
        "France 24 Arabic",
        "2018-03-01",
    ),
]


def run_qala(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("qala")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qala.cli import app; app()"]
    done = subprocess.run([*command, *args], capture_output=True, timeout=120)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    if request.param == "sqlite":
        path: Path | str = tmp_path_factory.mktemp("cli") / "qala.db"
    else:
        admin = request.getfixturevalue("pg_admin")
        path = pg_server.new_database(admin)
        request.addfinalizer(lambda: pg_server.drop_database(admin, str(path)))
    with open_store(path) as store:
        for text, url, outlet, published in TEXTS:
            rec = ArticleRecord(text=text, url=url, outlet=outlet, published=published)
            store.add_article(rec, analyze(text, rec.meta()))
        if ARTICLES.exists():
            with ARTICLES.open(encoding="utf-8") as f:
                for line in list(f)[:30]:
                    a = json.loads(line)
                    rec = ArticleRecord(text=a["text"], url=a["url"], outlet=a["outlet"], published=a["date"])
                    store.add_article(rec, analyze(rec.text, rec.meta()))
        store.log_input("bad.html", "bad.html", "failed", "no article text found")
    return path


def count_of(db: Path, **filters: str) -> int:
    with open_store(db, create=False) as store:
        return store.count_quotes(**filters)


@pytest.mark.parametrize("query", ["الحكومة", "الحكومه", "الحُكومَة"])
def test_cli_search_jsonl_streams_every_match_and_prints_the_count(db: Path, query: str) -> None:
    done = run_qala("search", query, "--format", "jsonl", "--db", str(db))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    expected = count_of(db, text="الحكومة")
    assert len(rows) == expected > 2
    assert done.stderr.strip() == f"{expected} statements match"


def test_cli_search_table_shows_a_page_and_the_total(db: Path) -> None:
    done = run_qala("search", "--speaker", "شكرى", "--limit", "1", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "Ahram" in done.stdout
    assert "2 statements match (showing 1)" in done.stdout


def test_cli_search_date_filter(db: Path) -> None:
    done = run_qala(
        "search", "--from", "2018-03-01", "--to", "2018-03-01", "--format", "jsonl", "--db", str(db)
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows and {r["day"] for r in rows} == {"2018-03-01"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "x", "--from", "2015-13"), "error: --from: date '2015-13' does not exist"),
        (("search", "x", "--to", "soon"), "error: --to: date 'soon' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (("search", "***"), "error: TEXT: search text '***' has no words"),
    ],
)
def test_cli_search_bad_value_is_one_line_exit_2(db: Path, args: tuple[str, ...], message: str) -> None:
    done = run_qala(*args, "--db", str(db))
    assert done.returncode == 2
    assert done.stderr.strip() == message
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "command", [("search", "x"), ("speakers",), ("stats",), ("export", "--what", "quotes")]
)
def test_cli_read_commands_never_create_a_database(tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "none.db"
    done = run_qala(*command, "--db", str(missing))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: --db: {missing}: no such database (create it with `qala ingest`)"
    assert not missing.exists()


def test_cli_garbage_database_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 200)
    done = run_qala("stats", "--db", str(bad))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "not a database" in done.stderr
    assert bad.read_bytes() == b"this is not sqlite" * 200


@pytest.mark.parametrize("what", ["quotes", "articles", "entities"])
@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet"])
def test_cli_export_rows_equal_the_count(db: Path, tmp_path: Path, what: str, format: str) -> None:
    out = tmp_path / f"{what}.{format}"
    done = run_qala("export", "--what", what, "--format", format, "--output", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    with open_store(db, create=False) as store:
        expected = {
            "quotes": store.count_quotes,
            "articles": store.count_articles,
            "entities": store.count_entities,
        }[what]()
    assert done.stderr.strip() == f"{expected} {what} written to {out}"
    if format == "jsonl":
        n = len(out.read_text(encoding="utf-8").splitlines())
    elif format == "csv":
        n = len(list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))))
    else:
        n = pq.read_table(out).num_rows
    assert n == expected > 0
    assert not out.with_name(out.name + ".part").exists()


def test_cli_export_to_stdout(db: Path) -> None:
    done = run_qala("export", "--what", "quotes", "--format", "jsonl", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == count_of(db)


def test_cli_speakers_top(db: Path) -> None:
    done = run_qala("speakers", "--top", "2", "--format", "json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 2
    assert rows[0]["statements"] >= rows[1]["statements"]
    assert {"name", "statements", "articles", "titles", "outlets", "first_seen", "last_seen"} <= set(rows[0])


def test_cli_stats(db: Path) -> None:
    done = run_qala("stats", "--format", "json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["tables"]["quotes"] == count_of(db)
    assert stats["ingest"]["failed"] == 1
    assert stats["failures"] == [{"reason": "no article text found", "inputs": 1}]
    table = run_qala("stats", "--db", str(db))
    assert table.returncode == 0 and "quotes" in table.stdout
