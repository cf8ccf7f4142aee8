"""Statements and their speakers on hand-written Arabic news sentences.

Each row is one shape the extractor must handle; the texts are ours, written for the test.
"""

from __future__ import annotations

import pytest

from qala.nlp import analyze
from qala.nlp.quotations import find_quotations


def statements(text: str) -> list[tuple[str, str | None, str, str]]:
    """(type, speaker name, cue, content) of every statement found in ``text``."""
    doc = analyze(text)
    return [(q.type, q.speaker.name if q.speaker else None, q.cue.text, q.content.text) for q in doc.quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # VSO, long title, complementizer إن
            "قال وزير الخارجية الروسي سيرغي لافروف إن المحادثات ستستأنف الأسبوع المقبل.",
            [("indirect", "سيرغي لافروف", "قال", "المحادثات ستستأنف الأسبوع المقبل")],
        ),
        (  # a body as speaker, feminine cue
            "وأكدت وزارة الخارجية المصرية أن المفاوضات مستمرة رغم الخلافات.",
            [("indirect", "وزارة الخارجية المصرية", "أكدت", "المفاوضات مستمرة رغم الخلافات")],
        ),
        (  # colon and guillemets: direct
            "وقال المتحدث باسم الحكومة محمد العلي: «سنعمل على حل الأزمة في أقرب وقت».",
            [("direct", "محمد العلي", "قال", "سنعمل على حل الأزمة في أقرب وقت")],
        ),
        (  # a left mark used as the closing mark
            "وأكد الوزير سامي نور: “للأسف الوضع صعب جدا في المدينة “.",
            [("direct", "سامي نور", "أكد", "للأسف الوضع صعب جدا في المدينة")],
        ),
        (  # indirect with a quoted fragment: mixed
            "وأوضح النائب كريم حداد أن القرار كان “خطأ فادحا” بكل المقاييس.",
            [("mixed", "كريم حداد", "أوضح", "القرار كان “خطأ فادحا” بكل المقاييس")],
        ),
        (  # attribution phrase after the content
            "قتل ثلاثة أشخاص في انفجار وسط المدينة، بحسب ما أعلنت الشرطة المحلية.",
            [("indirect", "الشرطة المحلية", "بحسب ما أعلنت", "قتل ثلاثة أشخاص في انفجار وسط المدينة")],
        ),
        (  # attribution phrase opening the sentence
            "ووفقا للمتحدث باسم الجيش أحمد حسن، فإن القوات انسحبت من المنطقة.",
            [("indirect", "أحمد حسن", "وفقا", "القوات انسحبت من المنطقة")],
        ),
        (  # a subject before its verb: «وكان ... قد قال»
            "وكان المتحدث باسم البيت الأبيض جون كيلي قد قال الخميس إن واشنطن مستعدة للتعاون.",
            [("indirect", "جون كيلي", "قال", "واشنطن مستعدة للتعاون")],
        ),
        (  # an unnamed source is its role phrase
            "وقال مصدر أمني عراقي إن الهجوم أسفر عن سقوط عشرات الجرحى.",
            [("indirect", "مصدر أمني عراقي", "قال", "الهجوم أسفر عن سقوط عشرات الجرحى")],
        ),
    ],
)
def test_quotes_shape_and_speaker(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert statements(text) == expected


def test_quotes_pro_drop_takes_the_last_agreeing_speaker() -> None:
    text = (
        "قالت الوزيرة سارة أحمد إن الميزانية ستزيد العام المقبل. "
        "وقال المدير خالد يوسف إن المشروع تأخر. "
        "وأضافت أن الحكومة ستدعم القطاع الخاص."
    )
    got = statements(text)
    assert [g[1] for g in got] == ["سارة أحمد", "خالد يوسف", "سارة أحمد"]
    assert analyze(text).quotes[2].speaker.resolution == "pronoun"


def test_quotes_participle_takes_the_speaker_of_its_sentence() -> None:
    text = "وأعلن رئيس الوزراء علي حسن أن الانتخابات ستجري في موعدها، مشيرا إلى أن اللجنة أنهت استعداداتها."
    got = statements(text)
    assert got == [
        ("indirect", "علي حسن", "أعلن", "الانتخابات ستجري في موعدها"),
        ("indirect", "علي حسن", "مشيرا", "اللجنة أنهت استعداداتها"),
    ]


def test_quotes_title_and_short_name_resolve_to_the_full_name() -> None:
    text = (
        "قال الرئيس الفرنسي إيمانويل ماكرون إن أوروبا يجب أن تتحد. "
        "وأكد الرئيس الفرنسي أن بلاده لن تتراجع. "
        "وأضاف ماكرون أن الحوار هو الطريق الوحيد."
    )
    doc = analyze(text)
    assert [q.speaker.name for q in doc.quotes] == ["إيمانويل ماكرون"] * 3
    assert [q.speaker.resolution for q in doc.quotes] == ["explicit", "title", "explicit"]
    assert doc.quotes[0].speaker.title == "الرئيس الفرنسي"


def test_quotes_description_resolves_to_the_person_just_quoted() -> None:
    text = (
        "وقال السفير الأمريكي جيمس براون إن بلاده تراقب الوضع. "
        "وامتنع الدبلوماسي الأمريكي عن التعليق، مؤكدا أن الحوار مستمر."
    )
    got = statements(text)
    assert [g[1] for g in got] == ["جيمس براون", "جيمس براون"]


def test_quotes_headline_name_colon_statement() -> None:
    text = "لافروف: لا حل عسكريا للأزمة في سوريا\nقال وزير الخارجية الروسي سيرغي لافروف إن الحل سياسي."
    got = statements(text)
    assert got[0] == ("direct", "سيرغي لافروف", ":", "لا حل عسكريا للأزمة في سوريا")
    assert analyze(text).quotes[0].speaker.resolution == "headline"


def test_quotes_colon_speech_without_marks_runs_to_the_end_of_the_line() -> None:
    text = "وتابع الوزير سعيد كمال في تصريحات للصحفيين: لن نسكت على هذا. سنتخذ إجراءات عملية قريبا.\nوفي سياق آخر، افتتح الوزير معرضا."
    got = statements(text)
    assert got == [("direct", "سعيد كمال", "تابع", "لن نسكت على هذا. سنتخذ إجراءات عملية قريبا")]


@pytest.mark.parametrize(
    "text",
    [
        "وانتشرت قوات “النخبة” في المدينة منذ الصباح.",  # a scare quote
        "ويذكر أن المدينة شهدت احتجاجات مماثلة العام الماضي.",  # impersonal
        "ويعتقد أن اللاعب أصيب بخلع في الكتف.",  # impersonal, passive
        "ووصل الوفد إلى العاصمة بعد أن أعلن الرئيس موافقته على الزيارة.",  # a temporal clause
        "وافتتح المحافظ المعرض على أن يستمر أسبوعا كاملا.",  # على أن is a conjunction
        "ولم تكشف السلطات عن مصير قائد المركبة.",  # negated, no content
    ],
)
def test_quotes_not_statements(text: str) -> None:
    assert statements(text) == []


def test_quotes_cues_inside_a_quotation_are_part_of_it() -> None:
    text = "وقال الوزير ماجد سالم: «التي قلت دائما إنها خاطئة هي سياسة الآخرين»."
    got = statements(text)
    assert len(got) == 1 and got[0][2] == "قال"


def test_quotes_offsets_point_into_the_original_text() -> None:
    text = "وَقَالَ الوزير ماجد سالم إِنَّ الاتفاق “نهائي تماما”.\nوأضاف: «سنوقع غدا»."
    doc = analyze(text)
    assert doc.quotes
    for q in doc.quotes:
        for span in (q.cue, q.content, q.speaker.mention):
            if span is not None:
                assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("قال: “نص طويل هنا”.", ["نص طويل هنا"]),
        ("قال: «نص طويل هنا».", ["نص طويل هنا"]),
        ('قال: "نص طويل هنا".', ["نص طويل هنا"]),
        ("قال: “نص طويل هنا “.", ["نص طويل هنا "]),  # the same mark closes
        ("قال: “أولا عليه “ثانيا نص طويل”.", ["أولا عليه “ثانيا نص طويل", "ثانيا نص طويل"]),  # unclosed outer
    ],
)
def test_quotations_pairing(text: str, inner: list[str]) -> None:
    doc = analyze(text, {})
    got = [text[q.start : q.end] for q in find_quotations(doc)]
    assert got == inner
