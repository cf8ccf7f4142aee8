"""The word layer: one clitic analysis per token, and word classes from ``lang/ar``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qala.nlp import analyze, langdata
from qala.nlp.normalize import fold
from qala.nlp.words import analyse

TABLE = Path(__file__).resolve().parent / "cases" / "words" / "words.tsv"


def _rows() -> list:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [pytest.param(r, id=r["id"]) for r in rows]


@pytest.mark.parametrize("row", _rows())
def test_words_case_table(row: dict[str, str]) -> None:
    w = analyse(fold(row["token"]), row["token"])
    got = {
        "conj": w.conj or "-",
        "prep": w.prep or "-",
        "definite": "yes" if w.definite else "no",
        "base": w.base,
        "suffix": w.suffix or "-",
        "classes": ",".join(sorted(w.classes)) or "-",
    }
    want = {k: row[k] for k in got}
    want["classes"] = ",".join(sorted(want["classes"].split(","))) if want["classes"] != "-" else "-"
    assert got == want, row["note"]


def test_words_every_token_and_sentence_range() -> None:
    doc = analyze("وقال المتحدث باسم الحكومة للصحفيين إن الوضع صعب. وأكد الوزير ذلك.")
    assert all(t.word is not None for t in doc.tokens)
    assert [(s.tok_start, s.tok_end) for s in doc.sentences] == [(0, 9), (9, 13)]
    for s in doc.sentences:
        assert all(t.sent == doc.sentences.index(s) for t in doc.tokens[s.tok_start : s.tok_end])
    words = [t.word for t in doc.tokens]
    assert [(w.conj, w.prep, w.base) for w in words[:5:4]] == [("و", "", "قال"), ("", "ل", "صحفيين")]


def test_words_every_language_file_is_read() -> None:
    """A list in ``lang/ar`` that nothing reads is dead data: analysing and the date and
    NER lexicons between them read every file."""
    from qala.nlp.dates import date_lexicon
    from qala.nlp.ner_features import load_resources

    analyze("قال الرئيس الروسي فلاديمير بوتين يوم الجمعة 4 سبتمبر 2015 إن الوضع «صعب» في موسكو.")
    date_lexicon()
    load_resources()
    unread = sorted(set(langdata.names()) - langdata.READ)
    assert unread == []
