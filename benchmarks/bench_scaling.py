"""How ``analyze``'s time grows with the text's length, on one core.

Builds texts of 100 kB, 1 MB and 5 MB (UTF-8 bytes) of real news by joining the articles of
``../shared/data/news/articles.jsonl`` one after another (blank line between them; built at run
time, never stored), plus the repetition that was quadratic (``"." * 160,000``), analyzes each
once after a warm-up, and writes the CPU times into the ``<!-- bench:scaling -->`` block of
``benchmarks/RESULTS.md``. The targets: 5 MB at most 6× the time of 1 MB, and at most 1 s per
100 kB.

    python benchmarks/bench_scaling.py [--sizes 100000,1000000,5000000] [--no-write]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

from results import cpu_model, git_commit, write_section

from qala.nlp import analyze

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "data" / "news" / "articles.jsonl"


def news_text(n_bytes: int) -> str:
    """Whole articles, one after another, until ``n_bytes`` UTF-8 bytes; cut at a character."""
    with ARTICLES.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    parts: list[str] = []
    size = k = 0
    while size < n_bytes:
        parts.append(texts[k % len(texts)])
        size += len(parts[-1].encode()) + 2
        k += 1
    data = "\n\n".join(parts).encode()[:n_bytes]
    return data.decode("utf-8", "ignore")  # a cut inside a character drops it


def timed(text: str) -> tuple[float, int]:
    gc.collect()
    start = time.process_time()
    doc = analyze(text)
    took = time.process_time() - start
    assert not doc.analysis_errors, doc.analysis_errors
    return took, len(doc.quotes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000,5000000", help="text sizes in UTF-8 bytes")
    ap.add_argument("--no-write", action="store_true", help="do not update benchmarks/RESULTS.md")
    args = ap.parse_args()
    analyze(news_text(20_000))  # load the models and warm the caches
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        text = news_text(n)
        seconds, quotes = timed(text)
        rows.append((f"news, {n / 1e6:g} MB" if n >= 1e6 else f"news, {n / 1e3:g} kB", n, len(text), seconds, quotes))
        print(f"{rows[-1][0]}: {len(text):,} chars, {seconds:.2f} s, {quotes} statements", flush=True)
    dots = "." * 160_000
    seconds, quotes = timed(dots)
    rows.append(('`"." × 160,000`', len(dots), len(dots), seconds, quotes))
    print(f"dots: {seconds:.2f} s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_size = {r[1]: r[3] for r in rows[:-1]}
    ratio = by_size[5_000_000] / by_size[1_000_000] if {1_000_000, 5_000_000} <= set(by_size) else None
    lines = [
        "<!-- bench:scaling -->",
        "## analyze: time against text length (one core)",
        "",
        f"`python benchmarks/bench_scaling.py` ({datetime.now(UTC):%Y-%m-%d %H:%M UTC}, commit `{git_commit()}`,"
        f" {cpu_model()}): one `analyze` call per text, CPU seconds after a warm-up. News texts are the",
        "408 articles of `../shared/data/news/articles.jsonl` joined one after another until the size"
        " (UTF-8 bytes), built at run time.",
        "",
        "| text | bytes | characters | seconds | s per 100 kB | statements |",
        "|---|---|---|---|---|---|",
    ]
    for name, n, chars, seconds, quotes in rows:
        lines.append(f"| {name} | {n:,} | {chars:,} | {seconds:.2f} | {seconds * 1e5 / n:.2f} | {quotes:,} |")
    lines += [
        "",
        (f"5 MB takes {ratio:.2f}× the time of 1 MB (target ≤ 6×)" if ratio else "")
        + f"; peak RSS {peak:,.0f} MB. Before the indexes of issue 14: 1.15 MB 38 s, 2.3 MB 164 s,"
        ' 5.2 MB 730 s, `"." × 160,000` 21 s.',
        "<!-- /bench:scaling -->",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
