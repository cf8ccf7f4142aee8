"""Accuracy and single-core speed of the NER model, written to ``benchmarks/RESULTS.md``.

Scores the shipped model (exact span match, per type and micro) on the ANERcorp test
sixth, the Wojood sample test file, the held-out AQMAR articles and the corpus's sealed
entity spans (aggregate only); cross-validates on the corpus's train-split entity spans
(``--cv`` document folds, the CRF refitted per fold as ``qala eval-ner --corpus corpus --cv 5``
does: a few minutes); and times ``qala.nlp.ner.recognize`` over the dev-split news articles.
The figures replace the ``<!-- bench:ner -->`` block (other blocks are kept).

    python benchmarks/bench_ner.py [--seconds 10] [--cv 5] [--skip-dev-model] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from results import write_section  # noqa: E402

from qala.cli.corpus import load_corpus
from qala.corpus.texts import Texts
from qala.ner_train import (
    AQMAR_HOLDOUT,
    CrossValidation,
    Scores,
    cross_validated,
    last_sixth,
    read_anercorp,
    read_aqmar,
    read_news_dev,
    read_wojood,
    read_word_corpora,
    score_corpus,
    score_words,
)
from qala.nlp.doc import Doc
from qala.nlp.ner import MODEL_FILE, default_recognizer, recognize
from qala.nlp.segment import split_sentences, tokenize

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
NER = DATA / "ner"
ARTICLES = DATA / "news" / "articles.jsonl"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
CORPUS = REPO / "corpus"
BEGIN, END = "<!-- bench:ner -->", "<!-- /bench:ner -->"


def corpus_rows(recognizer, cv: int) -> list[tuple[str, Scores]]:
    """The cross-validated row (refitted per fold) and the sealed row of the corpus entity spans."""
    texts = Texts()
    train_docs = load_corpus(CORPUS, texts, "train")
    sealed = load_corpus(CORPUS, texts, "sealed")
    rows = []
    if cv:
        setup = CrossValidation(
            read_word_corpora(NER), read_news_dev(NER / "news_dev" / "annotations.jsonl", ARTICLES), train_docs, cv
        )
        n = sum(1 for d in train_docs if d.entities)
        rows.append((f"corpus cross-validated ({cv} folds, {n} articles)", cross_validated(setup, jobs=2)))
    n = sum(1 for d in sealed if d.entities)
    rows.append((f"corpus sealed ({n} articles, aggregate only)", score_corpus(recognizer, sealed)))
    return rows


def throughput(seconds: float) -> dict:
    """Tokens/s of ``recognize`` on pre-tokenized dev-split articles, one core."""
    with ARTICLES.open(encoding="utf-8") as f:
        texts = [a["text"] for a in map(json.loads, f) if a.get("split") == "dev"]
    docs = []
    for text in texts:
        sentences = split_sentences(text)
        docs.append(Doc(text, sentences=sentences, tokens=tokenize(text, sentences)))
    n_tokens = n_docs = n_mentions = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall0 < seconds:
        for doc in docs:
            n_mentions += len(recognize(doc))
            n_tokens += len(doc.tokens)
            n_docs += 1
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {
        "docs": n_docs,
        "tokens": n_tokens,
        "wall": wall,
        "cpu": cpu,
        "articles": len(docs),
        "mentions": n_mentions,
    }


def rows(name: str, scores: Scores) -> list[str]:
    cells = [f"{scores.prf(k)[2]:.3f}" for k in ("PER", "ORG", "LOC", "MISC")]
    p, r, f, n = scores.prf()
    return [f"| {name} | {n} | {' | '.join(cells)} | {p:.3f} | {r:.3f} | **{f:.3f}** |"]


def report(evals: list[tuple[str, Scores]], speed: dict, command: str) -> str:
    model = REPO / "src" / "qala" / "models" / MODEL_FILE
    lines = [
        BEGIN,
        "## NER: accuracy (exact span match) and single-core speed",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; machine: {platform.machine()},"
        f" {os.cpu_count()} logical CPUs; Python {platform.python_version()}",
        f"- command: `{command}`; model `src/qala/models/{MODEL_FILE}` ({model.stat().st_size / 1e6:.1f} MB),"
        " rebuilt by `qala train-ner`",
        "- shipped model trained on AQMAR (24 of 28 articles), Wojood sample train+val, all 165 news_dev"
        " articles and the corpus's train-split ANT entity spans; word-cluster features from 29,500 ANT"
        " pool articles (`scripts/build_clusters.py`); never on ANERcorp or SaudiNewsNet",
        "- same figures by hand: `qala eval-ner --conll ../shared/data/ner/anercorp_eval_only/ANERCorp.txt"
        " --format anercorp --test-sixth`, `--conll .../wojood_sample/test.txt --format wojood`",
        "",
        "| eval set | gold mentions | PER F1 | ORG F1 | LOC F1 | MISC F1 | micro P | micro R | micro F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, scores in evals:
        lines += rows(name, scores)
    tps = speed["tokens"] / speed["wall"]
    lines += [
        "",
        "ANERcorp, Wojood and AQMAR are scored on their own word tokens (a mention that starts after a"
        " proclitic counts as the whole word, as those corpora tag it); the corpus rows on character offsets.",
        "",
        "| speed of `recognize` (one core, pre-tokenized dev-split articles) | value |",
        "|---|---:|",
        f"| articles recognized ({speed['articles']} distinct) | {speed['docs']} |",
        f"| tokens/s | {tps:,.0f} |",
        f"| CPU s per wall s | {speed['cpu'] / speed['wall']:.2f} |",
        f"| loading the model and lists, s | {speed['load']:.3f} |",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="timed duration of the speed run")
    parser.add_argument("--cv", type=int, default=5, help="document folds of the corpus CV row")
    parser.add_argument("--skip-dev-model", action="store_true", help="no CV row (it trains a model per fold)")
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {RESULTS.name} alone")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    recognizer = default_recognizer()
    load = time.perf_counter() - t0
    aqmar = [s for name in AQMAR_HOLDOUT for s in read_aqmar(NER / "aqmar" / name)]
    evals = [
        (
            "ANERcorp test sixth",
            score_words(
                recognizer, last_sixth(read_anercorp(NER / "anercorp_eval_only" / "ANERCorp.txt"))[1]
            ),
        ),
        ("Wojood sample test", score_words(recognizer, read_wojood(NER / "wojood_sample" / "test.txt"))),
        (f"AQMAR held out ({len(AQMAR_HOLDOUT)} articles)", score_words(recognizer, aqmar)),
    ]
    evals += corpus_rows(recognizer, 0 if args.skip_dev_model else args.cv)
    speed = throughput(args.seconds) | {"load": load}
    command = " ".join(["python", "benchmarks/bench_ner.py", *(argv if argv is not None else sys.argv[1:])])
    section = report(evals, speed, command)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
