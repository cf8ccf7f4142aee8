"""``qala spark`` on WARC and JSONL files built here, with ``local[2]``; then ``qala load``.

The job must add nothing to ``analyze``: its quotes are compared with ``qala.nlp.analyze``
on the texts the same readers extract from the same records.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from qala.cli import app
from qala.ingest.failures import BAD_JSON, TRUNCATED_WARC
from qala.ingest.jsonl import iter_jsonl, read_jsonl_line
from qala.ingest.record import ArticleRecord
from qala.ingest.sources import read_item
from qala.ingest.warc import WarcPage, iter_warc
from qala.nlp import analyze
from qala.spark.tables import COLUMNS, TABLES
from qala.store import open_store

pytest.importorskip("pyspark")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (.ci/run installs it)"),
]

ARTICLES = {
    "https://news.test/2015/economy/roads": (
        "2015-09-15T10:00:00+03:00",
        "الحكومة تدعم مشروع الطرق",
        [
            "وقال الوزير أحمد سالم إن الحكومة ستدعم المشروع الجديد لتطوير شبكة الطرق في المحافظات الجنوبية خلال العام المقبل.",
            "وأضاف سالم في مؤتمر صحفي عقده في القاهرة أن التمويل سيأتي من موازنة الدولة ومن قروض ميسرة.",
            "من جهته، قال رئيس الغرفة التجارية محمود عبد الله: «هذا المشروع سيوفر آلاف فرص العمل للشباب».",
            "وأوضح المتحدث باسم وزارة المالية أن الدراسات الفنية اكتملت وأن التنفيذ سيبدأ في الربع الأول من العام.",
        ],
    ),
    "https://news.test/2015/health/hospitals": (
        "2015-09-16T09:30:00+03:00",
        "عشرة مستشفيات جديدة في الريف",
        [
            "أعلنت وزيرة الصحة سارة منصور أن الوزارة ستفتتح عشرة مستشفيات جديدة في المناطق الريفية قبل نهاية العام.",
            "وقالت منصور في تصريحات للصحفيين إن نقص الأطباء ما زال التحدي الأكبر أمام القطاع الصحي.",
            "وأكد نقيب الأطباء خالد يوسف أن النقابة مستعدة للتعاون مع الوزارة لتدريب الكوادر الطبية الشابة.",
            "وكان البرلمان قد وافق الأسبوع الماضي على زيادة مخصصات الصحة في الموازنة العامة بنسبة عشرين في المئة.",
        ],
    ),
    "https://news.test/2015/politics/amman": (
        "2015-09-16T18:00:00+03:00",
        "الحسن: الحوار هو السبيل الوحيد",
        [
            "صرح وزير الخارجية عمر الحسن بأن بلاده ترفض أي تدخل أجنبي في شؤونها الداخلية، مؤكدا أن الحوار هو السبيل الوحيد لحل الأزمة.",
            "وقال الحسن خلال لقائه نظيره الأردني في عمان: «نحن حريصون على علاقات حسن الجوار مع جميع الدول».",
            "وأشار إلى أن الجانبين بحثا سبل تعزيز التعاون الاقتصادي وزيادة حجم التبادل التجاري بين البلدين.",
            "من جانبه، قال الوزير الأردني إن المملكة تدعم كل الجهود الرامية إلى تحقيق الاستقرار في المنطقة.",
        ],
    ),
    "https://news.test/2015/economy/inflation": (
        "2015-09-17T08:00:00+03:00",
        "التضخم في أدنى مستوى منذ خمس سنوات",
        [
            "قال محافظ البنك المركزي يوسف العلي إن معدل التضخم تراجع إلى أدنى مستوى له منذ خمس سنوات.",
            "وأضاف العلي في بيان صدر اليوم أن البنك سيواصل سياسته النقدية الحالية للحفاظ على استقرار سعر الصرف.",
            "وتوقع خبراء اقتصاديون أن يخفض البنك أسعار الفائدة خلال اجتماعه المقبل إذا استمر تراجع الأسعار.",
            "وقالت الخبيرة الاقتصادية ليلى حسن إن الأسواق استقبلت القرار بارتياح كبير.",
        ],
    ),
}
ENGLISH = [
    "The minister said on Monday that the government would support the new road project in the south.",
    "He told reporters in Cairo that the money would come from the state budget and from soft loans,",
    "and that the technical studies were finished and that work would start early next year, as planned.",
]
TRUNCATED_URL = "https://news.test/2015/economy/cut"
JSONL_ARTICLE = {
    "id": "local-001",
    "title": "صيانة الطرق",
    "url": "https://city.test/maintenance",
    "text": "قال رئيس البلدية فادي نصر إن أعمال الصيانة ستنتهي قبل حلول فصل الشتاء.\n"
    "وأضاف نصر أن البلدية خصصت ميزانية إضافية لإصلاح شبكة الصرف الصحي.",
}


def page(title: str, paragraphs: list[str], published: str | None, lang: str = "ar") -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
        f"<body><nav><a href='/'>home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>news.test</footer></body></html>"
    ).encode()


def write_records(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2015-09-18T12:00:00Z"},
                )
            )


def build_inputs(folder: Path) -> list[Path]:
    """crawl-1: three Arabic pages, an English page, a PNG; crawl-2: a page and a cut record; a JSONL file."""
    html = "text/html; charset=utf-8"
    urls = list(ARTICLES)
    first = [(u, html, page(ARTICLES[u][1], ARTICLES[u][2], ARTICLES[u][0])) for u in urls[:3]]
    first.insert(1, ("https://news.test/en/roads", html, page("Roads", ENGLISH, None, "en")))
    first.append(("https://news.test/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(256)))
    write_records(folder / "crawl-1.warc.gz", first)
    title, paragraphs = ARTICLES[urls[3]][1:]
    cut = folder / "crawl-2.warc.gz"
    write_records(
        cut,
        [
            (urls[3], html, page(title, paragraphs, ARTICLES[urls[3]][0])),
            (TRUNCATED_URL, html, page(title, paragraphs[::-1], None)),
        ],
    )
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) - 400])  # cuts into the last record
    jsonl = folder / "local.jsonl"
    jsonl.write_text(json.dumps(JSONL_ARTICLE, ensure_ascii=False) + "\n[1, 2]\n", encoding="utf-8")
    return [folder / "crawl-1.warc.gz", cut, jsonl]


def read_table(output: Path, table: str) -> list[dict]:
    import pyarrow as pa
    import pyarrow.dataset as ds

    partitioning = (
        ds.partitioning(pa.schema([("date", pa.string())]), flavor="hive") if table in TABLES else None
    )
    return ds.dataset(output / table, format="parquet", partitioning=partitioning).to_table().to_pylist()


def expected_quotes(inputs: list[Path]) -> dict[str, list[tuple]]:
    """Record key -> statements from ``analyze`` on what the ingest readers extract."""
    expected = {}
    for path in inputs:
        items = iter_jsonl(path) if path.suffix == ".jsonl" else iter_warc(path)
        for item in items:
            if isinstance(item, WarcPage):
                record = read_item(item)
            elif hasattr(item, "fields"):
                record = read_jsonl_line(item)
            else:
                continue
            if isinstance(record, ArticleRecord) and record.language == "ar":
                doc = analyze(record.text, record.meta(), id=record.id)
                expected[item.key] = [
                    (
                        q.type,
                        q.speaker.name if q.speaker else None,
                        q.cue.text,
                        q.cue.start,
                        q.cue.end,
                        q.content.text,
                        q.content.start,
                        q.content.end,
                    )
                    for q in doc.quotes
                ]
    return expected


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory):
    from qala.spark.job import run_job

    folder = tmp_path_factory.mktemp("spark")
    (folder / "in").mkdir()
    inputs = build_inputs(folder / "in")
    output = folder / "out"
    summary = run_job(
        [str(folder / "in")], str(output), master="local[2]", files_per_batch=2, log=lambda m: None
    )
    return inputs, output, summary


def test_spark_job_summary_counts_records_by_reason(job) -> None:
    inputs, output, summary = job
    assert summary.files_done == 3 and summary.files_skipped == 0 and summary.batches == 2
    assert dict(summary.skipped) == {"not-arabic": 1, "not-html": 1, TRUNCATED_WARC: 1, BAD_JSON: 1}
    assert summary.written["articles"] == 5
    assert summary.records_read == 5 + 4
    skips = read_table(output, "skips")
    assert sorted(s["reason"] for s in skips) == sorted(summary.skipped.elements())
    assert {s["detail"] for s in skips if s["reason"] == "not-arabic"} == {"en"}


def test_spark_tables_are_partitioned_by_date(job) -> None:
    _, output, summary = job
    for table in TABLES:
        days = sorted(p.name for p in (output / table).iterdir() if p.is_dir())
        assert days == ["date=2015-09-15", "date=2015-09-16", "date=2015-09-17", "date=unknown"], table
        rows = read_table(output, table)
        assert len(rows) == summary.written[table] > 0
        assert set(rows[0]) == {name for name, _ in COLUMNS[table]}
    articles = read_table(output, "articles")
    assert {a["date"] for a in articles if a["url"] == JSONL_ARTICLE["url"]} == {"unknown"}
    assert len({a["id"] for a in articles}) == len({a["key"] for a in articles}) == 5


def test_spark_quotes_equal_analyze_on_the_same_records(job) -> None:
    inputs, output, _ = job
    key_of = {a["id"]: a["key"] for a in read_table(output, "articles")}
    found: dict[str, list[tuple]] = {key: [] for key in key_of.values()}
    for q in sorted(read_table(output, "quotes"), key=lambda q: (q["article_id"], q["n"])):
        found[key_of[q["article_id"]]].append(
            (
                q["type"],
                q["speaker"],
                q["cue"],
                q["cue_start"],
                q["cue_end"],
                q["content"],
                q["content_start"],
                q["content_end"],
            )
        )
    expected = expected_quotes(inputs)
    assert found == expected
    assert sum(map(len, expected.values())) >= 8
    speakers = {q[1] for quotes in expected.values() for q in quotes}
    assert {"أحمد سالم", "سارة منصور"} <= speakers


def run_qala(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("qala")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qala.cli import app; app()"]
    done = subprocess.run([*command, *args], capture_output=True, timeout=300)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_spark_rerun_resumes_without_duplicating_rows(job) -> None:
    inputs, output, summary = job
    before = {table: len(read_table(output, table)) for table in (*TABLES, "skips")}
    done = run_qala(
        "spark", "--input", str(inputs[0].parent), "--output", str(output), "--master", "local[2]", "--json"
    )
    assert done.returncode == 0, done.stderr
    rerun = json.loads(done.stdout)
    assert rerun["files_done"] == 0 and rerun["files_skipped"] == 3 and rerun["records_read"] == 0
    assert {table: len(read_table(output, table)) for table in before} == before
    assert len(list((output / "_checkpoint").glob("*.json"))) == 3


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file, or a fresh PostgreSQL database (skipped when no server can be started)."""
    if request.param == "sqlite":
        return str(tmp_path / "qala.db")
    return request.getfixturevalue("pg_url")


def test_load_matches_parquet_dedups_and_serves(job, db_target: str) -> None:
    _, output, _ = job
    runner = CliRunner()
    first = runner.invoke(app, ["load", str(output), "--db", db_target, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["new"] == 5
    second = runner.invoke(app, ["load", str(output), "--db", db_target, "--json"])
    assert json.loads(second.stdout) | {"seconds": 0} == {
        "new": 0,
        "duplicate": 0,
        "skipped": 5,
        "failed": 0,
        "seconds": 0,
    }
    store = open_store(db_target, create=False)
    try:
        assert store.count_quotes() == len(read_table(output, "quotes"))
        assert store.count_articles() == 5
        assert store.input_done(read_table(output, "articles")[0]["key"])
    finally:
        store.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

    from qala.server import create_app

    speaker_quotes = [q for q in read_table(output, "quotes") if q["speaker"] == "أحمد سالم"]
    with TestClient(create_app(db_target)) as client:
        body = client.get("/api/quotes", params={"speaker": "أحمد سالم"}).json()
        assert body["total"] == len(speaker_quotes) > 0
        body = client.get("/api/quotes", params={"q": "مستشفيات"}).json()
        assert body["total"] >= 1
