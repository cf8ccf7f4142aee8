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
from qala.nlp.statement_model import StatementModel, shipped_model
from qala.nlp.words import add_words

MAX_ERROR_CHARS = 300  # an error message is a hint for a bug report, not a dump of the text


@dataclass(frozen=True, slots=True)
class Options:
    """Picklable analysis options (Spark ships one copy to each executor)."""

    entities: bool = True
    quotes: bool = True
    dates: bool = True
    links: bool = True
    # Statements: the shipped statement model decides (read lazily), or another trained
    # ``StatementModel`` (cross-validation), or with ``learned_statements=False`` the rules alone.
    learned_statements: bool = True
    statement_model: StatementModel | None = None
    # Speakers: the shipped ranker (read once), another trained ``SpeakerRanker`` (cross-validation),
    # or with ``rank_speakers=False`` the rules alone.
    rank_speakers: bool = True
    speaker_ranker: SpeakerRanker | None = None


def statement_model(options: Options) -> StatementModel | None:
    """The statement model these options ask for, if any."""
    if not options.learned_statements:
        return None
    return options.statement_model or shipped_model()


def speaker_ranker(options: Options) -> SpeakerRanker | None:
    """The ranker the speakers component uses under ``options`` (None: the rules alone)."""
    if not options.rank_speakers:
        return None
    return options.speaker_ranker or shipped_ranker()


@dataclass(slots=True)
class _Run:
    """One analysis in progress: the Doc and what components hand to later ones."""

    doc: Doc
    candidates: list[Candidate] | None = None
    options: Options = Options()
    collect: list | None = None  # the speakers component's candidate sources, when training asks


Run = _Run  # what a component's work receives: ``run.doc`` to read and fill


def _segment(run: _Run) -> None:
    sentences = split_sentences(run.doc.text)
    run.doc.tokens = tokenize(run.doc.text, sentences)
    run.doc.sentences = sentences


def _words(run: _Run) -> None:
    add_words(run.doc)


def _entities(run: _Run) -> None:
    run.doc.entities = find_entities(run.doc)


def _quotes(run: _Run) -> None:
    run.candidates = find_statements(run.doc, statement_model(run.options))
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
    """A step of the pipeline: its name, the layers it needs and adds, and its work.

    ``uses`` are layers it reads when present but can do without (the speaker rules treat
    every subject phrase as a name when there are no entities), so that difference is declared.
    """

    name: str
    requires: tuple[str, ...]  # layers that must be there (added by an earlier component)
    run: Callable[[_Run], None]
    option: str | None = None  # the ``Options`` field that turns it off
    adds: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


COMPONENTS: tuple[Component, ...] = (
    Component("segment", (), _segment, adds=("sentences", "tokens")),
    Component("words", ("tokens",), _words, adds=("words",)),
    Component("entities", ("words",), _entities, "entities", adds=("entities",)),
    Component("quotes", ("words",), _quotes, "quotes", adds=("candidates", "quotes"), uses=("entities",)),
    Component("speakers", ("candidates",), _speakers, "quotes", adds=("speakers",), uses=("entities",)),
    Component("dates", ("tokens",), _dates, "dates", adds=("dates",), uses=("quotes",)),
    Component("links", (), _links, "links", adds=("links",)),
)


class PipelineError(ValueError):
    """A pipeline whose components do not fit: a name twice, or a layer nobody adds."""


class Pipeline:
    """An ordered, checked list of components; ``Pipeline.default().replace("entities", mine)``.

    The check runs once, when the pipeline is made: each component's required layers must
    be added by an earlier one, so a swapped or dropped component fails loudly here, not
    silently inside some article."""

    def __init__(self, components: tuple[Component, ...] | list[Component]) -> None:
        self.components = tuple(components)
        self.provider: dict[str, str] = {}
        seen: set[str] = set()
        for c in self.components:
            if c.name in seen:
                raise PipelineError(f"component {c.name!r} appears twice")
            seen.add(c.name)
            for layer in c.requires:
                if layer not in self.provider:
                    raise PipelineError(f"component {c.name!r} needs {layer!r}, which no earlier component adds")
            for layer in c.adds:
                self.provider.setdefault(layer, c.name)

    @classmethod
    def default(cls) -> Pipeline:
        return cls(COMPONENTS)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def replace(self, name: str, component: Component) -> Pipeline:
        """This pipeline with ``name`` swapped for ``component`` (another NER, another ranker)."""
        if name not in self.names:
            raise PipelineError(f"no component {name!r} to replace (have {', '.join(self.names)})")
        return Pipeline([component if c.name == name else c for c in self.components])

    def without(self, name: str) -> Pipeline:
        """This pipeline with ``name`` dropped; refused if a later component needs what it adds."""
        if name not in self.names:
            raise PipelineError(f"no component {name!r} to drop (have {', '.join(self.names)})")
        return Pipeline([c for c in self.components if c.name != name])


_DEFAULT: dict[int, Pipeline] = {}


def _default() -> Pipeline:
    """The default pipeline, checked once per definition of ``COMPONENTS``."""
    key = id(COMPONENTS)
    got = _DEFAULT.get(key)
    if got is None or got.components is not COMPONENTS:
        got = _DEFAULT[key] = Pipeline(COMPONENTS)
    return got


def error_text(e: BaseException) -> str:
    """``IndexError: list index out of range``, on one line and at most ``MAX_ERROR_CHARS`` long."""
    text = " ".join(f"{type(e).__name__}: {e}".split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def analyze(text: str, meta: dict[str, Any] | None = None, *, id: str | None = None,
            options: Options | None = None, pipeline: Pipeline | None = None) -> Doc:
    """Analyze one Arabic news text, e.g. ``analyze("قال بوتين إن ...")``; never raises for a str."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    options = options or Options()
    run = _Run(Doc(text=text, id=id, meta=dict(meta or {})), options=options)
    run_components(run, pipeline)
    return run.doc


def run_components(run: _Run, pipeline: Pipeline | None = None) -> None:
    """Runs the pipeline's components over ``run`` in order, each one isolated (see the module's
    docstring); training calls it to keep what a component hands on (``run.collect``)."""
    options = run.options
    pipe = pipeline or _default()
    failed: set[str] = set()  # components that raised or were skipped
    for component in pipe.components:
        if component.option is not None and not getattr(options, component.option):
            continue
        missing = [pipe.provider[r] for r in component.requires if pipe.provider[r] in failed]
        if missing:
            failed.add(component.name)
            run.doc.analysis_errors.append((component.name, f"skipped: {missing[0]} failed"))
            continue
        try:
            component.run(run)
        except Exception as e:  # RecursionError and MemoryError included: the article is kept
            failed.add(component.name)
            run.doc.analysis_errors.append((component.name, error_text(e)))
