"""Document-level cross-validation: folds stratified by outlet, learned components refitted per fold.

A learned component is a ``Trainer``: it fits a model on the training folds' annotated articles
and returns the analysis options that use it. With no trainer, every fold is scored with the
shipped models, so the cross-validated row then equals the development row.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from qala.corpus.standoff import Annotated
from qala.evaluation import Report, evaluate

SEED = 7


class Trainer(Protocol):
    name: str

    def fit(self, docs: Sequence[Annotated]) -> Any:
        """A model learned from these articles only."""

    def options(self, model: Any, options: Any) -> Any:
        """Analysis options that use ``model`` (the others as given)."""


def folds(docs: Sequence[Annotated], k: int, seed: int = SEED) -> list[list[Annotated]]:
    """``k`` folds of whole articles, each outlet dealt round-robin so every fold holds its share;
    articles of one near-copy ``group`` always share a fold."""
    if not 2 <= k <= len(docs):
        raise ValueError(f"--cv needs 2 <= K <= {len(docs)} documents, got {k}")
    groups: dict[str, list[Annotated]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: d.id):
        groups[d.record.get("group") or d.id].append(d)  # near-copies stay in one fold
    by_outlet: dict[str, list[list[Annotated]]] = defaultdict(list)
    for key in sorted(groups):
        by_outlet[str(groups[key][0].article.meta.get("outlet"))].append(groups[key])
    rng = random.Random(seed)
    out: list[list[Annotated]] = [[] for _ in range(k)]
    turn = 0
    for outlet in sorted(by_outlet):
        outlet_groups = by_outlet[outlet]
        rng.shuffle(outlet_groups)
        for group in outlet_groups:
            out[turn % k].extend(group)
            turn += 1
    return out


Predict = Callable[[Sequence[Annotated], Any], list[dict[str, Any]]]


def cross_validate(
    docs: Sequence[Annotated],
    k: int,
    predict: Predict,
    trainers: Sequence[Trainer] = (),
    base_options: Any = None,
) -> tuple[Report, list[Report]]:
    """The pooled report over all held-out folds, and one report per fold."""
    parts = folds(docs, k)
    predicted: list[dict[str, Any]] = []
    per_fold = []
    for i, held in enumerate(parts):
        train = [d for j, part in enumerate(parts) if j != i for d in part if d.may_train]
        options = base_options
        for trainer in trainers:
            options = trainer.options(trainer.fit(train), options)
        fold_predictions = predict(held, options)
        per_fold.append(evaluate([d.gold() for d in held], fold_predictions))
        predicted += fold_predictions
    return evaluate([d.gold() for d in docs], predicted), per_fold
