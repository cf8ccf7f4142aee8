"""Runs the components in their declared order over one text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qala.nlp.dates import date_statements, find_dates
from qala.nlp.doc import Doc
from qala.nlp.entities import find_entities
from qala.nlp.links import find_links
from qala.nlp.segment import split_sentences, tokenize
from qala.nlp.speakers import attribute


@dataclass(frozen=True, slots=True)
class Options:
    """Picklable analysis options (Spark ships one copy to each executor)."""

    entities: bool = True
    quotes: bool = True
    dates: bool = True
    links: bool = True


def analyze(text: str, meta: dict[str, Any] | None = None, *, id: str | None = None,
            options: Options | None = None) -> Doc:
    """Analyze one Arabic news text, e.g. ``analyze("قال بوتين إن ...")``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    options = options or Options()
    doc = Doc(text=text, id=id, meta=dict(meta or {}))
    doc.sentences = split_sentences(text)
    doc.tokens = tokenize(text, doc.sentences)
    if options.entities:
        doc.entities = find_entities(doc)
    if options.quotes:
        doc.quotes = attribute(doc)
    if options.dates:
        doc.dates = find_dates(doc)
        date_statements(doc)
    if options.links:
        doc.links = find_links(doc)
    return doc
