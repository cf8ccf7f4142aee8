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
from functools import cache
from importlib import resources as importlib_resources
from typing import NamedTuple

import numpy as np
import pycrfsuite

from qala.nlp.doc import Doc, Token
from qala.nlp.ner_features import (
    CONTEXT,
    NerResources,
    SentenceFeatures,
    load_resources,
    raw_index,
    split_proclitics,
)
from qala.nlp.ner_rules import refine
from qala.nlp.segment import split_sentences, tokenize

MODEL_FILE = "ner-ar.crfsuite"

Mention = tuple[int, int, str]


class ModelMissingError(FileNotFoundError):
    """The shipped NER model file is not there (a source checkout before ``qala train-ner``)."""


class SubToken(NamedTuple):
    """A piece of a token: the token itself, or a proclitic split off it, or the rest (a tuple:
    about 150,000 are made per pass over the news corpus)."""

    start: int
    end: int
    form: str  # folded match form; «لأمم» of «للأمم» has the form «الامم»
    clitic: bool


def subtokens(tokens: Sequence[Token], vocabulary, memo: dict | None = None) -> list[SubToken]:
    """Split each token's proclitics off: «وبموسكو» -> و, ب, موسكو (offsets into the text)."""
    out: list[SubToken] = []
    append = out.append
    for tok in tokens:
        norm = tok.norm
        if len(norm) < 4 or norm[0] not in "وفبلك":
            append(SubToken(tok.start, tok.end, norm, False))
            continue
        pieces = _split(norm, vocabulary, memo)
        if len(pieces) == 1:
            append(SubToken(tok.start, tok.end, norm, False))
            continue
        aligned = len(tok.text) == len(norm)
        for a, b, form, clitic in pieces:
            s = tok.start + (a if aligned else raw_index(tok.text, a) if a else 0)
            e = tok.start + (b if aligned else raw_index(tok.text, b)) if b < len(norm) else tok.end
            append(SubToken(s, e, form, clitic))
    return out


def _split(norm: str, vocabulary, memo: dict | None) -> list[tuple[int, int, str, bool]]:
    """``split_proclitics``, memoized by the caller per vocabulary (a few thousand words recur)."""
    if memo is None:
        return split_proclitics(norm, vocabulary)
    hit = memo.get(norm)
    if hit is None:
        if len(memo) > 100_000:
            memo.clear()
        hit = memo[norm] = split_proclitics(norm, vocabulary)
    return hit


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


