"""``make fuzz``'s driver (``scripts/fuzz.py``) on a few inputs: it runs, and it counts what it finds."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import fuzz  # noqa: E402


def test_fuzz_analyze_chunk_finds_nothing_in_generated_inputs() -> None:
    tally = fuzz._analyze_chunk((7, 60))
    assert tally.inputs == 60 and tally.chars > 0
    assert (tally.crashes, tally.offset_errors, tally.hangs) == (0, 0, 0), tally.examples


def spin(text: str) -> list[str]:
    """Burns 0.05 s of CPU: a hang counts CPU time, not the clock."""
    start = time.process_time()
    while time.process_time() - start < 0.05:
        pass
    return []


def test_fuzz_counts_crashes_offset_errors_and_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz, "HANG_BASE", 0.01)
    tally = fuzz.Tally()
    fuzz._timed(tally, "a", lambda text: [str(1 / 0)])
    fuzz._timed(tally, "b", lambda text: ["offset: quote 0 cue 1..2 'x'"])
    fuzz._timed(tally, "c", spin)
    assert (tally.inputs, tally.crashes, tally.offset_errors, tally.hangs) == (3, 1, 1, 1)
    assert tally.examples["crash"] == [{"text": "a", "detail": "crash: ZeroDivisionError: division by zero"}]
    assert tally.examples["hang"][0]["text"] == "c"


def test_fuzz_generator_is_reproducible_and_varied() -> None:
    import random

    first = [fuzz.random_text(random.Random(3)) for _ in range(5)]
    again = [fuzz.random_text(random.Random(3)) for _ in range(5)]
    assert first == again
    rng = random.Random(11)
    texts = [fuzz.random_text(rng) for _ in range(300)]
    assert any(any("\ud800" <= ch <= "\udfff" for ch in t) for t in texts)  # lone surrogates
    assert any(len(t) > 5_000 for t in texts) and any(len(t) < 5 for t in texts)
