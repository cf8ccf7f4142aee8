"""PostgreSQL against SQLite: store throughput, a full ``qala ingest``, and search latency.

Starts a throwaway PostgreSQL server (``tests/pg_server.py``: initdb + pg_ctl on loopback, with
durable defaults: fsync on), or uses ``QALA_TEST_PG``.

1. Store throughput: the news corpus analyzed once, then stored through ``add_article`` (the real
   path: dedup checks, near-duplicate LSH, entities, full-text rows, one transaction per article)
   up to ``--articles`` (replicas with a fresh URL and one extra line, as in ``bench_store.py``),
   into SQLite, into PostgreSQL with durable commits, and with ``synchronous_commit = off`` (which,
   like SQLite's WAL with ``synchronous = NORMAL``, may lose the last commits in a power cut but
   never corrupts); then two writer processes at once into one PostgreSQL database.
2. A full ``qala ingest`` of the corpus (analysis included, every core) into each backend.
3. Search latency over ≥ ``--statements`` statements (the corpus's statements copied in SQL, as
   ``bench_store.py`` does): ``bench_store.QUERIES``, first page of 20 and the count, both backends.

Writes the ``<!-- bench:pg -->`` block of ``benchmarks/RESULTS.md`` (other blocks kept).

    python benchmarks/bench_pg.py [--articles 1000] [--statements 1000000] [--repeat 5] [--no-write]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_store  # noqa: E402
import pg_server  # noqa: E402
import psycopg  # noqa: E402
from results import write_section  # noqa: E402

from qala.store import open_store  # noqa: E402

RESULTS = REPO / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- bench:pg -->", "<!-- /bench:pg -->"


def workload(pairs: list, n_articles: int) -> list:
    out, k = [], 0
    while len(out) < n_articles:
        for rec, doc in pairs:
            if len(out) >= n_articles:
                break
            out.append((rec, doc) if k == 0 else bench_store.replica(rec, doc, k))
        k += 1
    return out


def store_run(target, items: list) -> float:
    with open_store(target) as store:
        t0 = time.perf_counter()
        for rec, doc in items:
            store.add_article(rec, doc)
        return time.perf_counter() - t0


def _writer(target: str, items: list, start, done) -> None:
    with open_store(target) as store:
        start.wait()
        for rec, doc in items:
            store.add_article(rec, doc)
    done.put(time.perf_counter())


def parallel_run(target: str, items: list, processes: int = 2) -> float:
    """``processes`` writers, each with every ``processes``-th article, into one database."""
    ctx = multiprocessing.get_context("fork")
    start, done = ctx.Barrier(processes + 1), ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(target, items[i::processes], start, done)) for i in range(processes)
    ]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    ends = [done.get() for _ in procs]
    for p in procs:
        p.join()
    return max(ends) - t0


def ingest_run(target: str) -> float:
    qala = Path(sys.executable).with_name("qala")
    t0 = time.perf_counter()
    subprocess.run([str(qala), "ingest", str(bench_store.ARTICLES), "--db", target, "--no-progress"], check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - t0


def build_big_pg(pairs: list, n_statements: int, url: str) -> dict:
    """The corpus stored once, then its statements (and their tsvectors) copied in SQL."""
    with open_store(url) as store:
        for rec, doc in pairs:
            store.add_article(rec, doc)
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as c:
        n_base, max_id = c.execute("SELECT COUNT(*), MAX(id) FROM quotes").fetchone()
        copies = math.ceil(n_statements / n_base) - 1
        stride = 10 ** len(str(max_id))
        with c.transaction():
            c.execute("SET LOCAL maintenance_work_mem = '256MB'")
            c.execute("DROP INDEX quotes_fts_gin")
            c.execute(
                """CREATE TEMP TABLE k AS SELECT g AS k,
                     to_char(DATE '2015-01-01' + 8 * g, 'YYYY-MM-DD') AS day FROM generate_series(1, %s) g""",
                (copies,),
            )
            c.execute(
                """INSERT INTO quotes (id, article_id, seq, type, speaker_id, speaker_name, speaker_entity_id,
                     speaker_title, resolution, mention_start, mention_end, cue, cue_start, cue_end, content,
                     content_start, content_end, date, day, day_lo, day_hi, confidence)
                   SELECT k.k * %s + q.id, q.article_id, q.seq + k.k * 100000, q.type, q.speaker_id, q.speaker_name,
                     q.speaker_entity_id, q.speaker_title, q.resolution, q.mention_start, q.mention_end, q.cue,
                     q.cue_start, q.cue_end, q.content, q.content_start, q.content_end, NULL, k.day, k.day, k.day,
                     q.confidence
                   FROM k, quotes q WHERE q.id < %s ORDER BY k.k, q.id""",
                (stride, stride),
            )
            c.execute(
                "INSERT INTO quotes_fts (id, fts) SELECT k.k * %s + f.id, f.fts FROM k, quotes_fts f WHERE f.id < %s",
                (stride, stride),
            )
            c.execute("CREATE INDEX quotes_fts_gin ON quotes_fts USING GIN (fts)")
        load = time.perf_counter() - t0
        c.execute("VACUUM ANALYZE")
        total = c.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
        size = c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"statements": total, "load": load, "bytes": size}


def pct(values: list[float], p: float) -> float:
    return bench_store.percentile(values, p)


def report(args, fig: dict, command: str) -> str:
    n = fig["articles"]

    def rate(s: float) -> str:
        return f"{n / s:,.0f}"

    lite, pg = fig["lat_sqlite"], fig["lat_pg"]
    rows = [
        BEGIN,
        "## PostgreSQL against SQLite: ingest throughput and search latency",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {os.cpu_count()} logical CPUs; "
        f"Python {platform.python_version()}, PostgreSQL {fig['pg_version']} (throwaway local server, fsync on), "
        f"SQLite {bench_store._sqlite_version()}",
        f"- command: `{command}` (not in `make bench`: several minutes; run `make bench-pg`)",
        f"- corpus: the {fig['corpus']} articles of `../shared/data/news/articles.jsonl`, analyzed once "
        f"({fig['analyze_s']:.1f} s), stored up to {n:,} articles (replicas as in `bench_store.py`)",
        "",
        "### Store throughput (`add_article`, analysis excluded)",
        "",
        "| backend | wall s | articles/s |",
        "|---|---:|---:|",
        f"| SQLite (WAL, synchronous=NORMAL), one writer | {fig['sqlite_s']:.1f} | {rate(fig['sqlite_s'])} |",
        f"| PostgreSQL, durable commits, one writer | {fig['pg_s']:.1f} | {rate(fig['pg_s'])} |",
        f"| PostgreSQL, synchronous_commit=off, one writer | {fig['pg_async_s']:.1f} | {rate(fig['pg_async_s'])} |",
        f"| PostgreSQL, durable commits, two writer processes at once | {fig['pg_par_s']:.1f} | {rate(fig['pg_par_s'])} |",
        "",
        f"### Full `qala ingest` of the {fig['corpus']} articles (analysis included, {os.cpu_count()} worker processes)",
        "",
        "| backend | wall s | articles/s |",
        "|---|---:|---:|",
        f"| SQLite | {fig['ingest_sqlite']:.1f} | {fig['corpus'] / fig['ingest_sqlite']:.1f} |",
        f"| PostgreSQL | {fig['ingest_pg']:.1f} | {fig['corpus'] / fig['ingest_pg']:.1f} |",
        "",
        f"### Search latency over {fig['big_pg']['statements']:,} statements",
        "",
        f"{len(bench_store.QUERIES)} fixed queries of `bench_store.py` × {args.repeat} runs each, warm cache; "
        f"the first page of 20 (`search_quotes(limit=20)`) and the count (`count_quotes`). "
        f"PostgreSQL database {fig['big_pg']['bytes'] / 1e6:,.0f} MB (copied in {fig['big_pg']['load']:.0f} s); "
        f"SQLite file {fig['big_sqlite']['bytes'] / 1e6:,.0f} MB.",
        "",
        "| measure | SQLite p50 ms | SQLite p95 ms | PostgreSQL p50 ms | PostgreSQL p95 ms |",
        "|---|---:|---:|---:|---:|",
        f"| first page of 20 | {pct(lite['page'], 50):.1f} | {pct(lite['page'], 95):.1f} | "
        f"{pct(pg['page'], 50):.1f} | {pct(pg['page'], 95):.1f} |",
        f"| count | {pct(lite['count'], 50):.1f} | {pct(lite['count'], 95):.1f} | "
        f"{pct(pg['count'], 50):.1f} | {pct(pg['count'], 95):.1f} |",
        "",
        "Slowest PostgreSQL queries by median page time:",
        "",
        "| query | filters | matches | page ms | count ms |",
        "|---|---|---:|---:|---:|",
    ]
    for text, filters, _, total, page_ms, count_ms in sorted(pg["per_query"], key=lambda r: -r[4])[:5]:
        shown = ", ".join(f"{k}={v}" for k, v in filters.items()) or "-"
        rows.append(f"| {text or '-'} | {shown} | {total:,} | {page_ms:.1f} | {count_ms:.1f} |")
    same = all(a[3] == b[3] for a, b in zip(lite["per_query"], pg["per_query"], strict=True))
    rows += ["", f"Match counts equal between the backends for every query: {'yes' if same else 'NO'}.", END]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {RESULTS.name} alone")
    args = parser.parse_args(argv)
    command = (
        "python benchmarks/bench_pg.py"
        + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )

    server, why = pg_server.start(fast=False)
    if server is None:
        print(f"bench_pg: no PostgreSQL server: {why}", file=sys.stderr)
        return 1
    fig: dict = {}
    try:
        with psycopg.connect(server.admin_url) as c:
            fig["pg_version"] = c.execute("SHOW server_version").fetchone()[0].split()[0]
        t0 = time.perf_counter()
        pairs = bench_store.analyzed(bench_store.load_articles(bench_store.ARTICLES))
        fig["analyze_s"], fig["corpus"] = time.perf_counter() - t0, len(pairs)
        items = workload(pairs, args.articles)
        fig["articles"] = len(items)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            fig["sqlite_s"] = store_run(work / "store.db", items)
            fig["pg_s"] = store_run(pg_server.new_database(server.admin_url, None), items)
            url = pg_server.new_database(server.admin_url, None)
            with psycopg.connect(server.admin_url, autocommit=True) as c:
                c.execute(f"ALTER DATABASE {url.rsplit('/', 1)[1]} SET synchronous_commit = off")
            fig["pg_async_s"] = store_run(url, items)
            url = pg_server.new_database(server.admin_url, None)
            open_store(url).close()
            fig["pg_par_s"] = parallel_run(url, items)
            print(f"store: {fig}", file=sys.stderr)
            fig["ingest_sqlite"] = ingest_run(str(work / "ingest.db"))
            fig["ingest_pg"] = ingest_run(pg_server.new_database(server.admin_url, None))
            print(f"ingest: {fig['ingest_sqlite']:.1f} s / {fig['ingest_pg']:.1f} s", file=sys.stderr)
            fig["big_sqlite"] = bench_store.build_big(pairs, args.statements, work)
            big_url = pg_server.new_database(server.admin_url, None)
            fig["big_pg"] = build_big_pg(pairs, args.statements, big_url)
            fig["lat_sqlite"] = bench_store.latency(fig["big_sqlite"]["path"], args.repeat)
            fig["lat_pg"] = bench_store.latency(big_url, args.repeat)
    finally:
        server.stop()
    section = report(args, fig, command)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
