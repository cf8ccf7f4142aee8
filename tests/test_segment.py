"""Sentence spans and tokens: the boundaries quote extraction relies on."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from qala.nlp.normalize import fold
from qala.nlp.segment import abbreviations, split_sentences, tokenize

ARTICLES = Path(__file__).parents[1].parent / "shared/data/news/articles.jsonl"


def sentences_of(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.fixture(scope="module")
def articles() -> list[str]:
    if not ARTICLES.exists():
        pytest.skip(f"{ARTICLES} not found")
    return [json.loads(line)["text"] for line in ARTICLES.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n\n ", []),
        ("قال الوزير إن الوضع مستقر.", ["قال الوزير إن الوضع مستقر."]),
        (
            "قال الوزير إن الوضع مستقر. وأضاف أن الحوار مستمر.",
            ["قال الوزير إن الوضع مستقر.", "وأضاف أن الحوار مستمر."],
        ),
        ("هل انتهى الأمر؟ لا! سنواصل.", ["هل انتهى الأمر؟", "لا!", "سنواصل."]),
        ("هل هذا معقول؟! نعم", ["هل هذا معقول؟!", "نعم"]),
        ("  قال الوزير.  \n\n  ثم غادر  ", ["قال الوزير.", "ثم غادر"]),
        ("وصل الوزير.وقال إن الوضع مستقر.", ["وصل الوزير.", "وقال إن الوضع مستقر."]),
    ],
)
def test_segment_split_basic(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عنوان الخبر\nقال الوزير إن الوضع مستقر.", ["عنوان الخبر", "قال الوزير إن الوضع مستقر."]),
        ("• اذهب إلى الإعدادات\n• انتقل إلى الأسفل", ["• اذهب إلى الإعدادات", "• انتقل إلى الأسفل"]),
        ("السطر الأول\r\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
        ("1. البند الأول\n2. البند الثاني", ["1. البند الأول", "2. البند الثاني"]),
    ],
)
def test_segment_split_newline_ends_sentence(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "بلغ النمو 3.5 بالمئة هذا العام.",
        "بلغ عدد الضحايا 1,971 شخصا.",
        "بلغ النمو ٣٫٥ بالمئة هذا العام.",
        "وقع الحادث في 4.9.2015 صباحا.",
        "وقع الحادث في 2015/9/4 صباحا.",
        "راجع الرابط http://example.com/a.b?x=1 للمزيد.",
        "راجع الرابط www.example.com/a.b للمزيد.",
        "راسلونا على info@qala.org للمزيد.",
        "ذكر موقع bfmtv.com الفرنسي أن البرنامج مقلد.",
        "إننا في روسيا.. حذرنا مرارا من ذلك.",
        "وانتظرنا... ثم وصل الوزير.",
        "وانتظرنا… ثم وصل الوزير.",
        "التقى د. أحمد زويل بالطلاب.",
        "حاضر أ. محمد في الجامعة.",
        "التقى أ.د. محمد بالوزير.",
        "أعلنت U.S. Army عن خطة جديدة.",
        "وصل Dr. Smith إلى القاهرة.",
        "بنيت المدينة في القرن الثالث ق.م تقريبا.",
        "تأسست ج.م.ع. عام 1958 بعد الوحدة.",
        "ولد عام 1436 هـ. في مكة.",
    ],
)
def test_segment_split_not_at_internal_dots(text: str) -> None:
    assert sentences_of(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a quotation opened after a colon runs over several sentences
            "وتساءل: “ما هي هذه السياسات؟ إنها تتمثل في فرض المعايير. إنها سياسة شركائنا”. ثم غادر.",
            ["وتساءل: “ما هي هذه السياسات؟ إنها تتمثل في فرض المعايير. إنها سياسة شركائنا”.", "ثم غادر."],
        ),
        (  # guillemets
            "وقال «نحن مستعدون. لن نتراجع» ثم غادر. وانتهى اللقاء.",
            ["وقال «نحن مستعدون. لن نتراجع» ثم غادر.", "وانتهى اللقاء."],
        ),
        (  # straight quotes pair by parity
            'وقال "نحن مستعدون. لن نتراجع" ثم غادر. وانتهى اللقاء.',
            ['وقال "نحن مستعدون. لن نتراجع" ثم غادر.', "وانتهى اللقاء."],
        ),
        (  # the closing mark belongs to the sentence it ends
            'قالت إن "السياح يأتون إلى هنا." كانت سعيدة.',
            ['قالت إن "السياح يأتون إلى هنا."', "كانت سعيدة."],
        ),
        (  # a left mark used as the closing one
            "وأكد: “نحن قلقون من عودتهم مرة أخرى “. وبشأن سوريا أوضح أنه مستعد.",
            ["وأكد: “نحن قلقون من عودتهم مرة أخرى “.", "وبشأن سوريا أوضح أنه مستعد."],
        ),
        (  # a nested quotation never closed: the outer one ends at the last closing mark
            "وتساءل: “ما هي؟ إنها سياسة ما يطلق عليه “التزامات التحالف، ومن ثم العبء”. وغادر.",
            ["وتساءل: “ما هي؟ إنها سياسة ما يطلق عليه “التزامات التحالف، ومن ثم العبء”.", "وغادر."],
        ),
        (  # a question inside a quotation followed by a comma does not end the sentence
            '"هل تريد القهوة؟"، هكذا كانت تخاطب زبائنها.',
            ['"هل تريد القهوة؟"، هكذا كانت تخاطب زبائنها.'],
        ),
        (  # an ellipsis right after a closing quote ends the sentence
            'وقال "هذه الجائزة لتونس".. وأكد أنه تلقى رسائل.',
            ['وقال "هذه الجائزة لتونس"..', "وأكد أنه تلقى رسائل."],
        ),
        (  # a quote glued to the word before it pairs but does not hold sentences together
            'ينظر إليكم بأعين صغيرة"على حد تعبيره. وكتب صباح اليوم: "هم يدقون الطبول".',
            ['ينظر إليكم بأعين صغيرة"على حد تعبيره.', 'وكتب صباح اليوم: "هم يدقون الطبول".'],
        ),
        (  # a scare quote inside a sentence
            "يهربون من “داعش” لا من الأسد. وتابع.",
            ["يهربون من “داعش” لا من الأسد.", "وتابع."],
        ),
    ],
)
def test_segment_split_quotes(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # an unclosed quote stops at the end of its paragraph
            "وقال: “نحن مستعدون. لن نتراجع.\nوفي سياق آخر، قال الوزير. ثم غادر.",
            ["وقال: “نحن مستعدون.", "لن نتراجع.", "وفي سياق آخر، قال الوزير.", "ثم غادر."],
        ),
        (
            "وقال: “نحن مستعدون. لن نتراجع”.\nوفي سياق آخر، قال الوزير.",
            ["وقال: “نحن مستعدون. لن نتراجع”.", "وفي سياق آخر، قال الوزير."],
        ),
        (  # a quotation never spans a line break
            "وقال: “نحن مستعدون.\nلن نتراجع”.",
            ["وقال: “نحن مستعدون.", "لن نتراجع”."],
        ),
    ],
)
def test_segment_split_unclosed_quote_capped_at_paragraph(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


PARAGRAPH = (
    "قال وزير الخارجية إن الحكومة ستواصل العمل على تحسين الخدمات العامة في كل المدن والقرى "
    "وأضاف أن الخطة تشمل بناء مدارس جديدة ومستشفيات حديثة خلال السنوات الخمس المقبلة. "
    "وأكد الوزير في مؤتمر صحفي عقده في العاصمة أن التمويل متوفر بالكامل من الموازنة العامة "
    "للدولة وأن الشركاء الدوليين أبدوا استعدادهم للمساهمة في المشاريع الكبرى."
)


@pytest.mark.parametrize("width", [60, 72, 80])
def test_segment_split_hard_wrapped_text(width: int) -> None:
    flat = PARAGRAPH + "\n" + PARAGRAPH
    wrapped = textwrap.fill(PARAGRAPH, width) + "\n" + textwrap.fill(PARAGRAPH, width)
    assert wrapped.count("\n") >= 6
    got = [" ".join(s.split()) for s in sentences_of(wrapped)]
    assert got == sentences_of(flat)
    assert len(got) == 4


def test_segment_split_short_lines_not_hard_wrapped() -> None:
    poem = "يجي بعضك وأنا كلي يذوب من الصبر والخوف\nوأجي كلي ولكنك دريت بخطوة أشواقي\n" * 3
    assert len(sentences_of(poem)) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قالَ الوزيرُ: 3.5%", ["قالَ", "الوزيرُ", ":", "3.5", "%"]),
        ("1,971 و٣٫٥ و2015/9/4", ["1,971", "و", "٣٫٥", "و", "2015/9/4"]),
        ("الساعة 10:05 صباحا", ["الساعة", "10:05", "صباحا"]),
        ("بـ322.9 طنا والـ16", ["بـ", "322.9", "طنا", "والـ", "16"]),
        (
            "شاهد https://www.youtube.com/watch?v=2sXHeJ8rhPw.",
            ["شاهد", "https://www.youtube.com/watch?v=2sXHeJ8rhPw", "."],
        ),
        ("زوروا www.example.com/a.b، شكرا", ["زوروا", "www.example.com/a.b", "،", "شكرا"]),
        ("راسلونا info@qala.org.", ["راسلونا", "info@qala.org", "."]),
        ('“نعم” «لا» "ربما"', ["“", "نعم", "”", "«", "لا", "»", '"', "ربما", '"']),
        ("Marc-Olivier G20", ["Marc", "-", "Olivier", "G20"]),
        ("L'émission", ["L", "'", "émission"]),
        ("هل انتهى؟!", ["هل", "انتهى", "؟", "!"]),
        ("روسيا.. حذرنا", ["روسيا", ".", ".", "حذرنا"]),
        ("قال\u200f بوتين", ["قال", "بوتين"]),
    ],
)
def test_segment_tokenize_table(text: str, expected: list[str]) -> None:
    tokens = tokenize(text, split_sentences(text))
    assert [t.text for t in tokens] == expected
    assert all(text[t.start : t.end] == t.text for t in tokens)


@pytest.mark.parametrize(
    ("text", "norms"),
    [
        ("أَحْمَد قالَ", ["احمد", "قال"]),  # diacritics: folded per token
        ("مدرسة إلى ٣٥", ["مدرسه", "الي", "35"]),  # no diacritics: sliced from the shadow
    ],
)
def test_segment_tokenize_norm_is_fold(text: str, norms: list[str]) -> None:
    tokens = tokenize(text, split_sentences(text))
    assert [t.norm for t in tokens] == norms
    assert all(t.norm == fold(t.text) for t in tokens)


def test_segment_tokenize_sentence_index() -> None:
    text = "قال الوزير. ثم غادر.\nوانتهى"
    tokens = tokenize(text, split_sentences(text))
    assert [(t.text, t.sent) for t in tokens] == [
        ("قال", 0),
        ("الوزير", 0),
        (".", 0),
        ("ثم", 1),
        ("غادر", 1),
        (".", 1),
        ("وانتهى", 2),
    ]


def test_segment_abbreviations_loaded_from_data_file() -> None:
    abbrevs = abbreviations()
    assert {"د", "ق.م", "ج.م.ع", "dr"} <= abbrevs
    assert abbreviations() is abbrevs


@pytest.mark.slow
def test_segment_corpus_invariants(articles: list[str]) -> None:
    for text in articles:
        sentences = split_sentences(text)
        prev_end = 0
        for s in sentences:
            assert prev_end <= s.start < s.end <= len(text)
            chunk = text[s.start : s.end]
            assert chunk == chunk.strip() and chunk
            gap = text[prev_end : s.start]
            assert not gap.strip() or all(not ch.isprintable() for ch in gap.strip())
            prev_end = s.end
        assert not text[prev_end:].strip() or all(not ch.isprintable() for ch in text[prev_end:].strip())
        tokens = tokenize(text, sentences)
        for t in tokens:
            assert text[t.start : t.end] == t.text
            assert t.norm == fold(t.text)
            sent = sentences[t.sent]
            assert sent.start <= t.start < t.end <= sent.end
        assert [t.start for t in tokens] == sorted(t.start for t in tokens)


@pytest.mark.slow
def test_segment_corpus_hard_wrapping_keeps_sentences(articles: list[str]) -> None:
    def flat(text: str) -> list[str]:
        return [" ".join(s.split()) for s in sentences_of(text)]

    same = 0
    for text in articles:
        lines = text.split("\n")
        wrapped = "\n".join(
            textwrap.fill(line, 75, break_on_hyphens=False) if line.strip() else line for line in lines
        )
        same += flat(wrapped) == flat(text)
    assert same >= 0.9 * len(articles)


@pytest.mark.slow
def test_segment_corpus_speed(articles: list[str]) -> None:
    start = time.perf_counter()
    for text in articles:
        tokenize(text, split_sentences(text))
    assert time.perf_counter() - start < 1.5  # ~0.17 s on the dev machine; generous for CI
