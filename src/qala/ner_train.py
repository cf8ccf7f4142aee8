"""Corpora, training and span scoring for the NER model (I/O lives here, not in ``qala.nlp``).

Readers turn each corpus into sentences of ``(word, tag)`` with BIO tags over PER, ORG,
LOC and MISC:

- AQMAR (``token TAG``, blank line between sentences; MIS0-3 -> MISC, stray typo tags fixed),
- Wojood (several tags per token, outer first; nested spans, the outermost kept type wins),
- ANERcorp (``token TAG``, no sentence breaks: cut after sentence-final punctuation;
  evaluation only, never training data for the shipped model),

and news_dev gives character spans over article texts. ``train`` fits the CRF on
clitic-split sub-tokens; ``score`` compares mention spans by exact match.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pycrfsuite

from qala.corpus.standoff import Annotated
from qala.nlp.doc import Token
from qala.nlp.ner import Recognizer, SubToken, decode, subtokens
from qala.nlp.ner_features import (
    FIRST_NAMES_FILE,
    GAZETTEER_FILES,
    TYPES,
    VOCABULARY_FILE,
    NerResources,
    SentenceFeatures,
    load_countries,
    load_resources,
    split_proclitics,
)
from qala.nlp.ner_rules import refine
from qala.nlp.normalize import fold
from qala.nlp.segment import split_sentences, tokenize

WordSentence = list[tuple[str, str]]
Example = tuple[list[tuple[str, bool]], list[str]]
Span = tuple[int, int, str]

# AQMAR articles kept out of training to measure on (4 of 28, mixed topics).
AQMAR_HOLDOUT = ("Damascus.txt", "Enrico_Fermi.txt", "Linux.txt", "Summer_Olympics2004.txt")
# Wojood types that are ours; NORP (nationalities) is no entity by our conventions, and
# dates, numbers, occupations and websites are other layers.
WOJOOD_TYPES = {
    "PERS": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "LAW": "MISC",
}
SENTENCE_FINAL = frozenset({".", "!", "?", "؟", "…"})
SEED = 13


@dataclass(frozen=True, slots=True)
class TrainParams:
    """CRF settings of the shipped model; L-BFGS is deterministic given the data order."""

    c1: float = 0.02
    c2: float = 0.05
    max_iterations: int = 200
    gazetteer_min_count: int = 2
    clusters: bool = True  # word-cluster features (``qala/models/clusters-ar.tsv.gz``)


class CorpusError(ValueError):
    """A corpus line that cannot be read; the message names file and line."""


# --- readers -------------------------------------------------------------------------


def normalize_tag(tag: str) -> str:
    """A corpus tag as BIO over our types: ``B-MIS1`` -> ``B-MISC``, ``I--ORG`` -> ``I-ORG``.

    AQMAR has a few typos (``B-MIS1``` ``OO`` ``IO`` ``B-MISS1`` ``B-ENGLISH``); a foreign
    word tag counts as MISC, an unknown ``O``-like tag as ``O``.
    """
    tag = tag.strip("`'‏ ")
    if tag in ("O", "OO", "IO", "") or len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "O"
    kind = tag[2:].strip("-").upper()
    if kind.startswith("MIS") or kind in ("ENGLISH", "SPANISH"):
        kind = "MISC"
    kind = {"PERS": "PER", "PERSON": "PER", "GPE": "LOC"}.get(kind, kind)
    return f"{tag[0]}-{kind}" if kind in TYPES else "O"


def repair_bio(tags: list[str]) -> list[str]:
    """An ``I-X`` that follows neither ``B-X`` nor ``I-X`` becomes ``B-X``."""
    out = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise CorpusError(f"{path}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: invalid UTF-8") from None


_TAG = re.compile(r"(?:O|OO|IO|[BI]-+[A-Za-z0-9]+(?:-[0-9]+)?`?)\u200f?")


def _tag(path: Path, n: int, tag: str) -> str:
    """The tag, or a ``CorpusError`` naming the line when it is none."""
    if not _TAG.fullmatch(tag):
        raise CorpusError(f"{path}:{n}: {tag[:40]!r} is not a BIO tag")
    return tag


def _finish(sentence: WordSentence, out: list[WordSentence]) -> None:
    if sentence:
        tags = repair_bio([t for _, t in sentence])
        out.append([(w, t) for (w, _), t in zip(sentence, tags, strict=True)])


def read_aqmar(path: Path) -> list[WordSentence]:
    """AQMAR: ``token TAG`` lines, a blank line between sentences."""
    sentences: list[WordSentence] = []
    current: WordSentence = []
    for n, line in enumerate(_read_lines(path), start=1):
        parts = line.split()
        if not parts:
            _finish(current, sentences)
            current = []
            continue
        if len(parts) < 2:
            raise CorpusError(f"{path}:{n}: expected 'token TAG', got {line.strip()[:40]!r}")
        current.append((" ".join(parts[:-1]), normalize_tag(_tag(path, n, parts[-1]))))
    _finish(current, sentences)
    return sentences


def _wojood_spans(rows: list[list[str]]) -> list[Span]:
    """Spans (first word, end word, type) of every tag layer of one Wojood sentence."""
    spans: list[Span] = []
    open_at: dict[str, int] = {}
    for i, tags in enumerate(rows):
        present: dict[str, str] = {}
        for tag in tags:
            if len(tag) > 2 and tag[1] == "-" and tag[0] in "BI":
                kind = tag[2:]
                # outer I- and inner B- of one type: the outer span goes on
                present[kind] = "I" if present.get(kind) == "I" else tag[0]
        for kind in list(open_at):
            if present.get(kind) != "I":
                spans.append((open_at.pop(kind), i, kind))
        for kind, bio in present.items():
            if bio == "B" or kind not in open_at:
                open_at[kind] = i
    spans.extend((s, len(rows), kind) for kind, s in open_at.items())
    return spans


def _wojood_sentence(words: list[str], rows: list[list[str]], out: list[WordSentence]) -> None:
    if not words:
        return
    spans = [(s, e, WOJOOD_TYPES[k]) for s, e, k in _wojood_spans(rows) if k in WOJOOD_TYPES]
    spans.sort(key=lambda sp: (sp[0] - sp[1], sp[0]))  # longest (outermost) first
    tags = ["O"] * len(words)
    for s, e, kind in spans:
        if all(t == "O" for t in tags[s:e]):
            tags[s] = "B-" + kind
            for k in range(s + 1, e):
                tags[k] = "I-" + kind
    out.append(list(zip(words, tags, strict=True)))


def read_wojood(path: Path) -> list[WordSentence]:
    """Wojood: ``token TAG [TAG ...]`` (outer first), ``$#$ O`` lines dropped, blank = break."""
    sentences: list[WordSentence] = []
    words: list[str] = []
    rows: list[list[str]] = []
    for n, line in enumerate(_read_lines(path), start=1):
        parts = line.split()
        if not parts:
            _wojood_sentence(words, rows, sentences)
            words, rows = [], []
            continue
        if parts[0] == "$#$":
            continue
        if len(parts) < 2:
            raise CorpusError(f"{path}:{n}: expected 'token TAG [TAG ...]', got {line.strip()[:40]!r}")
        words.append(parts[0])
        rows.append([_tag(path, n, t) for t in parts[1:]])
    _wojood_sentence(words, rows, sentences)
    return sentences


def read_anercorp(path: Path) -> list[WordSentence]:
    """ANERcorp: ``token TAG`` lines without breaks, cut after sentence-final punctuation."""
    sentences: list[WordSentence] = []
    current: WordSentence = []
    for n, line in enumerate(_read_lines(path), start=1):
        parts = line.replace("\u200f", " ").split()
        if not parts:
            continue
        if len(parts) < 2:
            if parts[0] in ("O",) or normalize_tag(parts[0]) != "O":
                continue  # a tag with an empty token
            raise CorpusError(f"{path}:{n}: expected 'token TAG', got {line.strip()[:40]!r}")
        word = " ".join(parts[:-1])
        current.append((word, normalize_tag(_tag(path, n, parts[-1]))))
        if word in SENTENCE_FINAL:
            _finish(current, sentences)
            current = []
    _finish(current, sentences)
    return sentences


def read_conll(path: Path, fmt: str) -> list[WordSentence]:
    readers = {"aqmar": read_aqmar, "wojood": read_wojood, "anercorp": read_anercorp}
    if fmt not in readers:
        raise CorpusError(f"unknown format {fmt!r} (expected one of {', '.join(readers)})")
    return readers[fmt](path)


def countries_as_places(sentences: list[WordSentence]) -> list[WordSentence]:
    """Country names tagged ORG (Wojood tags a state that acts as ORG) become LOC, as in news_dev."""
    countries = load_countries()
    out = []
    for sentence in sentences:
        tags = [t for _, t in sentence]
        for s, e, kind in labels_to_spans(tags):
            words = [fold(w) for w, _ in sentence[s:e]]
            words[0] = split_proclitics(words[0], {})[-1][2] if words[0] else words[0]
            if kind == "ORG" and tuple(words) in countries:
                tags[s:e] = ["B-LOC"] + ["I-LOC"] * (e - s - 1)
        out.append([(w, t) for (w, _), t in zip(sentence, tags, strict=True)])
    return out


def without_type(sentences: list[WordSentence], kind: str) -> list[WordSentence]:
    """The sentences with one type's tags turned into O."""
    return [[(w, "O" if t[2:] == kind else t) for w, t in s] for s in sentences]


def last_sixth(sentences: list[WordSentence]) -> tuple[list[WordSentence], list[WordSentence]]:
    """First 5/6 and last 1/6 of the tokens, cut at the first sentence end past 5/6."""
    total = sum(len(s) for s in sentences)
    seen = 0
    for i, sentence in enumerate(sentences):
        seen += len(sentence)
        if seen >= total * 5 / 6:
            return sentences[: i + 1], sentences[i + 1 :]
    return sentences, []


@dataclass(slots=True)
class Article:
    """A news_dev article: its text and gold ``(start, end, type)`` spans."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)


def read_news_dev(annotations: Path, articles: Path) -> list[Article]:
    """The annotated articles, texts joined from ``articles.jsonl`` by id (dev split only)."""
    texts: dict[str, str] = {}
    for n, line in enumerate(_read_lines(articles), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise CorpusError(f"{articles}:{n}: invalid JSON ({e.msg})") from None
        if obj.get("split") == "dev":
            texts[obj["id"]] = obj["text"]
    out = []
    for n, line in enumerate(_read_lines(annotations), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = texts[obj["id"]]
            spans = [(e["start"], e["end"], e["type"]) for e in obj["entities"]]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise CorpusError(f"{annotations}:{n}: bad annotation or unknown dev article ({e})") from None
        out.append(Article(obj["id"], text, sorted(s for s in spans if s[2] in TYPES)))
    return out


def news_holdout(articles: list[Article], every: int = 5) -> tuple[list[Article], list[Article]]:
    """(train, held-out): every ``every``-th article by sorted id is held out (~20%)."""
    ordered = sorted(articles, key=lambda a: a.id)
    return (
        [a for i, a in enumerate(ordered) if i % every != every - 1],
        [a for i, a in enumerate(ordered) if i % every == every - 1],
    )


def read_word_corpora(data_dir: Path, held: Iterable[str] = AQMAR_HOLDOUT) -> list[WordSentence]:
    """AQMAR (without the held-out files) and the Wojood sample train and val files."""
    held = set(held)
    aqmar_files = sorted((data_dir / "aqmar").glob("*.txt"))
    if not aqmar_files:
        raise CorpusError(f"{data_dir / 'aqmar'}: no AQMAR .txt files")
    words = [s for f in aqmar_files if f.name not in held for s in read_aqmar(f)]
    words += countries_as_places(
        read_wojood(data_dir / "wojood_sample" / "train.txt")
        + read_wojood(data_dir / "wojood_sample" / "val.txt")
    )
    return words


def corpus_articles(docs: Iterable[Annotated]) -> list[Article]:
    """Annotation-corpus articles that carry entity spans, as ``Article``s (others are skipped:
    an article without spans was not annotated for entities)."""
    out = []
    for d in docs:
        spans = sorted((e["start"], e["end"], e["type"]) for e in d.entities if e["type"] in TYPES)
        if spans:
            out.append(Article(d.id, d.article.text, spans))
    return out


def news_training(
    news_dev: Sequence[Article],
    corpus_docs: Sequence[Annotated] = (),
    exclude: Iterable[str] = (),
) -> list[Article]:
    """The news articles a model trains on: news_dev, plus the corpus's trainable entity
    annotations (never SaudiNewsNet: ``may_train``), each article once, sorted by id,
    without the ``exclude`` ids (a held-out fold)."""
    out = {a.id: a for a in news_dev}
    for a in corpus_articles(d for d in corpus_docs if d.may_train):
        out.setdefault(a.id, a)
    drop = set(exclude)
    return [out[k] for k in sorted(out) if k not in drop]


# --- sentences as sub-token examples -------------------------------------------------


def word_tokens(words: Sequence[str]) -> list[Token]:
    """Corpus words as tokens over the text ``" ".join(words)``."""
    tokens = []
    pos = 0
    for w in words:
        tokens.append(Token(pos, pos + len(w), w, fold(w), 0))
        pos += len(w) + 1
    return tokens


def word_example(sentence: WordSentence, vocabulary) -> Example:
    """Sub-token items and labels: a split-off proclitic of a B- word is O."""
    items: list[tuple[str, bool]] = []
    labels: list[str] = []
    for word, tag in sentence:
        norm = fold(word)
        pieces = (
            split_proclitics(norm, vocabulary)
            if len(norm) >= 4 and norm[0] in "وفبلك"
            else [(0, len(norm), norm, False)]
        )
        for _, _, form, clitic in pieces:
            items.append((form, clitic))
            labels.append("O" if clitic and tag[0] == "B" else tag)
    return items, repair_bio(labels)


def news_pieces(article: Article, vocabulary) -> list[tuple[list[SubToken], list[str]]]:
    """Sentences of sub-tokens with labels from the gold spans.

    A gold span that starts inside a sub-token (a proclitic the rule kept) splits it there,
    so the labels follow the annotation; a span ending inside a word takes the whole word.
    """
    text = article.text
    tokens = tokenize(text, split_sentences(text))
    starts = {s for s, _, _ in article.spans}
    out = []
    i, n = 0, len(tokens)
    while i < n:
        j = i + 1
        while j < n and tokens[j].sent == tokens[i].sent:
            j += 1
        pieces: list[SubToken] = []
        for p in subtokens(tokens[i:j], vocabulary):
            cut = next((s for s in starts if p.start < s < p.end), None)
            if cut is not None and cut - p.start <= 2:
                head = fold(text[p.start : cut])
                rest = fold(text[cut : p.end])
                pieces.append(SubToken(p.start, cut, head, all(c in "وفبلك" for c in head)))
                pieces.append(
                    SubToken(
                        cut, p.end, "ا" + rest if head.endswith("ل") and rest[:1] == "ل" else rest, False
                    )
                )
            else:
                pieces.append(p)
        labels = ["O"] * len(pieces)
        for s, e, kind in article.spans:
            inside = [k for k, p in enumerate(pieces) if p.start < e and p.end > s]
            if inside and all(labels[k] == "O" for k in inside):
                labels[inside[0]] = "B-" + kind
                for k in inside[1:]:
                    labels[k] = "I-" + kind
        out.append((pieces, labels))
        i = j
    return out


# --- resources: vocabulary and gazetteers from the training data ---------------------


def count_vocabulary(
    word_sentences: Iterable[WordSentence], articles: Iterable[Article], min_count: int = 2
) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for sentence in word_sentences:
        counts.update(fold(w) for w, _ in sentence)
    for article in articles:
        counts.update(t.norm for t in tokenize(article.text, split_sentences(article.text)))
    return {w: c for w, c in counts.items() if c >= min_count}


def build_resources(
    word_sentences: list[WordSentence], articles: list[Article], min_count: int = 2
) -> NerResources:
    """Vocabulary, and PER/ORG/LOC names seen ``min_count`` times and mostly as that type.

    Countries come first from the shipped ``gazetteer_countries.txt``.
    """
    vocabulary = count_vocabulary(word_sentences, articles)
    examples = [word_example(s, vocabulary) for s in word_sentences]
    examples += [
        ([(p.form, p.clitic) for p in ps], labels)
        for a in articles
        for ps, labels in news_pieces(a, vocabulary)
    ]
    names: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    firsts: Counter[str] = Counter()
    for items, labels in examples:
        for s, e, kind in labels_to_spans(labels):
            if kind != "MISC":
                names[tuple(form for form, _ in items[s:e])][kind] += 1
            if kind == "PER" and e - s >= 2:
                firsts[items[s][0]] += 1
    occurrences: Counter[tuple[str, ...]] = Counter()
    by_first: dict[str, set[int]] = defaultdict(set)
    for name in names:
        by_first[name[0]].add(len(name))
    for items, _ in examples:
        forms = [f for f, _ in items]
        for i, form in enumerate(forms):
            for size in by_first.get(form, ()):
                occurrences[tuple(forms[i : i + size])] += 1
    gazetteer = load_countries()
    for name, kinds in sorted(names.items()):
        total = sum(kinds.values())
        kind, top = kinds.most_common(1)[0]
        if total >= min_count and top * 2 >= occurrences[name] and len(name) <= 8:
            gazetteer.setdefault(name, kind)
    # first words of person names (محمد، جورج), when the word is mostly one
    first_names = frozenset(
        w for w, c in firsts.items() if c >= min_count and c * 2 >= vocabulary.get(w, 0) and len(w) > 1
    )
    return NerResources(vocabulary, gazetteer, first_names)


def write_resources(resources: NerResources, directory: Path) -> None:
    """The generated lists, so ``load_resources`` finds what the model was trained with."""
    header = (
        "# Generated by `qala train-ner` from the training data (AQMAR, Wojood sample, news_dev,"
        " corpus ANT entity spans); CC BY-SA 3.0.\n"
    )
    countries = load_countries()
    for kind, name in GAZETTEER_FILES.items():
        lines = sorted(
            " ".join(k) for k, v in resources.gazetteer.items() if v == kind and k not in countries
        )
        (directory / name).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    (directory / FIRST_NAMES_FILE).write_text(
        header + "\n".join(sorted(resources.first_names)) + "\n", encoding="utf-8"
    )
    vocab = sorted(resources.vocabulary.items(), key=lambda kv: (-kv[1], kv[0]))
    (directory / VOCABULARY_FILE).write_text(
        header.replace("; CC", " (folded word, count); CC") + "".join(f"{w}\t{c}\n" for w, c in vocab),
        encoding="utf-8",
    )


# --- training ------------------------------------------------------------------------


def labels_to_spans(labels: Sequence[str]) -> list[Span]:
    """``(first, end, type)`` item spans of BIO labels (a stray I- opens a span)."""
    spans = []
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        if label == "O" or label[0] == "B" or label[2:] != kind:
            if kind:
                spans.append((start, i, kind))
            start, kind = (i, label[2:]) if label != "O" else (-1, "")
    return spans


def training_examples(
    word_sentences: list[WordSentence], articles: list[Article], resources: NerResources
) -> list[Example]:
    vocabulary = resources.vocabulary
    examples = [word_example(s, vocabulary) for s in word_sentences]
    for article in articles:
        for pieces, labels in news_pieces(article, vocabulary):
            examples.append(([(p.form, p.clitic) for p in pieces], labels))
    return [e for e in examples if e[0]]


class _Trainer(pycrfsuite.Trainer):
    def __init__(self, on_iteration: Callable[[int], None] | None) -> None:
        super().__init__(verbose=False)
        self._callback = on_iteration

    def on_iteration(self, log, info):  # noqa: ANN001 - pycrfsuite's hook signature
        if self._callback:
            self._callback(int(info.get("num", 0)))


def train(
    examples: list[Example],
    resources: NerResources,
    output: Path,
    params: TrainParams = TrainParams(),
    on_example: Callable[[], None] | None = None,
    on_iteration: Callable[[int], None] | None = None,
) -> None:
    """Fit the CRF on the examples (shuffled with a fixed seed) and write it to ``output``."""
    featurize = SentenceFeatures(resources)
    order = list(range(len(examples)))
    random.Random(SEED).shuffle(order)
    trainer = _Trainer(on_iteration)
    for k in order:
        items, labels = examples[k]
        trainer.append(featurize(items), labels)
        if on_example:
            on_example()
    trainer.set_params(
        {
            "c1": params.c1,
            "c2": params.c2,
            "max_iterations": params.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))


# --- scoring -------------------------------------------------------------------------


@dataclass(slots=True)
class Scores:
    """Exact-match counts per type."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        gold, predicted = set(gold), set(predicted)
        for s in gold & predicted:
            self.tp[s[2]] += 1
        for s in predicted - gold:
            self.fp[s[2]] += 1
        for s in gold - predicted:
            self.fn[s[2]] += 1

    def prf(self, kind: str | None = None) -> tuple[float, float, float, int]:
        """Precision, recall, F1 and gold count of one type, or micro over all."""
        kinds = TYPES if kind is None else (kind,)
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def rows(self) -> list[tuple[str, float, float, float, int]]:
        return [(k, *self.prf(k)) for k in TYPES] + [("micro", *self.prf())]


def word_spans(recognizer: Recognizer, words: Sequence[str]) -> list[Span]:
    """Predicted mentions as word spans: a mention starting after a proclitic takes the word."""
    tokens = word_tokens(words)
    pieces = subtokens(tokens, recognizer.resources.vocabulary)
    mentions = refine(tokens, decode(recognizer.tag(pieces), pieces))
    word_at = {}
    for k, t in enumerate(tokens):
        for c in range(t.start, t.end):
            word_at[c] = k
    return [(word_at[s], word_at[e - 1] + 1, kind) for s, e, kind in mentions]


def score_words(recognizer: Recognizer, sentences: Iterable[WordSentence]) -> Scores:
    scores = Scores()
    for sentence in sentences:
        gold = labels_to_spans([t for _, t in sentence])
        scores.add(gold, word_spans(recognizer, [w for w, _ in sentence]))
    return scores


def score_articles(recognizer: Recognizer, articles: Iterable[Article]) -> Scores:
    scores = Scores()
    for article in articles:
        tokens = tokenize(article.text, split_sentences(article.text))
        scores.add(article.spans, recognizer.recognize_tokens(tokens))
    return scores


def load_recognizer(model: Path, resources: NerResources | None = None) -> Recognizer:
    return Recognizer(model.read_bytes(), resources or load_resources())


def fit(
    words: list[WordSentence], news: list[Article], params: TrainParams = TrainParams()
) -> Recognizer:
    """A recognizer trained on these sentences and articles only (resources rebuilt from them)."""
    import tempfile

    resources = build_resources(words, news, params.gazetteer_min_count)
    if not params.clusters:
        resources.clusters = {}
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.crfsuite"
        train(training_examples(words, news, resources), resources, model, params)
        return load_recognizer(model, resources)


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """What one cross-validated NER run trains on; ``with_corpus`` adds the corpus's spans."""

    words: list[WordSentence]
    news_dev: list[Article]
    docs: list[Annotated]
    k: int = 5
    with_corpus: bool = True
    params: TrainParams = TrainParams()
    keep: Path | None = None  # fold models kept here and reused: re-scoring rule changes needs no refit


def _fold_model(cv: CrossValidation, held: list[Annotated]) -> Recognizer:
    """The model trained without the held-out fold (read from ``cv.keep`` when it is there)."""
    import hashlib
    import pickle

    news = news_training(cv.news_dev, cv.docs if cv.with_corpus else (), exclude=(d.id for d in held))
    if cv.keep is None:
        return fit(cv.words, news, cv.params)
    key = hashlib.sha256(repr((sorted(a.id for a in news), cv.params)).encode()).hexdigest()[:16]
    model, res = cv.keep / f"fold-{key}.crfsuite", cv.keep / f"fold-{key}.resources"
    if model.exists() and res.exists():
        return load_recognizer(model, pickle.loads(res.read_bytes()))
    recognizer = fit(cv.words, news, cv.params)
    cv.keep.mkdir(parents=True, exist_ok=True)
    model.write_bytes(recognizer._model)
    res.write_bytes(pickle.dumps(recognizer.resources))
    return recognizer


def _fold_scores(cv: CrossValidation, held: list[Annotated]) -> Scores:
    """Train without the held-out fold's articles, score them."""
    return score_articles(_fold_model(cv, held), corpus_articles(held))


def cross_validated(cv: CrossValidation, jobs: int = 1) -> Scores:
    """Scores pooled over ``k`` document folds of the corpus articles with entity spans
    (``qala.corpus.crossval.folds``: stratified by outlet), a CRF refitted per fold on the
    other folds' trainable articles plus the word corpora. SaudiNewsNet articles are scored,
    never trained on."""
    from qala.corpus.crossval import folds

    annotated = [d for d in cv.docs if d.entities]
    parts = folds(annotated, cv.k)
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            per_fold = list(pool.map(_fold_scores, [cv] * len(parts), parts))
    else:
        per_fold = [_fold_scores(cv, held) for held in parts]
    total = Scores()
    for s in per_fold:
        total.tp.update(s.tp)
        total.fp.update(s.fp)
        total.fn.update(s.fn)
    return total


def score_corpus(recognizer: Recognizer, docs: Iterable[Annotated]) -> Scores:
    """Aggregate scores over corpus articles with entity spans (the sealed row: no per-article output)."""
    return score_articles(recognizer, corpus_articles(docs))
