"""Training the statement model (``qala train-statements``) from annotated articles.

Each article is analysed up to its entities, the statement rules over-generate candidates
(``qala.nlp.quotes`` with a model: objections become vetoes), and each candidate is labelled as
``qala eval`` would score it: kept (1) when its content reaches token F1 >= 0.5 with a required
gold statement, dropped (0) when it matches no gold statement; a candidate that only matches an
optional statement counts either way in scoring, so it is left out of training. For the content
end, each matched clause candidate's possible ends are labelled by which comes closest (token F1)
to its gold content. Both are scikit-learn logistic regressions with a fixed seed; the weights
go into a JSON file with the hash of the data they were learned from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from qala.corpus.standoff import Annotated
from qala.evaluation import _reaches_match, scoring_tokens, token_f1
from qala.nlp.statement_model import HARD_VETOES, StatementModel, all_features, end_options

SEED = 17
C_KEEP = 0.15  # inverse L2 strength of the keep/drop model
C_END = 0.5
THRESHOLD = 0.5
CLEAN_THRESHOLD = 0.35  # the rules' own candidates need less evidence to stay
USE_ENDS = False  # the end scorer did not beat the rules' ends on the cross-validated row

Example = tuple[dict[str, float], int]


@dataclass(slots=True)
class DocExamples:
    """One article's training rows: keep/drop rows and groups of content-end options."""

    keep: list[Example] = field(default_factory=list)
    ends: list[list[Example]] = field(default_factory=list)


def _finder(d: Annotated) -> Any:
    from qala.nlp.pipeline import Options, analyze
    from qala.nlp.quotes import _Finder

    a = d.article_dict()
    meta = {"title": a["title"], "url": a["url"], "outlet": a["outlet"], "published": a["date"]}
    doc = analyze(a["text"], meta, id=d.id, options=Options(quotes=False, dates=False, links=False))
    return _Finder(doc, loose=True, hard=HARD_VETOES)


def doc_examples(d: Annotated) -> DocExamples:
    """The labelled candidates of one annotated article."""
    from qala.nlp.quotes import _candidates

    f = _finder(d)
    text = d.article.text
    gold = [
        (scoring_tokens(text[s["content"][0] : s["content"][1]]), bool(s["optional"]), s["content"])
        for s in d.statements
    ]
    out = DocExamples()
    cands = _candidates(f)
    for c, feats in zip(cands, all_features(f, cands), strict=True):
        toks = scoring_tokens(text[c.content[0] : c.content[1]])
        # a cue inside the gold content it matches is part of that speech, not its frame
        hits = [opt for g, opt, span in gold if _reaches_match(toks, g) and not span[0] <= c.cue[0] < span[1]]
        required = False in hits
        optional = True in hits
        if required or not optional:
            out.keep.append((feats, int(required)))
        if c.span_tok is None:
            continue
        best_gold = max((g for g, _, _ in gold), key=lambda g: token_f1(toks, g), default=None)
        if best_gold is None or token_f1(toks, best_gold) < 0.3:
            continue
        options = end_options(f, c)
        scores = [
            token_f1(scoring_tokens(text[c.content[0] : f.toks[j - 1].end]), best_gold) for j, _ in options
        ]
        top = max(scores)
        if len(options) > 1 and top > min(scores):
            out.ends.append(
                [(feats, int(sc >= top - 1e-9)) for (_, feats), sc in zip(options, scores, strict=True)]
            )
    return out


def data_hash(docs: Sequence[Annotated]) -> str:
    """SHA-256 over the articles' ids, text hashes and statements: what the model learned from."""
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.id):
        h.update(
            json.dumps(
                [d.id, d.record.get("sha256"), d.statements], sort_keys=True, ensure_ascii=False
            ).encode()
        )
    return h.hexdigest()


def _fit(rows: list[Example], c: float) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([r for r, _ in rows])
    y = [label for _, label in rows]
    if len(set(y)) < 2:
        return {}, 0.0
    lr = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=SEED)
    lr.fit(x, y)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
        if abs(w) >= 1e-5
    }
    return weights, round(float(lr.intercept_[0]), 5)


def train(docs: Sequence[Annotated], cache: dict[str, DocExamples] | None = None) -> StatementModel:
    """A statement model from these articles (``may_train`` ones only)."""
    cache = {} if cache is None else cache
    usable = [d for d in docs if d.may_train]
    keep: list[Example] = []
    ends: list[Example] = []
    for d in sorted(usable, key=lambda d: d.id):
        if d.id not in cache:
            cache[d.id] = doc_examples(d)
        keep += cache[d.id].keep
        ends += [row for group in cache[d.id].ends for row in group]
    weights, bias = _fit(keep, C_KEEP)
    end_weights, end_bias = _fit(ends, C_END) if ends else ({}, 0.0)
    meta = {
        "seed": SEED,
        "data_sha256": data_hash(usable),
        "articles": len(usable),
        "candidates": len(keep),
        "end_groups": sum(len(cache[d.id].ends) for d in usable),
        "c_keep": C_KEEP,
        "c_end": C_END,
    }
    return StatementModel(weights, bias, THRESHOLD, CLEAN_THRESHOLD, USE_ENDS, end_weights, end_bias, meta)


class StatementTrainer:
    """The crossval ``Trainer`` of the statement model: refitted on each fold's training articles.

    Its candidates are computed once per article and reused by every fold."""

    name = "statements"

    def __init__(self) -> None:
        self._cache: dict[str, DocExamples] = {}

    def fit(self, docs: Sequence[Annotated]) -> StatementModel:
        return train(docs, self._cache)

    def options(self, model: StatementModel, options: Any) -> Any:
        from qala.nlp.pipeline import Options

        return replace(options or Options(), statement_model=model)
