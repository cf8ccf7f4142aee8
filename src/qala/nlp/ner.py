"""Named-entity mentions (PER, ORG, LOC, MISC) with a CRF over clitic-split sub-tokens.

``recognize(doc)`` gives ``(start, end, type)`` character spans into ``doc.text`` that
follow the news_dev conventions: a span leaves out a proclitic (و ف ب ل ك) but keeps ال,
so in «وقال الرئيس الروسي فلاديمير بوتين بموسكو» the mentions are «فلاديمير بوتين» (PER)
and «موسكو» (LOC), the title and the nationality adjective left out. The model is
``qala/models/ner-ar.crfsuite`` (BIO tags, python-crfsuite), loaded once on first use;
``qala train-ner`` rebuilds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources

import pycrfsuite

from qala.nlp.doc import Doc, Token
from qala.nlp.ner_features import NerResources, SentenceFeatures, load_resources, raw_index, split_proclitics
from qala.nlp.ner_rules import refine
from qala.nlp.segment import split_sentences, tokenize

MODEL_FILE = "ner-ar.crfsuite"

Mention = tuple[int, int, str]


class ModelMissingError(FileNotFoundError):
    """The shipped NER model file is not there (a source checkout before ``qala train-ner``)."""


@dataclass(frozen=True, slots=True)
class SubToken:
    """A piece of a token: the token itself, or a proclitic split off it, or the rest."""

    start: int
    end: int
    form: str  # folded match form; «لأمم» of «للأمم» has the form «الامم»
    clitic: bool


def subtokens(tokens: Sequence[Token], vocabulary) -> list[SubToken]:
    """Split each token's proclitics off: «وبموسكو» -> و, ب, موسكو (offsets into the text)."""
    out: list[SubToken] = []
    for tok in tokens:
        norm = tok.norm
        if len(norm) < 4 or norm[0] not in "وفبلك":
            out.append(SubToken(tok.start, tok.end, norm, False))
            continue
        pieces = split_proclitics(norm, vocabulary)
        if len(pieces) == 1:
            out.append(SubToken(tok.start, tok.end, norm, False))
            continue
        aligned = len(tok.text) == len(norm)
        for a, b, form, clitic in pieces:
            s = tok.start + (a if aligned else raw_index(tok.text, a) if a else 0)
            e = tok.start + (b if aligned else raw_index(tok.text, b)) if b < len(norm) else tok.end
            out.append(SubToken(s, e, form, clitic))
    return out


def decode(labels: Sequence[str], pieces: Sequence[SubToken]) -> list[Mention]:
    """BIO labels to spans; a stray I- opens a mention, a clitic never starts one."""
    spans: list[Mention] = []
    start = end = -1
    kind = ""
    for label, piece in zip(labels, pieces, strict=True):
        if label == "O" or (piece.clitic and (kind == "" or label[0] == "B")):
            if kind:
                spans.append((start, end, kind))
            kind = ""
            continue
        tag, typ = label[0], label[2:]
        if tag == "B" or typ != kind:
            if kind:
                spans.append((start, end, kind))
            start, kind = piece.start, typ
        end = piece.end
    if kind:
        spans.append((start, end, kind))
    return spans


class Recognizer:
    """A loaded CRF model with the resources its features need."""

    def __init__(self, model: bytes, resources: NerResources) -> None:
        self.resources = resources
        self.features = SentenceFeatures(resources)
        self._model = model  # crfsuite reads the buffer in place: it must outlive the tagger
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)

    def tag(self, pieces: Sequence[SubToken]) -> list[str]:
        """BIO labels of one sentence's sub-tokens."""
        if not pieces:
            return []
        return self._tagger.tag(self.features([(p.form, p.clitic) for p in pieces]))

    def recognize_tokens(self, tokens: Sequence[Token]) -> list[Mention]:
        """Mentions over tokens with sentence indices (``Token.sent``), in text order."""
        mentions: list[Mention] = []
        vocabulary = self.resources.vocabulary
        i, n = 0, len(tokens)
        while i < n:
            j = i + 1
            while j < n and tokens[j].sent == tokens[i].sent:
                j += 1
            pieces = subtokens(tokens[i:j], vocabulary)
            mentions.extend(decode(self.tag(pieces), pieces))
            i = j
        return refine(tokens, mentions)

    def recognize(self, doc: Doc) -> list[Mention]:
        tokens = doc.tokens
        if not tokens and doc.text.strip():
            tokens = tokenize(doc.text, split_sentences(doc.text))
        return self.recognize_tokens(tokens)


@cache
def default_recognizer() -> Recognizer:
    """The shipped model, read once; a missing file says how to build it."""
    path = importlib_resources.files("qala").joinpath("models", MODEL_FILE)
    if not path.is_file():
        raise ModelMissingError(
            f"NER model file qala/models/{MODEL_FILE} not found; build it with `qala train-ner`"
        )
    return Recognizer(path.read_bytes(), load_resources())


def recognize(doc: Doc) -> list[Mention]:
    """Entity mentions ``(start, end, type)`` of ``doc`` with type PER, ORG, LOC or MISC.

    ``doc.text[start:end]`` is the mention, e.g. ``(21, 35, "PER")`` for «فلاديمير بوتين»
    in «قال الرئيس الروسي فلاديمير بوتين في موسكو». Uses ``doc.tokens`` (segmenting the
    text itself when they are missing); mentions do not overlap.
    """
    return default_recognizer().recognize(doc)
