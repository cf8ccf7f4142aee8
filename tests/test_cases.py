"""The rule modules' examples as a case table: every row of ``tests/cases/*.tsv``.

A row says that among the statements of ``analyze(text)`` there is one with this cue, content,
speaker and resolution; a row whose cue is ``-`` says that the text yields no statement at all,
and a speaker ``-`` stands for a statement with no speaker. ``rule`` names the function or step
the example documents, ``note`` what the row pins. The texts are ours, written for the table.

A malformed table (a missing or unknown column, a short row, an empty or duplicate id, a row
that contradicts itself) does not vanish: each problem is a failing case of its own.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qala.nlp import analyze

CASES = Path(__file__).resolve().parent / "cases"
COLUMNS = ("id", "text", "cue", "content", "speaker", "resolution", "rule", "note")
NONE = "-"


def _problems_of(row: dict[str, str]) -> list[str]:
    """What is wrong with one well-shaped row: empty fields, or a row that contradicts itself."""
    problems = [f"empty {col!r}" for col in COLUMNS if not row[col].strip()]
    if problems:
        return problems
    if row["cue"] == NONE and any(row[col] != NONE for col in ("content", "speaker", "resolution")):
        problems.append("a row with no statement (cue '-') must have '-' for content, speaker and resolution")
    if row["cue"] != NONE and row["content"] == NONE:
        problems.append("a statement row needs its content")
    if (row["speaker"] == NONE) != (row["resolution"] == NONE):
        problems.append("speaker and resolution must both be '-' or neither")
    return problems


def load_cases(folder: Path = CASES) -> list:
    """One pytest param per row, with its id; a problem in a table becomes a param that fails."""
    params: list = []
    seen: dict[str, str] = {}

    def malformed(where: str, why: str) -> None:
        params.append(pytest.param(f"{where}: {why}", id=f"malformed:{where}"))

    tables = sorted(folder.glob("*.tsv"))
    if not tables:
        malformed(folder.name, "no *.tsv case tables")
    for path in tables:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None or sorted(header) != sorted(COLUMNS):
                missing = sorted(set(COLUMNS) - set(header or []))
                unknown = sorted(set(header or []) - set(COLUMNS))
                malformed(path.name, f"header {header!r}: missing {missing}, unknown {unknown}")
                continue
            rows = 0
            for fields in reader:
                where = f"{path.name}:{reader.line_num}"
                if not any(f.strip() for f in fields):
                    continue
                if len(fields) != len(header):
                    malformed(where, f"{len(fields)} fields, expected {len(header)}: {fields!r}")
                    continue
                row = dict(zip(header, fields, strict=True))
                problems = _problems_of(row)
                if row["id"] in seen:
                    problems.append(f"duplicate id {row['id']!r} (first in {seen[row['id']]})")
                if problems:
                    malformed(where, "; ".join(problems))
                    continue
                seen[row["id"]] = where
                rows += 1
                params.append(pytest.param(row, id=row["id"]))
            if not rows:
                malformed(path.name, "a table with no rows")
    return params


def statements(text: str) -> list[tuple[str, str, str, str]]:
    """(cue, content, speaker name, resolution) of every statement, ``-`` for no speaker."""
    got = []
    for q in analyze(text).to_dict()["quotes"]:
        spk = q["speaker"] or {"name": NONE, "resolution": NONE}
        got.append((q["cue"]["text"], q["content"]["text"], spk["name"], spk["resolution"]))
    return got


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict[str, str] | str) -> None:
    if isinstance(case, str):
        pytest.fail(f"malformed case table {case}", pytrace=False)
    got = statements(case["text"])
    why = f"{case['rule']}: {case['note']}"
    if case["cue"] == NONE:
        assert got == [], why
    else:
        assert (case["cue"], case["content"], case["speaker"], case["resolution"]) in got, why
