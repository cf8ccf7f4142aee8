"""``make fuzz``: generated inputs through qala's entry points, counting crashes and hangs.

Each target is one function ``(count, seed) -> Tally`` in ``TARGETS``; ``fuzz_analyze`` sends
texts through ``qala.nlp.analyze``: slices of real news mutated byte by byte, salads of the
words the rules look for (cues, titles, quotation marks, complementizers), random characters
of every class (surrogates, NUL, controls, invisibles, astral) and long repetitions of one
unit (``"." * 20000``), and mixtures of them. An input is a crash when ``analyze`` raises or records an
``analysis_errors`` entry, an offset error when a span does not point at its own text, and a
hang when it takes more than ``HANG_BASE + HANG_PER_CHAR * len(text)`` CPU seconds (an input is
stopped after ``HANG_STOP`` CPU seconds). CPU time, not the clock: on a shared machine the clock
also counts the time other processes had the core. The first failing inputs are written to ``--failures``
as JSON so that each can be replayed; the counts go to this target's block of
``benchmarks/RESULTS.md``.

    python scripts/fuzz.py [--target analyze] [--count 100000] [--seed 0] [--workers 2] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from results import cpu_model, git_commit, write_section  # noqa: E402

ARTICLES = REPO.parent / "shared" / "data" / "news" / "articles.jsonl"
CHUNK = 500  # inputs per task: a worker reports back this often
HANG_BASE = 1.0  # seconds any input may take ...
HANG_PER_CHAR = 2e-5  # ... plus this per character (2 s per 100,000 characters)
HANG_STOP = 30.0  # an input still running after this many CPU seconds is stopped and counted as a hang
KEEP = 20  # failing inputs written per kind


@dataclass(slots=True)
class Tally:
    """What one batch of generated inputs did."""

    inputs: int = 0
    chars: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    crashes: int = 0
    offset_errors: int = 0
    hangs: int = 0
    examples: dict[str, list[dict]] = field(default_factory=dict)  # kind -> first failing inputs

    def add(self, other: Tally) -> None:
        self.inputs += other.inputs
        self.chars += other.chars
        self.seconds += other.seconds
        self.slowest = max(self.slowest, other.slowest)
        self.crashes += other.crashes
        self.offset_errors += other.offset_errors
        self.hangs += other.hangs
        for kind, items in other.examples.items():
            kept = self.examples.setdefault(kind, [])
            kept.extend(items[: KEEP - len(kept)])

    def failed(self, kind: str, text: str, detail: str) -> None:
        kept = self.examples.setdefault(kind, [])
        if len(kept) < KEEP:
            kept.append({"text": text, "detail": detail})


# -- generated texts ---------------------------------------------------------------------------

_CLASSES = (
    "ابتثجحخدذرسشصضطظعغفقكلمنهوي" + "ءآأؤإئةى",  # letters
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640",  # diacritics, tatweel
    ".،,:؛;!?؟…-–—_()[]{}/#@%&*+=<>|\\~^'`",  # punctuation
    '"“”«»„‟‹›',  # quotation marks
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲٫٬",  # digits
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    " \n\n\t\r\u00a0\u2028\u2029\x85\x0b\x0c",  # blanks and line breaks
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff",
    "\x00\x01\x07\x1b\x7f\ud800\udbff\udc00\udfff\ufffd\ufffe\uffff",  # NUL, controls, surrogates
    "😀🇸🇦𝐀𐍈中文한국어עבריתРусский",  # astral and other scripts
)
_PIECES = ("http://", "https://", "www.", ".com", "@", "://", "youtu.be/", "?v=", "[", "]", "%", "\n\n", ": ", "، ", ". ")


@cache
def news_texts() -> tuple[str, ...]:
    with ARTICLES.open(encoding="utf-8") as f:
        return tuple(json.loads(line)["text"] for line in f if line.strip())


@cache
def rule_words() -> tuple[str, ...]:
    """The words the rules look for, from ``lang/ar`` (cues, titles, complementizers, months ...)."""
    words: set[str] = set()
    for entry in files("qala").joinpath("lang", "ar").iterdir():
        if entry.name.endswith((".txt", ".tsv")) and "vocabulary" not in entry.name:
            for line in entry.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    words.update(w for w in line.replace("\t", " ").split() if w != "-")
    return tuple(sorted(words))


def _chars(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(rng.choice(_CLASSES)) for _ in range(n))


def _mutate(rng: random.Random, text: str) -> str:
    """A few insertions, deletions, duplications and swaps of characters and pieces."""
    out = list(text)
    for _ in range(rng.randint(1, 12)):
        if not out:
            out = list(_chars(rng, 3))
        i = rng.randrange(len(out))
        op = rng.random()
        if op < 0.3:
            out.insert(i, rng.choice(rng.choice(_CLASSES)))
        elif op < 0.5:
            del out[i : i + rng.randint(1, 8)]
        elif op < 0.7:
            out[i:i] = list(rng.choice(_PIECES + tuple(_CLASSES[3])))
        elif op < 0.85:
            j = min(len(out), i + rng.randint(1, 40))
            out[j:j] = out[i:j]
        else:
            out[i] = rng.choice(rng.choice(_CLASSES))
    return "".join(out)


def _slice(rng: random.Random) -> str:
    text = rng.choice(news_texts())
    a = rng.randrange(len(text))
    return text[a : a + rng.choice((20, 80, 300, 1000, 3000))]


def _salad(rng: random.Random) -> str:
    words = rule_words()
    seps = (" ", " ", " ", "، ", ": ", ". ", "\n", ' "', '" ', " «", "» ", " “", "” ", "")
    return "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 120)))


def _repetition(rng: random.Random) -> str:
    unit = rng.choice((".", "،", '"', "«", ":", "\n", "@", "a.", "ـ", " ", "قال ", "أن ", "http://a", "1.", _chars(rng, 3)))
    return unit * rng.randint(50, 20000 // len(unit))


def _code_points(rng: random.Random, n: int) -> str:
    """Any code points at all, astral planes and lone surrogates included."""
    return "".join(chr(rng.randrange(0x110000) if rng.random() < 0.3 else rng.randrange(0x10000)) for _ in range(n))


def _piece(rng: random.Random) -> str:
    mode = rng.random()
    if mode < 0.4:
        return _mutate(rng, _slice(rng))
    if mode < 0.7:
        return _mutate(rng, _salad(rng)) if rng.random() < 0.5 else _salad(rng)
    if mode < 0.9:
        return _chars(rng, rng.choice((0, 1, 2, 5, 20, 100, 400)))
    return _code_points(rng, rng.choice((1, 3, 10, 50, 200)))


def random_text(rng: random.Random) -> str:
    """One generated input: mutated news, a word salad, random characters or code points, a mixture
    of those, or a long repetition."""
    mode = rng.random()
    if mode < 0.75:
        return _piece(rng)
    if mode < 0.9:
        return "".join(_piece(rng) for _ in range(rng.randint(2, 4)))
    return _repetition(rng)


# -- running ------------------------------------------------------------------------------------


class _Stopped(Exception):
    """An input ran past ``HANG_STOP``."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _timed(tally: Tally, text: str, run: Callable[[str], list[str]]) -> None:
    """Run one input under the alarm and count what happened."""
    signal.signal(signal.SIGPROF, _stop)
    signal.setitimer(signal.ITIMER_PROF, HANG_STOP)
    t0 = time.process_time()
    try:
        problems = run(text)
    except _Stopped:
        problems = [f"hang: stopped after {HANG_STOP:.0f} s"]
    except Exception as e:  # what we are looking for
        problems = [f"crash: {type(e).__name__}: {e}"]
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    took = time.process_time() - t0
    tally.inputs += 1
    tally.chars += len(text)
    tally.seconds += took
    tally.slowest = max(tally.slowest, took)
    if took > HANG_BASE + HANG_PER_CHAR * len(text) and not any(p.startswith("hang") for p in problems):
        problems.append(f"hang: {took:.2f} s for {len(text)} characters")
    for p in problems:
        kind = p.split(":", 1)[0]
        if kind == "hang":
            tally.hangs += 1
        elif kind == "offset":
            tally.offset_errors += 1
        else:
            tally.crashes += 1
        tally.failed(kind, text, p)


