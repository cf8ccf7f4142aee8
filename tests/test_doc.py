"""The Doc model: a hand-built document survives to_dict / from_dict / JSON unchanged."""

from __future__ import annotations

import json

import pytest

from qala.nlp.doc import DateSpan, Doc, Entity, Link, Quote, Sentence, Span, Speaker

TEXT = "قال الرئيس فلاديمير بوتين إن الوضع خطير. شاهد https://www.youtube.com/watch?v=2sXHeJ8rhPw الجمعة"


def find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def build_doc() -> Doc:
    doc = Doc(text=TEXT, id="hand-1", meta={"published": "2015-09-15", "lang": "ar"})
    first_end = TEXT.index(".") + 1
    doc.sentences = [Sentence(0, first_end), Sentence(first_end + 1, len(TEXT))]
    name = doc.span(*find(TEXT, "فلاديمير بوتين"))
    doc.entities = [Entity("e1", "فلاديمير بوتين", "PER", ["الرئيس"], [name])]
    doc.quotes = [
        Quote(
            "indirect",
            cue=doc.span(0, 3),
            content=doc.span(*find(TEXT, "الوضع خطير")),
            speaker=Speaker(
                "فلاديمير بوتين", "explicit", doc.span(*find(TEXT, "الرئيس فلاديمير بوتين")), "الرئيس", "e1"
            ),
            confidence=0.934,
        ),
        Quote("direct", cue=doc.span(0, 3), content=doc.span(*find(TEXT, "الوضع")), speaker=None),
    ]
    url = "https://www.youtube.com/watch?v=2sXHeJ8rhPw"
    doc.dates = [DateSpan(*find(TEXT, "الجمعة"), "الجمعة", "2015-09-11")]
    doc.links = [Link(*find(TEXT, url), url, "youtube", "2sXHeJ8rhPw"), Link(*find(TEXT, url), url, "web")]
    return doc


def test_doc_to_dict_has_the_spec_fields_in_order() -> None:
    d = build_doc().to_dict()
    assert list(d) == ["id", "text", "meta", "sentences", "entities", "quotes", "dates", "links", "analysis_errors"]
    assert d["meta"] == {"title": None, "url": None, "outlet": None, "published": "2015-09-15", "lang": "ar"}
    assert d["quotes"][0]["confidence"] == 0.93
    assert d["quotes"][1]["speaker"] is None
    assert "video_id" not in d["links"][1]


def test_doc_round_trips_through_dict_and_json() -> None:
    d = build_doc().to_dict()
    assert Doc.from_dict(d).to_dict() == d
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert Doc.from_dict(json.loads(json.dumps(d))).to_dict() == d


@pytest.mark.parametrize("layer", ["entities", "quotes", "dates", "links"])
def test_doc_spans_point_into_the_text(layer: str) -> None:
    d = build_doc().to_dict()
    spans = []
    for item in d[layer]:
        if layer == "entities":
            spans += item["mentions"]
        elif layer == "quotes":
            spans += [item["cue"], item["content"]] + (
                [item["speaker"]["mention"]] if item["speaker"] else []
            )
        else:
            spans.append(item)
    assert spans
    for span in spans:
        assert TEXT[span["start"] : span["end"]] == span.get("text", span.get("url"))


def test_doc_from_minimal_dict_fills_empty_layers() -> None:
    doc = Doc.from_dict({"text": "قال"})
    assert doc.to_dict() == {
        "id": None,
        "text": "قال",
        "meta": {"title": None, "url": None, "outlet": None, "published": None},
        "sentences": [],
        "entities": [],
        "quotes": [],
        "dates": [],
        "links": [],
        "analysis_errors": [],
    }


def test_span_from_none_is_none() -> None:
    assert Span.from_dict(None) is None
    assert Speaker.from_dict(None) is None
