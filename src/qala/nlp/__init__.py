"""The pure core: ``analyze(text, meta) -> Doc``. No I/O here, only lazily loaded read-only data."""

from qala.nlp.doc import Doc, Entity, Quote, Sentence, Span, Speaker, Token
from qala.nlp.pipeline import Options, analyze

__all__ = ["Doc", "Entity", "Options", "Quote", "Sentence", "Span", "Speaker", "Token", "analyze"]
