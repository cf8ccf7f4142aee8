"""Properties of ``analyze`` for any text: no exception, no failed component, every span points
at its own text, the JSON form exists, and the time per character is bounded.

Hypothesis draws texts from every Unicode category (lone surrogates, NUL and controls
included), from the words and marks the rules look for, and long repetitions of one unit
(``"." * 20000``: the shapes that made analysis quadratic). ``make fuzz`` runs the same checks
over 100,000 generated inputs.
"""

from __future__ import annotations

import json
import time

import hypothesis.strategies as st
from hypothesis import HealthCheck, example, given, settings

from qala.nlp import analyze

# CPU seconds an input may take: three times what the slowest repetition below takes (news
# text takes ~6 µs per character), while the quadratic rules took 3 s for 60,000 dots and
# 15 s for 15,000 chars of «قال: قال: ...».
BASE_SECONDS = 0.5
SECONDS_PER_CHAR = 2e-5

WORDS = [
    "قال", "وقال", "أكد", "وأكدت", "أضاف", "قائلا", "مضيفا", "بحسب", "وفقا", "لـ", "أن", "إن", "بأن",
    "الرئيس", "الروسي", "فلاديمير", "بوتين", "وزير", "الخارجية", "المتحدث", "باسم", "مصدر", "أمني",
    "البيان", "الحكومة", "السعودية", "الرياض", "الجمعة", "4", "سبتمبر", "أيلول", "2015", "أمس", "عام",
    "ـ", "ة", "ال", "و", "عبد", "الله", "بن", "أبو", "د.", "http://t.co/x", "www.a.com", "a@b.cd", "#وسم",
]
MARKS = [" ", " ", " ", "، ", ": ", ". ", ".", "\n", "\n\n", '"', "“", "”", "«", "»", "(", ")", "؟", "…", "_", "-"]

any_text = st.text(st.characters(exclude_categories=()), max_size=300)
rule_text = st.lists(st.sampled_from(WORDS + MARKS), max_size=150).map("".join)
repetition = st.builds(
    lambda unit, n: unit * max(1, n // len(unit)),
    st.sampled_from([".", "a.", "@", '"', "«", "“", ":", "،", "\n", "ـ", "قال ", "قال: ", "أن ", "الرئيس ",
                     "http://a", "1.", "د. ", "(", ")", "بحسب المصدر، ", "وأكد أن "]),
    st.integers(min_value=1_000, max_value=60_000),
)

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    doc = analyze(text)
    assert doc.text == text
    assert doc.analysis_errors == []
    assert doc.offset_errors() == []
    json.dumps(doc.to_dict(), ensure_ascii=False)


@PROPERTY
@given(any_text)
@example("أكد ـ وجة ة")  # the reproductions of issue 14
@example("\ud800")
@example("شاهد http://[x")  # a bracket that opens no IPv6 address
@example("محتملة. وقال المدير العام ل")  # make fuzz: an object preposition that ends the text
def test_analyze_any_characters(text: str) -> None:
    _check(text)


@PROPERTY
@given(st.one_of(rule_text, st.tuples(rule_text, any_text, rule_text).map("".join)))
def test_analyze_rule_words_and_marks(text: str) -> None:
    _check(text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repetition)
@example("قال " * 15_000)  # make fuzz: each cue's content ran to the sentence end, scanned again per cue
def test_analyze_time_per_character_is_bounded(text: str) -> None:
    analyze("قال الرئيس إن الوضع صعب")  # resources load on the first call: that is no cost per character
    start = time.process_time()
    _check(text)
    took = time.process_time() - start
    assert took <= BASE_SECONDS + SECONDS_PER_CHAR * len(text), f"{took:.2f} s for {len(text)} chars of {text[:12]!r}"
