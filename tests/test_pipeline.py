"""Fault isolation in ``analyze``: a component that raises costs its layer, never the article."""

from __future__ import annotations

import json

import pytest

from qala.nlp import Doc, analyze, pipeline

TEXT = "قال الرئيس الروسي فلاديمير بوتين يوم الجمعة 4 سبتمبر إن الوضع صعب. شاهد: https://youtu.be/JMe5eRIXW7g"


def _failing(name: str, exc: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace one component's work with one that raises ``exc`` (fault injection)."""

    def boom(run: object) -> None:
        raise exc

    monkeypatch.setattr(
        pipeline,
        "COMPONENTS",
        tuple(pipeline.Component(c.name, c.requires, boom, c.option, c.adds, c.uses) if c.name == name else c
              for c in pipeline.COMPONENTS),
    )


@pytest.mark.parametrize(
    "text",
    [
        "أكد ـ وجة ة",  # a subject phrase that folds to no word (IndexError in the speaker rules)
        "\ud800",  # a lone surrogate (the CRF could not encode it)
        "قال الرئيس \udcff بوتين إن الوضع صعب",
        "\x00قال\x00 إن\x00",
        "",
    ],
    ids=["tatweel-phrase", "lone-surrogate", "surrogate-in-sentence", "nul", "empty"],
)
def test_pipeline_reproductions_analyze_without_errors(text: str) -> None:
    doc = analyze(text)
    assert doc.analysis_errors == []
    assert doc.offset_errors() == []
    assert doc.text == text


def test_pipeline_surrogate_does_not_hide_the_names_around_it() -> None:
    doc = analyze("قال الرئيس \udcff بوتين إن الوضع صعب")
    assert [e.name for e in doc.entities] == ["بوتين"]
    assert [q.content.text for q in doc.quotes] == ["الوضع صعب"]


@pytest.mark.parametrize(
    ("component", "empty"),
    [("entities", "entities"), ("dates", "dates"), ("links", "links"), ("quotes", "quotes")],
)
def test_pipeline_failing_component_is_skipped_and_recorded(
    component: str, empty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = analyze(TEXT)
    assert whole.entities and whole.quotes and whole.dates and whole.links
    _failing(component, RuntimeError("boom"), monkeypatch)
    doc = analyze(TEXT)
    assert getattr(doc, empty) == []
    expected = [(component, "RuntimeError: boom")]
    if component == "quotes":
        expected.append(("speakers", "skipped: quotes failed"))
    assert doc.analysis_errors == expected
    for layer in {"entities", "quotes", "dates", "links"} - {empty}:
        assert len(getattr(doc, layer)) == len(getattr(whole, layer)), layer
    assert doc.sentences == whole.sentences


def test_pipeline_failing_speakers_keep_the_statements_unattributed(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = analyze(TEXT, {"published": "2015-09-15"})
    rules = analyze(TEXT, {"published": "2015-09-15"}, options=pipeline.Options(rank_speakers=False))
    _failing("speakers", IndexError("list index out of range"), monkeypatch)
    doc = analyze(TEXT, {"published": "2015-09-15"})
    assert [q.content.text for q in doc.quotes] == ["الوضع صعب"]
    assert whole.quotes[0].speaker is not None and doc.quotes[0].speaker is None
    assert doc.quotes[0].date == whole.quotes[0].date == "2015-09-04"
    assert doc.quotes[0].confidence == rules.quotes[0].confidence * 0.5  # half the statement's own
    assert doc.analysis_errors == [("speakers", "IndexError: list index out of range")]


def test_pipeline_failing_segmentation_skips_what_needs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing("segment", RecursionError("maximum recursion depth exceeded"), monkeypatch)
    doc = analyze(TEXT)
    assert doc.sentences == [] and doc.tokens == [] and doc.entities == [] and doc.quotes == []
    assert [c for c, _ in doc.analysis_errors] == ["segment", "words", "entities", "quotes", "speakers", "dates"]
    assert doc.analysis_errors[2] == ("entities", "skipped: words failed")
    assert [x.url for x in doc.links] == ["https://youtu.be/JMe5eRIXW7g"]  # links need no segmentation


def test_pipeline_error_text_is_one_bounded_line(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing("dates", ValueError("bad\nday " + "x" * 1000), monkeypatch)
    ((component, error),) = analyze(TEXT).analysis_errors
    assert component == "dates"
    assert "\n" not in error and len(error) == pipeline.MAX_ERROR_CHARS
    assert error.startswith("ValueError: bad day xxx") and error.endswith("…")


def test_pipeline_analysis_errors_round_trip_through_json(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing("entities", KeyError("PER"), monkeypatch)
    d = analyze(TEXT).to_dict()
    assert d["analysis_errors"] == [{"component": "entities", "error": "KeyError: 'PER'"}]
    back = Doc.from_dict(json.loads(json.dumps(d, ensure_ascii=False)))
    assert back.analysis_errors == [("entities", "KeyError: 'PER'")]
    assert back.to_dict() == d


def test_pipeline_options_turn_components_off_without_errors() -> None:
    doc = analyze(TEXT, options=pipeline.Options(entities=False, quotes=False))
    assert doc.entities == [] and doc.quotes == [] and doc.dates and doc.links
    assert doc.analysis_errors == []


def _my_ner(run: pipeline.Run) -> None:
    """A user's NER: every token spelled بوتين is a person (enough to see it used)."""
    from qala.nlp.doc import Entity

    spans = [run.doc.span(t.start, t.end) for t in run.doc.tokens if t.norm == "بوتين"]
    run.doc.entities = [Entity("E1", "بوتين", "PER", [], spans)] if spans else []


def test_pipeline_swaps_a_component_without_editing_core_files() -> None:
    mine = pipeline.Component("my-ner", ("words",), _my_ner, "entities", adds=("entities",))
    pipe = pipeline.Pipeline.default().replace("entities", mine)
    assert pipe.names == ["segment", "words", "my-ner", "quotes", "speakers", "dates", "links"]
    doc = analyze(TEXT, pipeline=pipe)
    assert [(e.name, e.type) for e in doc.entities] == [("بوتين", "PER")]
    assert [q.content.text for q in doc.quotes] == ["الوضع صعب"]
    assert doc.analysis_errors == []


def test_pipeline_drops_a_component() -> None:
    doc = analyze(TEXT, pipeline=pipeline.Pipeline.default().without("links"))
    assert doc.links == [] and doc.quotes and doc.analysis_errors == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.without("words"), "component 'entities' needs 'words', which no earlier component adds"),
        (lambda p: p.without("quotes"), "component 'speakers' needs 'candidates'"),
        (lambda p: p.without("ner"), "no component 'ner' to drop"),
        (lambda p: pipeline.Pipeline([*p.components, p.components[0]]), "component 'segment' appears twice"),
    ],
    ids=["words", "quotes", "unknown", "twice"],
)
def test_pipeline_is_checked_once_when_made(make, message: str) -> None:
    with pytest.raises(pipeline.PipelineError, match=message):
        make(pipeline.Pipeline.default())


def test_pipeline_declares_what_speakers_use_without_needing() -> None:
    """Speaker rules read entities when there are some: declared, so turning NER off is no surprise."""
    by_name = {c.name: c for c in pipeline.Pipeline.default().components}
    assert "entities" in by_name["speakers"].uses and "entities" not in by_name["speakers"].requires
    doc = analyze(TEXT, options=pipeline.Options(entities=False))
    assert doc.entities == [] and doc.quotes[0].speaker is not None
