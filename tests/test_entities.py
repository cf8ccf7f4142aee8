"""Entity resolution: mentions of one person, place or body become one entity."""

from __future__ import annotations

import pytest

from qala.nlp import analyze
from qala.nlp.entities import attach_titles, cluster


def _mentions(text: str, spans: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(surface, type) pairs → offsets of every occurrence in ``text``."""
    out = []
    for surface, etype in spans:
        start = text.find(surface)
        while start >= 0:
            out.append((start, start + len(surface), etype))
            start = text.find(surface, start + len(surface))
    return out


@pytest.mark.parametrize(
    ("text", "spans", "groups"),
    [
        (
            "قال الرئيس الروسي فلاديمير بوتين إن روسيا مستعدة. وأضاف بوتين أن الحل سياسي.",
            [("فلاديمير بوتين", "PER"), ("بوتين", "PER"), ("روسيا", "LOC")],
            [["فلاديمير بوتين", "بوتين"], ["روسيا"]],
        ),
        (
            "زار الوفد أوروبا الشهر الماضي، وتحدث عن أزمة الهجرة إلى أوربا.",
            [("أوروبا", "LOC"), ("أوربا", "LOC")],
            [["أوروبا", "أوربا"]],
        ),
        (
            "هاجم تنظيم داعش المدينة. وتبنى داعش الهجوم.",
            [("تنظيم داعش", "ORG"), ("داعش", "ORG")],
            [["تنظيم داعش", "داعش"]],
        ),
        (
            "قالت الولايات المتحدة إن واشنطن لن تتدخل.",
            [("الولايات المتحدة", "LOC"), ("واشنطن", "LOC")],
            [["الولايات المتحدة"], ["واشنطن"]],
        ),
        (
            "زار القاهرة ثم القاهرة الجديدة.",
            [("القاهرة الجديدة", "LOC"), ("القاهرة", "LOC")],
            [["القاهرة"], ["القاهرة الجديدة"]],
        ),
    ],
)
def test_entities_cluster_mentions(text: str, spans: list[tuple[str, str]], groups: list[list[str]]) -> None:
    doc = analyze(text)
    # overlapping occurrences («القاهرة» inside «القاهرة الجديدة») are one mention: keep the longest
    mentions = _mentions(text, spans)
    mentions = [m for m in mentions if not any(o != m and o[0] <= m[0] and m[1] <= o[1] for o in mentions)]
    got = sorted(sorted(m.text for m in e.mentions) for e in cluster(doc, mentions))
    assert got == sorted(sorted(g) for g in groups)


def test_entities_named_by_most_complete_form_with_titles() -> None:
    text = "قال الرئيس الروسي فلاديمير بوتين إن الوضع صعب. وأكد بوتين أن الحوار مستمر."
    doc = analyze(text)
    entities = cluster(doc, _mentions(text, [("فلاديمير بوتين", "PER"), ("بوتين", "PER")]))
    attach_titles(doc, entities)
    assert len(entities) == 1
    assert entities[0].name == "فلاديمير بوتين"
    assert entities[0].titles == ["الرئيس الروسي"]


@pytest.mark.parametrize(
    ("text", "name", "forms"),
    [
        (
            "قال عبد الفتاح السيسي إن مصر قوية. وأضاف عبدالفتاح السيسي أن الاقتصاد ينمو.",
            "عبد الفتاح السيسي",
            {"عبد الفتاح السيسي", "عبدالفتاح السيسي"},
        ),
        ("قال دونالد ترامب إن بلاده مستعدة. وأضاف ترمب أن الاتفاق سيئ.", "دونالد ترامب", {"دونالد ترامب", "ترمب"}),
        (
            "قال بنيامين نتنياهو إن إسرائيل لن تتراجع. وقال نتانياهو إن الحرب طويلة.",
            "بنيامين نتنياهو",
            {"بنيامين نتنياهو", "نتانياهو"},
        ),
    ],
)
def test_entities_spelling_variants_of_a_person_are_one_entity(text, name, forms):
    doc = analyze(text, {})
    people = [e for e in doc.entities if e.type == "PER"]
    assert len(people) == 1 and people[0].name == name
    assert {m.text for m in people[0].mentions} == forms


def test_entities_adjective_is_no_place_but_the_country_is():
    doc = analyze("قال وزير المالية إن العجز المالي تراجع، وإن الوضع الأمني مستقر في مالي.", {})
    places = [m.text for e in doc.entities if e.type == "LOC" for m in e.mentions]
    assert places == ["مالي"]


def test_entities_person_never_starts_with_a_title_or_ends_with_a_weekday():
    from qala.nlp.ner_rules import person_edges
    from qala.nlp.segment import split_sentences, tokenize

    text = "قال الرئيس دونالد ترامب الثلاثاء إن بلاده مستعدة."
    tokens = tokenize(text, split_sentences(text))
    start, end = text.index("الرئيس"), text.index("الثلاثاء") + len("الثلاثاء")
    (got,) = person_edges(tokens, [t.start for t in tokens], [(start, end, "PER")])
    assert text[got[0] : got[1]] == "دونالد ترامب"
