"""The match form and its offset map back to the original text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qala.nlp.normalize import Normalized, fold, normalize

ARTICLES = Path(__file__).parents[1].parent / "shared/data/news/articles.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قالَ", "قال"),  # fatha
        ("مُحَمَّدٌ", "محمد"),  # damma, fatha, shadda, tanwin
        ("الرَّحْمٰنِ", "الرحمن"),  # sukun, superscript alef
        ("صلى الله عليه وسلمﷺ", "صلي الله عليه وسلمﷺ"),  # ligature kept, ى folded
        ("قـــال", "قال"),  # tatweel
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
        ("مصطفى على", "مصطفي علي"),  # alef maqsura
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("مؤتمر رئيس", "موتمر رييس"),  # hamza on waw and yeh
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic digits
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),  # Persian digits
        ("نعم، لا؛ لماذا؟", "نعم، لا؛ لماذا؟"),  # Arabic punctuation untouched
        ("بِسْمِ ۖ اللَّهِ", "بسم  الله"),  # Quranic pause mark removed
        ("Le Divan 2017", "Le Divan 2017"),  # Latin untouched
        ("“داعش”", "“داعش”"),
        ("", ""),
    ],
)
def test_normalize_fold_table(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize("text", ["أَحْمَدُ", "مؤسسة الأهرام", "قـــالَ ٣٫٥"])
def test_normalize_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("text", "shadow", "offsets"),
    [
        ("", "", [0]),
        ("قال", "قال", [0, 1, 2, 3]),
        ("قالَ", "قال", [0, 1, 2, 4]),
        ("قـال بُ", "قال ب", [0, 2, 3, 4, 5, 7]),
    ],
)
def test_normalize_offsets(text: str, shadow: str, offsets: list[int]) -> None:
    norm = normalize(text)
    assert norm.text == shadow
    assert list(norm.offsets) == offsets


@pytest.mark.parametrize(
    ("text", "shadow_word", "original"),
    [
        ("قالَ الوزيرُ", "قال", "قالَ"),  # the trailing diacritic comes along
        ("قالَ الوزيرُ", "الوزير", "الوزيرُ"),
        ("إنَّ مُحَمَّداً", "محمدا", "مُحَمَّداً"),
        ("ذهب إلى الســـوق", "السوق", "الســـوق"),
        ("رقم ٣٥ فقط", "35", "٣٥"),
    ],
)
def test_normalize_to_original_covers_whole_word(text: str, shadow_word: str, original: str) -> None:
    norm = normalize(text)
    i = norm.text.index(shadow_word)
    start, end = norm.to_original(i, i + len(shadow_word))
    assert text[start:end] == original


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (2, 1), (0, 99)])
def test_normalize_to_original_rejects_bad_span(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        normalize("قالَ بوتين").to_original(start, end)


def test_normalize_to_original_empty_span() -> None:
    norm = normalize("قالَ بوتين")
    assert norm.to_original(3, 3) == (4, 4)


def test_normalize_is_slotted() -> None:
    assert not hasattr(Normalized("", [0]), "__dict__")


@pytest.mark.slow
def test_normalize_corpus_shadow_maps_back() -> None:
    if not ARTICLES.exists():
        pytest.skip(f"{ARTICLES} not found")
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        norm = normalize(text)
        assert norm.text == fold(text)
        assert len(norm.offsets) == len(norm.text) + 1
        assert norm.offsets[-1] == len(text)
        for m in re.finditer(r"\S+", norm.text):
            start, end = norm.to_original(*m.span())
            assert fold(text[start:end]) == m.group()
