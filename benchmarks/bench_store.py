"""Storage: database size per 1,000 articles, ingest speed, and search latency over ≥ 1M statements.

1. Analyzes the news corpus once, then stores it through ``add_article`` (the real path:
   dedup checks, near-duplicate LSH, entities, FTS rows, one transaction per article),
   replicated to ``--articles`` articles: each replica has a fresh URL and one extra line,
   so it is not a duplicate (it lands in its original's near-duplicate group, as a
   syndicated copy would). Reports the file size per 1,000 articles after a checkpoint.
2. Builds a second database with ≥ ``--statements`` statements: the corpus's stored
   statements copied with fresh ids straight in SQL (``INSERT ... SELECT``, FTS rows from a
   temporary table of the folded contents), copy k dated 8k days after 2015-01-01 so date
   filters select real subsets. Articles are not copied: each statement copy points at its
   original's article, which costs the same join per row.
3. Times a fixed set of 50 Arabic queries (single words, two words, phrases, prefixes, with
   and without diacritics / alef / ى / ة spelling variants, speaker filters, date ranges):
   the first page of 20 (``search_quotes(limit=20)``, what a UI or API page shows) and,
   separately, the matching count (``count_quotes``, which ``qala search`` also prints).

Writes the ``<!-- bench:store -->`` block of ``benchmarks/RESULTS.md`` (other blocks kept).

    python benchmarks/bench_store.py [--articles 1000] [--statements 1000000] [--repeat 5] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from results import write_section  # noqa: E402

from qala.ingest.record import ArticleRecord
from qala.nlp import analyze
from qala.store import open_store
from qala.store.fulltext import shadow

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "data" / "news" / "articles.jsonl"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- bench:store -->", "<!-- /bench:store -->"
PAGE = 20

# (text, filters): a fixed, realistic mix; spelling variants of the same words on purpose.
QUERIES: list[tuple[str | None, dict[str, str]]] = [
    ("الحكومة", {}),
    ("الحكومه", {}),
    ("الحُكُومَة", {}),
    ("الرئيس", {}),
    ("الرَّئِيس", {}),
    ("السعودية", {}),
    ("السعوديه", {}),
    ("إيران", {}),
    ("ايران", {}),
    ("إسرائيل", {}),
    ("اسرائيل", {}),
    ("الأمن", {}),
    ("الامن", {}),
    ("مستوى", {}),
    ("مستوي", {}),
    ("الاقتصاد", {}),
    ("النفط", {}),
    ("الانتخابات", {}),
    ("اللاجئين", {}),
    ("الإرهاب", {}),
    ("الارهاب", {}),
    ("كورونا", {}),
    ("تونس", {}),
    ("المفاوضات", {}),
    ("الحكومة الجديدة", {}),
    ("الأمم المتحدة", {}),
    ("الامم المتحده", {}),
    ("مجلس الأمن", {}),
    ('"مجلس الأمن"', {}),
    ('"وقف إطلاق النار"', {}),
    ('"الولايات المتحدة"', {}),
    ("الاتفاق النووي", {}),
    ("أسعار النفط", {}),
    ("اقتصاد*", {}),
    ("انتخاب*", {}),
    ("سوري*", {}),
    (None, {"speaker": "ترامب"}),
    (None, {"speaker": "ماكرون"}),
    (None, {"speaker": "الجبير"}),
    ("كوريا", {"speaker": "ترامب"}),
    ("خاشقجي", {"speaker": "ترامب"}),
    ("إيران", {"speaker": "ترامب"}),  # no match: every candidate is read
    ("الاتفاق", {"speaker": "ماكرون"}),
    ("إيران", {"speaker": "الجبير"}),
    ("الحكومة", {"date_from": "2016-01-01", "date_to": "2016-03-31"}),
    ("الرئيس", {"date_from": "2020-01", "date_to": "2020-12"}),
    ("النفط", {"date_from": "2015-01-01", "date_to": "2015-01-31"}),
    (None, {"date_from": "2019-06-01", "date_to": "2019-06-30"}),
    ("السعودية", {"type": "direct"}),
    ("الحكومة", {"outlet": "BBC"}),
    ("كوريا الشمالية", {}),
    (None, {"speaker": "ترامب", "date_from": "2017-01-01", "date_to": "2017-12-31"}),
    ("الشعب", {"type": "indirect", "date_from": "2018"}),
]


def load_articles(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def analyzed(articles: list[dict]) -> list[tuple[ArticleRecord, object]]:
    out = []
    for a in articles:
        rec = ArticleRecord(
            text=a["text"], title=a.get("title"), url=a.get("url"), outlet=a.get("outlet"), published=a.get("date"),
            id=a.get("id"), source="articles.jsonl",
        )  # fmt: skip
        out.append((rec, analyze(rec.text, rec.meta(), id=rec.id)))
    return out


def replica(rec: ArticleRecord, doc, k: int) -> tuple[ArticleRecord, object]:
    """Copy ``k`` of an article: fresh URL and id, one line appended (offsets unchanged)."""
    text = rec.text + f"\nنسخة رقم {k}"
    new = ArticleRecord(
        text=text, title=rec.title, url=f"https://replica{k}.example/{rec.id}", outlet=rec.outlet,
        published=rec.published, id=f"{rec.id}~{k}", source=rec.source,
    )  # fmt: skip
    d = type(doc)(**{f: getattr(doc, f) for f in doc.__slots__})
    d.text = text
    return new, d


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def checkpoint(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def size_run(pairs: list, n_articles: int, workdir: Path) -> dict:
    path = workdir / "size.db"
    store = open_store(path)
    t0 = time.perf_counter()
    outcomes = {"new": 0, "duplicate": 0}
    n = 0
    k = 0
    while n < n_articles:
        for rec, doc in pairs:
            if n >= n_articles:
                break
            outcome, _ = store.add_article(*((rec, doc) if k == 0 else replica(rec, doc, k)))
            outcomes[outcome] += 1
            n += 1
        k += 1
    wall = time.perf_counter() - t0
    stats = store.stats()
    store.close()
    checkpoint(path)
    size = db_bytes(path)
    text_bytes = sum(len(rec.text.encode("utf-8")) for rec, _ in pairs) * n_articles / len(pairs)
    return {
        "articles": stats["tables"]["articles"],
        "quotes": stats["tables"]["quotes"],
        "outcomes": outcomes,
        "wall": wall,
        "bytes": size,
        "per_1000": size / stats["tables"]["articles"] * 1000,
        "text_per_1000": text_bytes / n_articles * 1000,
        "groups": stats["near_duplicate_groups"],
    }


def build_big(pairs: list, n_statements: int, workdir: Path) -> dict:
    """The corpus stored once, then its statements copied in SQL to ≥ n_statements."""
    import sqlite3

    path = workdir / "big.db"
    with open_store(path) as store:
        for rec, doc in pairs:
            store.add_article(rec, doc)
    t0 = time.perf_counter()
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA synchronous = OFF")
    c.execute("PRAGMA cache_size = -262144")
    base = c.execute("SELECT COUNT(*), MAX(id) FROM quotes").fetchone()
    n_base, max_id = base
    copies = math.ceil(n_statements / n_base) - 1
    stride = 10 ** len(str(max_id))  # copy k of statement i gets id k * stride + i
    c.execute("BEGIN")
    c.execute("CREATE TEMP TABLE folded (id INTEGER PRIMARY KEY, content TEXT)")
    c.executemany(
        "INSERT INTO folded VALUES (?, ?)",
        [(i, shadow(content)) for i, content in c.execute("SELECT id, content FROM quotes").fetchall()],
    )
    c.execute("CREATE TEMP TABLE k (k INTEGER PRIMARY KEY, day TEXT)")
    c.executemany(  # copy k is dated 8k days after 2015-01-01: ten years of statements
        "INSERT INTO k VALUES (?, date('2015-01-01', '+' || ? || ' days'))",
        [(k, 8 * k) for k in range(1, copies + 1)],
    )
    c.execute(
        """INSERT INTO quotes (id, article_id, seq, type, speaker_id, speaker_name, speaker_entity_id,
             speaker_title, resolution, mention_start, mention_end, cue, cue_start, cue_end, content,
             content_start, content_end, date, day, day_lo, day_hi, confidence)
           SELECT k.k * ? + q.id, q.article_id, q.seq + k.k * 100000, q.type, q.speaker_id, q.speaker_name,
             q.speaker_entity_id, q.speaker_title, q.resolution, q.mention_start, q.mention_end, q.cue,
             q.cue_start, q.cue_end, q.content, q.content_start, q.content_end, NULL, k.day, k.day, k.day,
             q.confidence
           FROM k, quotes q WHERE q.id < ? ORDER BY k.k, q.id""",
        (stride, stride),
    )
    c.execute(
        """INSERT INTO quotes_fts (rowid, content)
           SELECT k.k * ? + f.id, f.content FROM k, folded f ORDER BY k.k, f.id""",
        (stride,),
    )
    c.execute("COMMIT")
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    c.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize')")
    c.execute("ANALYZE")
    optimize = time.perf_counter() - t1
    total = c.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    c.close()
    checkpoint(path)
    return {"path": path, "statements": total, "copies": copies, "load": load, "optimize": optimize,
            "bytes": db_bytes(path)}  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def latency(path: Path, repeat: int) -> dict:
    store = open_store(path, create=False)
    page_ms: list[float] = []
    count_ms: list[float] = []
    per_query = []
    for text, filters in QUERIES:  # warm the page cache once, as a running server would be
        list(store.search_quotes(text=text, **filters, limit=PAGE))
    for text, filters in QUERIES:
        pages, counts = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = list(store.search_quotes(text=text, **filters, limit=PAGE))
            t1 = time.perf_counter()
            n = store.count_quotes(text=text, **filters)
            t2 = time.perf_counter()
            pages.append((t1 - t0) * 1000)
            counts.append((t2 - t1) * 1000)
        page_ms += pages
        count_ms += counts
        per_query.append((text, filters, len(rows), n, statistics.median(pages), statistics.median(counts)))
    store.close()
    return {"page": page_ms, "count": count_ms, "per_query": per_query}


def report(args, size: dict, big: dict, lat: dict, analyze_s: float, command: str) -> str:
    page, count = lat["page"], lat["count"]
    both = [a + b for a, b in zip(page, count, strict=True)]
    slowest = sorted(lat["per_query"], key=lambda q: q[4], reverse=True)[:5]

    def q(text, filters):
        parts = [text] if text else []
        parts += [f"--{k.replace('date_', '')} {v}" for k, v in filters.items()]
        return " ".join(parts).replace("|", "\\|")

    lines = [
        BEGIN,
        "## store: database size and search latency (SQLite)",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; machine: {platform.machine()},"
        f" {os.cpu_count()} logical CPUs; Python {platform.python_version()}, SQLite {_sqlite_version()}",
        f"- command: `{command}` (not in `make bench`: about 2–4 minutes; run `make bench-store`)",
        f"- corpus: the 408 articles of `../shared/data/news/articles.jsonl`, analyzed once ({analyze_s:.1f} s)",
        "",
        "### Size per 1,000 articles",
        "",
        f"{size['articles']} articles stored through `add_article` (the 408 originals, then replicas with a fresh"
        " URL and one extra line, which join their original's near-duplicate group):",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| articles / statements stored | {size['articles']:,} / {size['quotes']:,} |",
        f"| near-duplicate groups | {size['groups']:,} |",
        f"| database file after checkpoint, MB | {size['bytes'] / 1e6:.1f} |",
        f"| **database size per 1,000 articles, MB** | **{size['per_1000'] / 1e6:.1f}** |",
        f"| of which article text (UTF-8), MB per 1,000 | {size['text_per_1000'] / 1e6:.1f} |",
        f"| `add_article` speed, articles/s (one writer, excl. analysis) | {size['articles'] / size['wall']:.0f} |",
        "",
        "### Search latency over ≥ 1M statements",
        "",
        f"{big['statements']:,} statements: the corpus's {big['statements'] // (big['copies'] + 1):,} stored"
        f" statements and {big['copies']} copies with fresh ids, inserted in SQL ({big['load']:.0f} s, FTS"
        f" `optimize` {big['optimize']:.0f} s); file {big['bytes'] / 1e6:.0f} MB. {len(QUERIES)} fixed queries"
        f" × {args.repeat} runs each after one warm-up pass:",
        "",
        "| measure | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|",
        f"| **first page of {PAGE} (`search_quotes(limit={PAGE})`)** | **{percentile(page, 50):.1f}**"
        f" | **{percentile(page, 95):.1f}** | {max(page):.1f} |",
        f"| matching count (`count_quotes`) | {percentile(count, 50):.1f} | {percentile(count, 95):.1f}"
        f" | {max(count):.1f} |",
        f"| page + count (what `qala search` does) | {percentile(both, 50):.1f} | {percentile(both, 95):.1f}"
        f" | {max(both):.1f} |",
        "",
        "Slowest queries by median page time:",
        "",
        "| query | matches | page ms | count ms |",
        "|---|---:|---:|---:|",
        *[f"| `{q(t, f)}` | {n:,} | {p:.1f} | {c:.1f} |" for t, f, _, n, p, c in slowest],
        END,
    ]
    return "\n".join(lines)


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles for the size run (default 1000)")
    parser.add_argument(
        "--statements", type=int, default=1_000_000, help="statements for latency (default 1M)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument(
        "--corpus", type=Path, default=ARTICLES, help="JSONL corpus (default: the news corpus)"
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep the databases here (default: a temp dir)"
    )
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {RESULTS.name} alone")
    args = parser.parse_args(argv)

    articles = load_articles(args.corpus)
    t0 = time.perf_counter()
    pairs = analyzed(articles)
    analyze_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="qala-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for old in workdir.glob("*.db*"):
            old.unlink()
        size = size_run(pairs, args.articles, workdir)
        print(f"size: {size}", file=sys.stderr)
        big = build_big(pairs, args.statements, workdir)
        print(f"big: {big}", file=sys.stderr)
        lat = latency(big["path"], args.repeat)
    command = " ".join(["python", "benchmarks/bench_store.py", *(argv if argv is not None else sys.argv[1:])])
    section = report(args, size, big, lat, analyze_s, command)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
