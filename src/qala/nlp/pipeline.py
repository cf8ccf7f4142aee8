"""Runs the components in their declared order over one text, each one isolated.

A component that raises on a text is skipped for that text: its layer stays empty, the
components that need it are skipped too, and ``Doc.analysis_errors`` records
``(component, error)``. So one bug costs one layer of one article, never the article:
``analyze("أكد ـ وجة ة")`` still gives its sentences, entities and dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qala.nlp.dates import find_dates, statement_dates
from qala.nlp.doc import Doc
from qala.nlp.entities import find_entities
from qala.nlp.links import find_links
from qala.nlp.quotes import Candidate, find_statements
from qala.nlp.ranker import SpeakerRanker, shipped_ranker
from qala.nlp.segment import split_sentences, tokenize
from qala.nlp.speakers import attribute, unattributed

MAX_ERROR_CHARS = 300  # an error message is a hint for a bug report, not a dump of the text


@dataclass(frozen=True, slots=True)
class Options:
    """Picklable analysis options (Spark ships one copy to each executor)."""

    entities: bool = True
    quotes: bool = True
    dates: bool = True
    links: bool = True
    # speakers: the shipped ranker (read once), another trained ``SpeakerRanker``, or the rules alone
    rank_speakers: bool = True
    speaker_ranker: SpeakerRanker | None = None


def speaker_ranker(options: Options) -> SpeakerRanker | None:
    """The ranker the speakers component uses under ``options`` (None: the rules alone)."""
    if not options.rank_speakers:
        return None
    return options.speaker_ranker or shipped_ranker()


@dataclass(slots=True)
class _Run:
    """One analysis in progress: the Doc and what components hand to later ones."""

    doc: Doc
    options: Options = Options()
    candidates: list[Candidate] | None = None
    collect: list | None = None  # the speakers component's candidate sources, when training asks


def _segment(run: _Run) -> None:
    sentences = split_sentences(run.doc.text)
    run.doc.tokens = tokenize(run.doc.text, sentences)
    run.doc.sentences = sentences


def _entities(run: _Run) -> None:
    run.doc.entities = find_entities(run.doc)


def _quotes(run: _Run) -> None:
    run.candidates = find_statements(run.doc)
    run.doc.quotes = unattributed(run.doc, run.candidates)


def _speakers(run: _Run) -> None:
    run.doc.quotes = attribute(run.doc, run.candidates or [], speaker_ranker(run.options), run.collect)


def _dates(run: _Run) -> None:
    doc = run.doc
    dates = find_dates(doc)
    doc.dates = dates
    try:
        when = statement_dates(doc) if dates else [None] * len(doc.quotes)
    except Exception:
        doc.dates = []
        raise
    for quote, value in zip(doc.quotes, when, strict=True):
        if value is not None:
            quote.date = value


def _links(run: _Run) -> None:
    run.doc.links = find_links(run.doc)


@dataclass(frozen=True, slots=True)
class Component:
    """A step of the pipeline: what it is called, what must have run before, what it does."""

    name: str
    requires: tuple[str, ...]
    run: Callable[[_Run], None]
    option: str | None = None  # the ``Options`` field that turns it off


COMPONENTS: tuple[Component, ...] = (
    Component("segment", (), _segment),
    Component("entities", ("segment",), _entities, "entities"),
    Component("quotes", ("segment",), _quotes, "quotes"),
    Component("speakers", ("quotes",), _speakers, "quotes"),
    Component("dates", ("segment",), _dates, "dates"),
    Component("links", (), _links, "links"),
)


def error_text(e: BaseException) -> str:
    """``IndexError: list index out of range``, on one line and at most ``MAX_ERROR_CHARS`` long."""
    text = " ".join(f"{type(e).__name__}: {e}".split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def analyze(text: str, meta: dict[str, Any] | None = None, *, id: str | None = None,
            options: Options | None = None) -> Doc:
    """Analyze one Arabic news text, e.g. ``analyze("قال بوتين إن ...")``; never raises for a str."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    options = options or Options()
    run = _Run(Doc(text=text, id=id, meta=dict(meta or {})), options)
    run_components(run)
    return run.doc


def run_components(run: _Run) -> None:
    """Runs ``COMPONENTS`` over ``run`` in order, each one isolated (see the module's docstring)."""
    options = run.options
    failed: set[str] = set()
    for component in COMPONENTS:
        if component.option is not None and not getattr(options, component.option):
            continue
        missing = [r for r in component.requires if r in failed]
        if missing:
            failed.add(component.name)
            run.doc.analysis_errors.append((component.name, f"skipped: {missing[0]} failed"))
            continue
        try:
            component.run(run)
        except Exception as e:  # RecursionError and MemoryError included: the article is kept
            failed.add(component.name)
            run.doc.analysis_errors.append((component.name, error_text(e)))
