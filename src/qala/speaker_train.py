"""Training the speaker ranker (``qala train-speakers``) from the annotation corpus.

Each statement the pipeline finds is matched to a gold statement as ``qala eval`` matches them;
its candidate sources (``qala.nlp.ranker``) are labelled right when the gold speaker or an alias
is inside the candidate's name ("none" is right when no candidate is), and a conditional logit
learns to put each statement's probability on its right candidates. Only articles that may be
trained on (``Annotated.may_train``: never SaudiNewsNet) are used; the candidates come from the
rules alone, so the model never learns from its own picks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Sequence
from typing import Any

from qala.corpus.standoff import Annotated
from qala.evaluation import GoldStatement, PredictedStatement, match_statements, speaker_is_right
from qala.nlp.doc import Doc
from qala.nlp.pipeline import Options, _Run, run_components
from qala.nlp.ranker import SpeakerRanker

SEED = 0
C = 0.3  # inverse L2 strength: a couple of hundred features, a couple of thousand statements

Group = list[tuple[dict[str, float], bool]]  # one statement's candidates: features, right or not


def statement_groups(d: Annotated, statement_model: Any = None) -> list[Group]:
    """The labelled candidates of each statement found in ``d`` that matches a gold statement
    (statements as ``statement_model`` keeps them; ``None``: the shipped one)."""
    a = d.article_dict()
    meta = {"title": a["title"], "url": a["url"], "outlet": a["outlet"], "published": a["date"]}
    run = _Run(Doc(text=a["text"], id=d.id, meta=meta), options=Options(rank_speakers=False, dates=False, statement_model=statement_model),
               collect=[])
    run_components(run)  # the rules alone, collecting each statement's candidates
    collected, quotes = run.collect or [], run.doc.quotes
    gold = [GoldStatement.from_dict(q) for q in d.gold()["quotes"]]
    pred = [PredictedStatement(None, q.type, q.content.text) for q in quotes]
    groups = []
    for m in match_statements(gold, pred):
        g = gold[m.gold]
        labelled = [(s.feats, speaker_is_right(s.name, g.speaker, g.aliases)) for s in collected[m.predicted]]
        nobody = not any(y for _, y in labelled)
        groups.append([(f, nobody if "none" in f else y) for f, y in labelled])
    return groups


def data_hash(docs: Sequence[Annotated]) -> str:
    """What the model was trained on: each article's text hash and its statements."""
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.id):
        h.update(d.id.encode())
        h.update(hashlib.sha256(d.article.text.encode()).digest())
        h.update(json.dumps(d.statements, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def fit(groups: Sequence[Group], c: float = C, seed: int = SEED) -> SpeakerRanker:
    """A conditional logit over each statement's candidates (a softmax per statement, trained to put
    its mass on the right ones), so the pick's probability is how likely it is the source given
    the candidates; L2-regularized, fitted by L-BFGS from zero weights (deterministic; ``seed`` is
    recorded for the file's provenance)."""
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    usable = [g for g in groups if any(y for _, y in g) and not all(y for _, y in g)]
    if not usable:
        raise ValueError("no candidates to learn from (every statement lacks a right or a wrong candidate)")
    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform([f for g in usable for f, _ in g]).tocsr()
    y = np.array([float(yy) for g in usable for _, yy in g])
    sizes = np.array([len(g) for g in usable])
    group = np.repeat(np.arange(len(usable)), sizes)
    n_groups = len(usable)

    def loss(w: Any) -> tuple[float, Any]:
        s = x @ w
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, group, s)
        e = np.exp(s - top[group])
        z_all = np.bincount(group, e, n_groups)
        z_pos = np.bincount(group, e * y, n_groups)
        value = -np.sum(np.log(z_pos) - np.log(z_all)) + np.dot(w, w) / (2 * c)
        grad_s = e / z_all[group] - e * y / z_pos[group]
        return float(value), x.T @ grad_s + w / c

    w0 = np.zeros(x.shape[1])
    res = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 3000})
    weights = {k: round(float(v), 6) for k, v in zip(vec.get_feature_names_out(), res.x, strict=True)}
    return SpeakerRanker(
        {k: v for k, v in weights.items() if v}, 0.0, {"candidates": int(x.shape[0]), "seed": seed}
    )


def choice_accuracy(groups: Sequence[Group], ranker: SpeakerRanker | None) -> float:
    """How often the chosen candidate is right: the model's pick, or (None) the rules' answer."""
    right = 0
    for g in groups:
        if ranker is None:
            right += any(y for f, y in g if f.get("o_rule"))
        elif g:
            feats, y = max(g, key=lambda fy: ranker.score(fy[0]))
            if "none" in feats:
                y = False  # a statement with no speaker is never right
            elif feats.get("overlaps_rule") and not feats.get("o_rule") and _keeps_rule(feats, g):
                y = any(y for f, y in g if f.get("o_rule"))
            right += y
    return right / len(groups) if groups else 0.0


def _keeps_rule(feats: dict[str, float], g: Group) -> bool:
    """``keeps_rule_extent`` on features: a span-only candidate, or one no longer than the rules'."""
    origins = {k[2:] for k in feats if k.startswith("o_")}
    if origins <= {"after", "before", "subject"} or feats.get("w_document"):
        return True
    rule = next((f for f, _ in g if f.get("o_rule")), None)
    return rule is not None and feats.get("words", 0) <= rule.get("words", 0)


class SpeakerTrainer:
    """The ``crossval.Trainer`` of the ranker: candidates are extracted once per article."""

    name = "speakers"

    def __init__(self, statement_model: Any = None) -> None:
        self._groups: dict[str, list[Group]] = {}
        self.statement_model = statement_model

    def groups(self, docs: Sequence[Annotated]) -> list[Group]:
        out: list[Group] = []
        for d in docs:
            if not d.may_train:
                continue
            if d.id not in self._groups:
                self._groups[d.id] = statement_groups(d, self.statement_model)
            out += self._groups[d.id]
        return out

    def fit(self, docs: Sequence[Annotated]) -> SpeakerRanker:
        return fit(self.groups(docs))

    def options(self, model: Any, options: Any) -> Options:
        return dataclasses.replace(options or Options(), speaker_ranker=model)


def train(docs: Sequence[Annotated], statement_model: Any = None) -> tuple[SpeakerRanker, dict[str, Any]]:
    """The shipped model and what it was made from (article count, data hash, seconds); trained on
    the statements ``statement_model`` keeps (``None``: the installed statement model)."""
    t0 = time.perf_counter()
    usable = [d for d in docs if d.may_train]
    trainer = SpeakerTrainer(statement_model)
    groups = trainer.groups(usable)
    ranker = fit(groups)
    info = {
        "articles": len(usable),
        "statements": len(groups),
        "data_sha256": data_hash(usable),
        "seed": SEED,
        "C": C,
        "rules_accuracy": round(choice_accuracy(groups, None), 4),
        "ranker_accuracy": round(choice_accuracy(groups, ranker), 4),
    }
    ranker = dataclasses.replace(
        ranker, meta={**ranker.meta, **info}
    )  # no time: a rerun writes the same file
    return ranker, {**info, "seconds": round(time.perf_counter() - t0, 1)}
