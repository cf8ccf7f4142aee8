"""Throughput of ``qala.nlp.analyze`` on one core over the news corpus.

Runs ``analyze`` over all articles, again and again, until ``--seconds`` have passed,
then profiles one separate pass with cProfile, and writes the figures into the
``<!-- bench:analyze -->`` block of ``benchmarks/RESULTS.md`` (other blocks are kept).

    python benchmarks/bench_analyze.py [--seconds 20] [--articles PATH] [--no-write]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from results import cpu_model, git_commit, write_section  # noqa: E402

from qala.nlp import analyze

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "data" / "news" / "articles.jsonl"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- bench:analyze -->", "<!-- /bench:analyze -->"
TOP = 10


def load_articles(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def meta_of(article: dict) -> dict:
    return {k: article.get(k) for k in ("title", "url", "outlet")} | {"published": article.get("date")}


def timed_run(articles: list[dict], seconds: float) -> dict:
    """Whole passes are not required: the clock is checked after every article."""
    words = [len(a["text"].split()) for a in articles]
    n_docs = n_words = n_chars = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        for article, w in zip(articles, words, strict=True):
            analyze(article["text"], meta_of(article), id=article.get("id"))
            n_docs += 1
            n_words += w
            n_chars += len(article["text"])
            if time.perf_counter() - wall0 >= seconds:
                break
        else:
            continue
        break
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux; before profiling
    return {
        "docs": n_docs,
        "words": n_words,
        "chars": n_chars,
        "wall": wall,
        "cpu": cpu,
        "passes": n_docs / len(articles),
        "rss_mib": rss_mib,
    }


def tokenize_pass(articles: list[dict]) -> float:
    """CPU seconds of one sentence split + tokenization pass: the yardstick analyze is compared to
    (CPU time, so that a loaded machine moves both alike)."""
    from qala.nlp.segment import split_sentences, tokenize

    cpu0 = time.process_time()
    for article in articles:
        tokenize(article["text"], split_sentences(article["text"]))
    return time.process_time() - cpu0


def profile_pass(articles: list[dict]) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        analyze(article["text"], meta_of(article), id=article.get("id"))
    profiler.disable()
    return pstats.Stats(profiler)


def function_name(key: tuple[str, int, str]) -> str:
    file, line, name = key
    if file == "~":  # built-ins
        return name
    for root in (str(REPO / "src") + os.sep, os.sep + "site-packages" + os.sep, os.sep + "lib" + os.sep):
        if root in file:
            file = file.split(root, 1)[1]
            break
    return f"{file}:{line} {name}"


def top_functions(stats: pstats.Stats, sort: str) -> list[tuple[str, int, float, float]]:
    rows = []
    for key, (_, ncalls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if key[0] == __file__ or "_lsprof" in key[2]:
            continue
        rows.append((function_name(key), ncalls, own, cumulative))
    index = 3 if sort == "cumulative" else 2
    return sorted(rows, key=lambda r: r[index], reverse=True)[:TOP]


def report(run: dict, warmup: float, n_articles: int, stats: pstats.Stats, command: str) -> str:
    profiled = stats.total_tt  # type: ignore[attr-defined]

    def table(sort: str) -> list[str]:
        lines = ["| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
        for name, calls, own, cumulative in top_functions(stats, sort):
            lines.append(f"| `{name}` | {calls} | {own:.3f} | {cumulative:.3f} |")
        return lines

    lines = [
        BEGIN,
        "## analyze: single-core throughput",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit `{git_commit()}`",
        f"- machine: {cpu_model()}, {os.cpu_count()} logical CPUs; Python {platform.python_version()}"
        f" ({platform.system()} {platform.release()})",
        f"- command: `{command}`",
        f"- corpus: {n_articles} articles of `../shared/data/news/articles.jsonl`; one process (= one core)",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| articles analyzed (passes) | {run['docs']} ({run['passes']:.2f}) |",
        f"| wall time, s | {run['wall']:.1f} |",
        f"| articles/s (= per core) | {run['docs'] / run['wall']:.1f} |",
        f"| words/s (= per core, whitespace words) | {run['words'] / run['wall']:,.0f} |",
        f"| characters/s | {run['chars'] / run['wall']:,.0f} |",
        f"| CPU s per wall s | {run['cpu'] / run['wall']:.2f} |",
        f"| articles per CPU s (= per core on an idle machine) | {run['docs'] / run['cpu']:.1f} |",
        f"| one tokenization pass, CPU s / analyze pass, CPU s | {run['tokenize_cpu']:.3f} /"
        f" {run['cpu'] / run['passes']:.3f} ({run['cpu'] / run['passes'] / run['tokenize_cpu']:.1f}x) |",
        f"| first call (loads resources), s | {warmup:.3f} |",
        f"| peak RSS, MiB | {run['rss_mib']:.0f} |",
        "",
        f"cProfile of one separate pass ({profiled:.1f} s under the profiler), top {TOP} by cumulative time:",
        "",
        *table("cumulative"),
        "",
        f"Top {TOP} by own time:",
        "",
        *table("own"),
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="minimum timed duration (default 20)")
    parser.add_argument(
        "--articles", type=Path, default=ARTICLES, help="JSONL corpus (default: the news corpus)"
    )
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {RESULTS.name} alone")
    args = parser.parse_args(argv)

    articles = load_articles(args.articles)
    if not articles:
        parser.error(f"no articles in {args.articles}")
    t0 = time.perf_counter()
    analyze(articles[0]["text"], meta_of(articles[0]), id=articles[0].get("id"))
    warmup = time.perf_counter() - t0

    run = timed_run(articles, args.seconds)
    run["tokenize_cpu"] = min(tokenize_pass(articles) for _ in range(3))
    stats = profile_pass(articles)
    command = " ".join(
        ["python", "benchmarks/bench_analyze.py", *(argv if argv is not None else sys.argv[1:])]
    )
    section = report(run, warmup, len(articles), stats, command)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