def check_analyze(text: str) -> list[str]:
    """``analyze`` on one text: its analysis errors and offset errors, as ``kind: detail``."""
    from qala.nlp import analyze

    doc = analyze(text)
    problems = [f"crash: {component}: {error}" for component, error in doc.analysis_errors]
    problems += [f"offset: {e}" for e in doc.offset_errors()[:3]]
    json.dumps(doc.to_dict(), ensure_ascii=False)  # the JSON form must exist for any text
    return problems


def _analyze_chunk(args: tuple[int, int]) -> Tally:
    seed, count = args
    rng = random.Random(seed)
    tally = Tally()
    for _ in range(count):
        _timed(tally, random_text(rng), check_analyze)
    return tally


def _chunks(count: int, seed: int) -> Iterator[tuple[int, int]]:
    for k, start in enumerate(range(0, count, CHUNK)):
        yield seed * 1_000_003 + k, min(CHUNK, count - start)


def run_chunks(work: Callable[[tuple[int, int]], Tally], count: int, seed: int, workers: int) -> Tally:
    """``count`` inputs in chunks of ``CHUNK`` over ``workers`` processes, with progress on stderr."""
    total = Tally()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part in pool.imap_unordered(work, _chunks(count, seed)):
            total.add(part)
            print(f"\r{total.inputs:,} inputs, {total.crashes} crashes, {total.hangs} hangs",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return total


def fuzz_analyze(count: int, seed: int, workers: int) -> Tally:
    """Generated texts through ``qala.nlp.analyze``."""
    from qala.nlp import analyze

    analyze("قال الرئيس إن")  # load the models before forking
    return run_chunks(_analyze_chunk, count, seed, workers)


TARGETS: dict[str, Callable[[int, int, int], Tally]] = {"analyze": fuzz_analyze}


def section(target: str, tally: Tally, seed: int, workers: int, wall: float) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!-- bench:fuzz-{target} -->
## fuzz: {target}

`make fuzz` (`python scripts/fuzz.py --target {target} --count {tally.inputs} --seed {seed} --workers {workers}`),
{stamp}, commit `{git_commit()}`, {cpu_model()}, {workers} worker processes, {wall:.0f} s wall.
The generators are described in `scripts/fuzz.py`; a crash is an exception or a failed component,
a hang an input that took more than {HANG_BASE:g} s + {HANG_PER_CHAR * 1e5:g} s per 100,000 characters of CPU time.

| inputs | characters | crashes | offset errors | hangs | mean CPU ms / input | slowest input (CPU s) |
|---|---|---|---|---|---|---|
| {tally.inputs:,} | {tally.chars:,} | {tally.crashes} | {tally.offset_errors} | {tally.hangs} | {1000 * tally.seconds / max(1, tally.inputs):.2f} | {tally.slowest:.2f} |
<!-- /bench:fuzz-{target} -->"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: every target")
    ap.add_argument("--count", type=int, default=100_000, help="inputs per target (default 100,000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--failures", type=Path, default=REPO / "fuzz-failures",
                    help="folder for the failing inputs (default fuzz-failures/)")
    ap.add_argument("--no-write", action="store_true", help="do not update benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    bad = False
    for target in args.target or sorted(TARGETS):
        t0 = time.perf_counter()
        tally = TARGETS[target](args.count, args.seed, args.workers)
        wall = time.perf_counter() - t0
        print(f"{target}: {tally.inputs:,} inputs, {tally.crashes} crashes, {tally.offset_errors} offset errors,"
              f" {tally.hangs} hangs, slowest {tally.slowest:.2f} s")
        if tally.examples:
            args.failures.mkdir(parents=True, exist_ok=True)
            out = args.failures / f"{target}.json"
            out.write_text(json.dumps(tally.examples, ensure_ascii=True, indent=1), encoding="utf-8")
            print(f"{target}: failing inputs written to {out}")
            bad = True
        if not args.no_write:
            write_section(section(target, tally, args.seed, args.workers, wall))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
