"""Throughput of ``find_dates`` + ``find_links`` on one core over the news corpus.

Runs both over all articles, again and again, until ``--seconds`` have passed, and writes the
figures into the ``<!-- bench:dates -->`` block of ``benchmarks/RESULTS.md`` (other blocks
are kept).

    python benchmarks/bench_dates.py [--seconds 10] [--articles PATH] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from results import cpu_model, git_commit, write_section  # noqa: E402

from qala.nlp.dates import find_dates
from qala.nlp.doc import Doc
from qala.nlp.links import find_links

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "data" / "news" / "articles.jsonl"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- bench:dates -->", "<!-- /bench:dates -->"


def load_docs(path: Path) -> list[Doc]:
    with path.open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    return [Doc(a["text"], id=a.get("id"), meta={"published": a.get("date")}) for a in articles]


def timed_run(docs: list[Doc], seconds: float) -> dict:
    """Whole passes are not required: the clock is checked after every article."""
    words = [len(d.text.split()) for d in docs]
    n_docs = n_words = n_chars = n_dates = n_links = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        for doc, w in zip(docs, words, strict=True):
            n_dates += len(find_dates(doc))
            n_links += len(find_links(doc))
            n_docs += 1
            n_words += w
            n_chars += len(doc.text)
            if time.perf_counter() - wall0 >= seconds:
                break
        else:
            continue
        break
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {
        "docs": n_docs,
        "words": n_words,
        "chars": n_chars,
        "wall": wall,
        "cpu": cpu,
        "passes": n_docs / len(docs),
        "dates": n_dates,
        "links": n_links,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    }


def report(run: dict, warmup: float, n_articles: int, command: str) -> str:
    per_pass = run["docs"] or 1
    lines = [
        BEGIN,
        "## dates + links: single-core throughput",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit `{git_commit()}`",
        f"- machine: {cpu_model()}, {os.cpu_count()} logical CPUs; Python {platform.python_version()}"
        f" ({platform.system()} {platform.release()})",
        f"- command: `{command}`",
        f"- corpus: {n_articles} articles of `../shared/data/news/articles.jsonl`; one process (= one core);"
        " `find_dates` and `find_links` on each (no segmentation or quotes)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| articles processed (passes) | {run['docs']} ({run['passes']:.2f}) |",
        f"| wall time, s | {run['wall']:.1f} |",
        f"| articles/s (= per core) | {run['docs'] / run['wall']:.1f} |",
        f"| words/s (= per core, whitespace words) | {run['words'] / run['wall']:,.0f} |",
        f"| characters/s | {run['chars'] / run['wall']:,.0f} |",
        f"| date spans / links per article | {run['dates'] / per_pass:.2f} / {run['links'] / per_pass:.3f} |",
        f"| CPU s per wall s | {run['cpu'] / run['wall']:.2f} |",
        f"| first call (loads CLDR names and word lists, compiles patterns), s | {warmup:.3f} |",
        f"| peak RSS, MiB | {run['rss_mib']:.0f} |",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="minimum timed duration (default 10)")
    parser.add_argument(
        "--articles", type=Path, default=ARTICLES, help="JSONL corpus (default: the news corpus)"
    )
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {RESULTS.name} alone")
    args = parser.parse_args(argv)

    docs = load_docs(args.articles)
    if not docs:
        parser.error(f"no articles in {args.articles}")
    t0 = time.perf_counter()
    find_dates(docs[0])
    find_links(docs[0])
    warmup = time.perf_counter() - t0

    run = timed_run(docs, args.seconds)
    command = " ".join(["python", "benchmarks/bench_dates.py", *(argv if argv is not None else sys.argv[1:])])
    section = report(run, warmup, len(docs), command)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
