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
