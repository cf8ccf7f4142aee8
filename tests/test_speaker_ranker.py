"""The speaker ranker: trained on a small sample it beats the rules' answer and the nearest
candidate on held-out articles; the shipped model is the one the corpus's train split gives."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from qala.cli.corpus import load_corpus
from qala.corpus.crossval import folds
from qala.corpus.texts import Texts
from qala.nlp import analyze
from qala.nlp.pipeline import Options
from qala.nlp.ranker import MODEL_PATH, SpeakerRanker, shipped_ranker
from qala.speaker_train import SpeakerTrainer, choice_accuracy, data_hash, fit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_train():
    return load_corpus(ROOT / "corpus", Texts(ROOT.parent / "shared" / "data"), "train")


def test_ranker_trained_on_a_sample_beats_the_rules_on_held_out_articles(corpus_train):
    parts = folds(corpus_train, 4)
    trainer = SpeakerTrainer()
    train = [d for d in parts[0] + parts[1] if d.may_train][:120]
    held = trainer.groups(parts[2])
    ranker = fit(trainer.groups(train))
    assert fit(trainer.groups(train)).weights == ranker.weights  # fixed fitting: a rerun is the same model
    rules, ranked = choice_accuracy(held, None), choice_accuracy(held, ranker)
    nearest = sum(
        max(g, key=lambda fy: (fy[0].get("same_sentence", 0), -fy[0].get("words_between", 9)))[1]
        for g in held
        if g
    ) / len(held)
    assert len(held) > 100
    assert ranked > rules and ranked > nearest, (ranked, rules, nearest)


def test_shipped_ranker_was_trained_on_the_corpus_train_split(corpus_train):
    meta = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["meta"]
    assert meta["data_sha256"] == data_hash([d for d in corpus_train if d.may_train])
    assert meta["ranker_accuracy"] > meta["rules_accuracy"]


@pytest.mark.parametrize(
    "text", ["قال الرئيس الروسي فلاديمير بوتين إن الأزمة كانت متوقعة. وأضاف: “نحن مستعدون”."]
)
def test_ranker_options_pickle_and_the_rules_still_run_alone(text):
    ranker = shipped_ranker()
    assert isinstance(ranker, SpeakerRanker)
    options = pickle.loads(pickle.dumps(Options(speaker_ranker=ranker)))
    ranked = analyze(text, options=options)
    rules = analyze(text, options=Options(rank_speakers=False))
    assert [q.speaker.name for q in ranked.quotes] == [q.speaker.name for q in rules.quotes]
    assert all(0.0 < q.confidence < 1.0 for q in ranked.quotes)

