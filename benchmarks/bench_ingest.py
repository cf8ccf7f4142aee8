"""Ingest throughput into a fresh SQLite database with 2 worker processes: JSONL and HTML input.

JSONL: the 408 news articles, repeated with fresh ids and URLs and a lightly perturbed text
(a number token appended to the last line) until ``--jsonl-articles`` is reached, so that
deduplication does not skip them. HTML: the 10 real pages, replicated ``--html-copies``
times to files with a number token after every «في» and a canonical URL of their own (so
each copy is a new article). Both are timed end to end (`qala.ingest.run.ingest`: pool start, reading,
extraction, ``analyze``, one writer), then the two ceilings of the design are measured on
their own: ``analyze`` on one core and ``store.add_article`` in the one writer process.
Writes the ``<!-- bench:ingest -->`` block of ``benchmarks/RESULTS.md`` (other blocks are kept).

    python benchmarks/bench_ingest.py [--workers 2] [--jsonl-articles 2040] [--html-copies 20] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

# A sibling script: python puts this folder on sys.path.
from results import RESULTS, cpu_model, git_commit, write_section

from qala.ingest.jsonl import iter_jsonl, read_jsonl_line
from qala.ingest.run import ingest
from qala.nlp import Doc, analyze
from qala.store import open_store

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news"
BEGIN, END = "<!-- bench:ingest -->", "<!-- /bench:ingest -->"
CANONICAL = re.compile(
    r"<link[^>]+rel=[\"']canonical[\"'][^>]*>|<meta[^>]+(?:og:url|twitter:url)[^>]*>", re.IGNORECASE
)


HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def make_jsonl(path: Path, n: int) -> None:
    articles = [json.loads(line) for line in (NEWS / "articles.jsonl").open(encoding="utf-8") if line.strip()]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            a = dict(articles[i % len(articles)])
            copy = i // len(articles)
            a["id"] = f"{a['id']}-copy{copy}"
            if copy:
                a["url"] = f"https://bench.test/{copy}/{a['id']}"
                a["text"] = a["text"].rstrip() + f" {copy}"
            f.write(json.dumps(a, ensure_ascii=False) + "\n")


def make_html(folder: Path, copies: int) -> int:
    folder.mkdir()
    n = 0
    for page in sorted((NEWS / "html").glob("*.html")):
        html = CANONICAL.sub("", page.read_text(encoding="utf-8"))
        for k in range(copies):
            canonical = f'<link rel="canonical" href="https://bench.test/{page.stem}/{k}">'
            copy = HEAD.sub(lambda m, c=canonical: m.group(0) + c, html, count=1).replace(" في ", f" في {k} ")
            (folder / f"{page.stem}-{k}.html").write_text(copy, encoding="utf-8")
            n += 1
    return n


def timed_ingest(inputs: list[Path], db: Path, workers: int) -> dict:
    t0 = time.perf_counter()
    summary = ingest(inputs, db, workers=workers, progress=False)
    wall = time.perf_counter() - t0
    store = open_store(db)
    try:
        words = sum(len(row["text"].split()) for row in store.articles())
    finally:
        store.close()
    return {"summary": summary, "wall": wall, "words": words}


def ceilings(n: int = 408) -> dict:
    """analyze on one core, and add_article alone, over the first ``n`` news articles."""
    records = [read_jsonl_line(line) for line in iter_jsonl(NEWS / "articles.jsonl")][:n]
    analyze(records[0].text)  # loads resources
    t0 = time.perf_counter()
    docs = [analyze(r.text, r.meta(), id=r.id).to_dict() for r in records]
    analyze_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "ceiling.db")
        t0 = time.perf_counter()
        for record, doc in zip(records, docs, strict=True):
            store.add_article(record, Doc.from_dict(doc))
        store_s = time.perf_counter() - t0
        store.close()
    return {"n": len(records), "analyze": len(records) / analyze_s, "store": len(records) / store_s}


def rss_mib() -> tuple[float, float]:
    """Peak RSS of this process (the writer) and of the largest worker, in MiB."""
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )


def report(
    jsonl: dict, html: dict, ceiling: dict, workers: int, rss: tuple[float, float], command: str
) -> str:
    def row(name: str, run: dict) -> str:
        s = run["summary"]
        return (
            f"| {name} | {s.new} | {s.duplicate} | {s.n_failed} | {run['wall']:.1f} | "
            f"{s.new / run['wall']:.1f} | {run['words'] / run['wall']:,.0f} |"
        )

    return "\n".join(
        [
            BEGIN,
            f"## ingest: throughput into SQLite, {workers} workers",
            "",
            f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{git_commit()}`",
            f"- machine: {cpu_model()}, {os.cpu_count()} logical CPUs; Python {sys.version.split()[0]}",
            f"- command: `{command}`",
            "- end to end: `qala.ingest.run.ingest` into a fresh database (pool start, reading, decoding,"
            " extraction, `analyze`, one writer with one transaction per article)",
            "",
            "| input | new | duplicate | failed | wall s | articles/s | words/s |",
            "|---|---:|---:|---:|---:|---:|---:|",
            row("JSONL (news articles, perturbed copies)", jsonl),
            row("HTML files (10 real pages, perturbed copies)", html),
            "",
            f"Peak RSS: writer process {rss[0]:.0f} MiB, largest worker {rss[1]:.0f} MiB.",
            "",
            f"Ceilings, measured alone on {ceiling['n']} news articles: `analyze` on one core"
            f" {ceiling['analyze']:.1f} articles/s (so {workers} workers cannot pass"
            f" {workers * ceiling['analyze']:.0f}/s); the writer's `add_article` {ceiling['store']:.1f} articles/s.",
            END,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--jsonl-articles", type=int, default=2040, help="JSONL articles (default 2040 = 5 × 408)"
    )
    parser.add_argument("--html-copies", type=int, default=20, help="copies of each HTML page (default 20)")
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {RESULTS.name} alone")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        make_jsonl(tmp_path / "articles.jsonl", args.jsonl_articles)
        make_html(tmp_path / "html", args.html_copies)
        jsonl = timed_ingest([tmp_path / "articles.jsonl"], tmp_path / "jsonl.db", args.workers)
        html = timed_ingest([tmp_path / "html"], tmp_path / "html.db", args.workers)
    rss = rss_mib()
    ceiling = ceilings()
    command = " ".join(
        ["python", "benchmarks/bench_ingest.py", *(argv if argv is not None else sys.argv[1:])]
    )
    section = report(jsonl, html, ceiling, args.workers, rss, command)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