def read_weights(tagger: pycrfsuite.Tagger) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray]:
    """(labels, attribute -> row, state weights (rows, labels), transitions) of a loaded model.

    Streams crfsuite's text dump: ``Tagger.info()`` holds every attribute and feature in
    dicts at once, about 50 MB for the shipped model, which would stay in the peak RSS."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        tagger.dump(name)
        labels: list[str] = []
        rows: dict[str, int] = {}
        cells: list[tuple[int, str, float]] = []
        moves: list[tuple[str, str, float]] = []
        section = ""
        with open(name, encoding="utf-8") as f:
            for line in f:
                if line.endswith("= {\n"):
                    section = line.split(" ", 1)[0]
                    continue
                text = line.lstrip().rstrip("\r\n")
                if not text or text == "}":
                    continue
                if section == "LABELS":
                    labels.append(text.split(": ", 1)[1])
                elif section in ("STATE_FEATURES", "TRANSITIONS"):
                    pair, _, weight = text.partition(") ")[2].rpartition(": ")
                    attr, _, label = pair.rpartition(" --> ")
                    if section == "TRANSITIONS":
                        moves.append((attr, label, float(weight)))
                    else:
                        cells.append((rows.setdefault(attr, len(rows)), label, float(weight)))
    finally:
        os.unlink(name)
    index = {label: k for k, label in enumerate(labels)}
    matrix = np.zeros((len(rows), len(labels)))
    for r, label, w in cells:
        matrix[r, index[label]] = w
    transitions = np.zeros((len(labels), len(labels)))
    for a, b, w in moves:
        transitions[index[a], index[b]] = w
    return labels, rows, matrix, transitions


class ViterbiTagger:
    """The CRF's own decoding, without building feature strings per token.

    crfsuite scores a label by summing the weights of the item's attributes and then runs
    Viterbi over the transition weights. The attributes of a word (its own, and those it lends
    each neighbour) depend only on its form, so their weight sums are computed once per form
    (``SentenceFeatures.word_features``) into a table row, and a document costs one table
    gather, a few array additions and one batched Viterbi: the labels of
    ``pycrfsuite.Tagger.tag`` (a test checks them on the news corpus) at several times the speed.
    """

    _MEMO = 60_000  # forms kept (about 0.4 kB each): bounded for long-running servers
    _BATCH_CELLS = 4096  # sentences x longest length per Viterbi batch: bounded memory

    def __init__(self, tagger: pycrfsuite.Tagger, features: SentenceFeatures) -> None:
        labels, rows, matrix, self.transitions = read_weights(tagger)
        self.labels = labels
        size = len(labels)
        self._rows = rows  # attribute -> row of ``_matrix``: one array, not 50,000 small ones
        self._matrix = matrix
        self.features = features
        self._zero = np.zeros(size)
        self._bos, self._eos = self._sum(["BOS"]), self._sum(["EOS"])
        self._gaz: dict[tuple[int, str], np.ndarray] = {}
        self._ids: dict[tuple[str, bool], int] = {}
        self._table = np.zeros((1024, 1 + len(CONTEXT), size))

    def _sum(self, attrs: Sequence[str]) -> np.ndarray:
        get = self._rows.get
        found = [r for r in map(get, attrs) if r is not None]
        return self._matrix[found].sum(0) if found else self._zero.copy()

    def _form(self, norm: str, clitic: bool) -> int:
        """Row of the form in the table: own weights, then those lent to the neighbours at
        -2, -1, +1, +2."""
        key = (norm, clitic)
        row = self._ids.get(key)
        if row is None:
            if len(self._ids) >= self._MEMO:
                self._ids.clear()
            row = len(self._ids)
            if row == len(self._table):
                self._table = np.concatenate([self._table, np.zeros_like(self._table)])
            own, context = self.features.word_features(norm, clitic)
            self._table[row] = [self._sum(own)] + [self._sum(context[k]) for k in CONTEXT]
            self._ids[key] = row
        return row

    def _gazetteer(self, offset: int, tag: str) -> np.ndarray:
        """Weights of a gazetteer tag on the word itself (offset 0) or lent to a neighbour."""
        vec = self._gaz.get((offset, tag))
        if vec is None:
            vec = self._gaz[(offset, tag)] = self._sum(["gz=" + tag if offset == 0 else f"{offset}:gz={tag}"])
        return vec

    def scores(self, sentences: Sequence[Sequence[tuple[str, bool]]]) -> np.ndarray:
        """(tokens, labels) state scores of the sentences laid end to end, equal to crfsuite's
        for ``SentenceFeatures(sentence)``: no feature crosses a sentence boundary."""
        form = self._form
        rows = [form(norm, clitic) for sentence in sentences for norm, clitic in sentence]
        x = self._table[rows]
        n = len(rows)
        first = np.zeros(n, dtype=bool)
        last = np.zeros(n, dtype=bool)
        k = 0
        for sentence in sentences:
            first[k] = True
            k += len(sentence)
            last[k - 1] = True
        prev1 = ~first[1:, None]  # token i+1 and token i share a sentence
        prev2 = prev1[1:] & prev1[:-1]
        e = x[:, 0].copy()
        e[1:] += x[:-1, 2] * prev1
        e[:-1] += x[1:, 3] * prev1
        e[2:] += x[:-2, 1] * prev2
        e[:-2] += x[2:, 4] * prev2
        e[first] += self._bos
        e[last] += self._eos
        k = 0
        for sentence in sentences:
            self._add_sentence(e, k, sentence)
            k += len(sentence)
        return e

    def _add_sentence(self, e: np.ndarray, k: int, sentence: Sequence[tuple[str, bool]]) -> None:
        """The gazetteer and bigram weights of one sentence starting at row ``k``."""
        m = len(sentence)
        forms = [norm for norm, _ in sentence]
        for i, tag in enumerate(self.features.gazetteer_tags(forms)):
            if tag:
                e[k + i] += self._gazetteer(0, tag)
                for d in CONTEXT:
                    if 0 <= i - d < m:
                        e[k + i - d] += self._gazetteer(d, tag)
        get = self._rows.get
        matrix = self._matrix
        for i in range(1, m):
            r = get("bi=" + forms[i - 1] + "|" + forms[i])
            if r is not None:
                e[k + i] += matrix[r]

    def tag(self, items: Sequence[tuple[str, bool]]) -> list[str]:
        return self.tag_many([items])[0] if items else []

    def tag_many(self, sentences: Sequence[Sequence[tuple[str, bool]]]) -> list[list[str]]:
        """Labels of each sentence; Viterbi runs over batches of sentences of similar length."""
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((k for k, s in enumerate(sentences) if s), key=lambda k: len(sentences[k]))
        batch: list[int] = []
        for k in order:
            if batch and (len(batch) + 1) * len(sentences[k]) > self._BATCH_CELLS:
                self._viterbi_batch([sentences[j] for j in batch], batch, out)
                batch = []
            batch.append(k)
        if batch:
            self._viterbi_batch([sentences[j] for j in batch], batch, out)
        return out

    def _viterbi_batch(self, sentences: list, where: list[int], out: list[list[str]]) -> None:
        """Viterbi over sentences sorted by length: at step i only those longer than i (a
        suffix of the batch) move on, so no masking is needed."""
        lengths = [len(s) for s in sentences]
        size, longest, labels = len(sentences), lengths[-1], len(self.labels)
        e = self.scores(sentences)
        starts = np.cumsum([0] + lengths[:-1])
        t = self.transitions[None]
        score = e[starts].copy()
        back = np.zeros((longest, size, labels), dtype=np.intp)
        lo = 0
        for i in range(1, longest):
            while lengths[lo] <= i:
                lo += 1
            cand = score[lo:, :, None] + t
            back[i, lo:] = cand.argmax(1)
            score[lo:] = cand.max(1) + e[starts[lo:] + i]
        k = score.argmax(1)
        path = np.zeros((size, longest), dtype=np.intp)
        lo = size
        for i in range(longest - 1, -1, -1):
            while lo and lengths[lo - 1] > i:
                lo -= 1
            path[lo:, i] = k[lo:]
            if i:
                k[lo:] = back[i, np.arange(lo, size), k[lo:]]
        names = self.labels
        for j, n, row in zip(where, lengths, path.tolist(), strict=True):
            out[j] = [names[c] for c in row[:n]]


class Recognizer:
    """A loaded CRF model with the resources its features need."""

    def __init__(self, model: bytes, resources: NerResources) -> None:
        self.resources = resources
        self.features = SentenceFeatures(resources)
        self._model = model  # crfsuite reads the buffer in place: it must outlive the tagger
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)
        self._viterbi = ViterbiTagger(self._tagger, self.features)
        self._splits: dict[str, list[tuple[int, int, str, bool]]] = {}

    def tag(self, pieces: Sequence[SubToken]) -> list[str]:
        """BIO labels of one sentence's sub-tokens."""
        if not pieces:
            return []
        return self._viterbi.tag([(p.form, p.clitic) for p in pieces])

    def tag_crfsuite(self, pieces: Sequence[SubToken]) -> list[str]:
        """The same labels from crfsuite's own tagger (the reference ``tag`` is checked against)."""
        if not pieces:
            return []
        return self._tagger.tag(self.features([(p.form, p.clitic) for p in pieces]))

    def recognize_tokens(self, tokens: Sequence[Token]) -> list[Mention]:
        """Mentions over tokens with sentence indices (``Token.sent``), in text order."""
        vocabulary = self.resources.vocabulary
        sentences = []
        i, n = 0, len(tokens)
        while i < n:
            j = i + 1
            while j < n and tokens[j].sent == tokens[i].sent:
                j += 1
            sentences.append(subtokens(tokens[i:j], vocabulary, self._splits))
            i = j
        labels = self._viterbi.tag_many([[(p.form, p.clitic) for p in ps] for ps in sentences])
        mentions: list[Mention] = []
        for pieces, tags in zip(sentences, labels, strict=True):
            mentions.extend(decode(tags, pieces))
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
