"""Build ``src/qala/models/clusters-ar.tsv.gz``: word clusters learned from unlabeled ANT news.

Word2vec (gensim, CBOW) is trained on the word-layer forms of every article of
``../shared/data/pool/ant.jsonl.gz`` (Apache-2.0: the only pool file that may feed a shipped
artefact): each token folded, its conjunction and glued preposition split off by
``qala.nlp.words`` (the article ال kept: «المالي» "financial" and «مالي» Mali are apart),
numbers as ``0``, punctuation dropped. The unit vectors are clustered by k-means into
``FINE`` clusters; the fine centroids are clustered again into the coarser granularities, so
the ids nest (a word's coarse cluster is its fine cluster's). One worker, fixed seeds and a
deterministic hash make the run reproducible on one machine (BLAS and gensim builds may
still differ across machines: the file records its inputs' hash and settings).

    pip install -e '.[build]'
    python scripts/build_clusters.py [--pool ../shared/data/pool/ant.jsonl.gz] [--epochs 5]

Slow on a shared machine: a few minutes for the text, a few for word2vec, one for k-means.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # k-means and BLAS on one core: reproducible, polite
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
POOL = REPO.parent / "shared" / "data" / "pool" / "ant.jsonl.gz"
OUTPUT = REPO / "src" / "qala" / "models" / "clusters-ar.tsv.gz"
SEED = 13
FINE = 1024
COARSE = (256, 64)


def word_hash(text: str) -> int:
    """A process-independent hash for gensim's vector initialisation (``hash`` is salted)."""
    return zlib.crc32(text.encode("utf-8"))


def sentences(pool: Path, limit: int | None = None) -> Iterator[list[str]]:
    """Word-layer forms of each sentence of each article, in file order."""
    from qala.nlp.segment import split_sentences, tokenize
    from qala.nlp.words import analyse

    with gzip.open(pool, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            text = json.loads(line)["text"]
            current: list[str] = []
            sent = -1
            for tok in tokenize(text, split_sentences(text)):
                if tok.sent != sent:
                    if current:
                        yield current
                    current, sent = [], tok.sent
                norm = tok.norm
                if not norm[:1].isalnum():
                    continue
                current.append("0" if norm[:1].isdigit() else analyse(norm, tok.text).stem)
            if current:
                yield current


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_corpus(pool: Path, limit: int | None) -> tuple[list[list[str]], int]:
    """All sentences in memory (word2vec passes over them several times), strings interned."""
    seen: dict[str, str] = {}
    out = []
    tokens = 0
    for sentence in sentences(pool, limit):
        out.append([seen.setdefault(w, w) for w in sentence])
        tokens += len(sentence)
    return out, tokens


def cluster(vectors, fine: int, coarse: tuple[int, ...]):
    """Fine k-means labels per word and, per coarse size, the coarse label of each fine cluster."""
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans

    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    km = MiniBatchKMeans(
        n_clusters=fine, random_state=SEED, batch_size=8192, n_init=1, max_iter=60, max_no_improvement=10
    )
    labels = km.fit_predict(unit)
    sizes = np.bincount(labels, minlength=fine).astype(float)
    maps = []
    for k in coarse:
        top = KMeans(n_clusters=k, random_state=SEED, n_init=4)
        maps.append(top.fit_predict(km.cluster_centers_, sample_weight=np.maximum(sizes, 1.0)))
    return labels, maps


def write(output: Path, words: list[str], labels, maps, header: list[str]) -> None:
    """``word<TAB>coarsest<TAB>...<TAB>fine`` lines, most frequent word first; gzip without a
    timestamp so that the same input gives the same bytes."""
    lines = [f"# {h}\n" for h in header]
    for w, fine in zip(words, labels, strict=True):
        ids = [str(int(m[fine])) for m in reversed(maps)] + [str(int(fine))]
        lines.append(w + "\t" + "\t".join(ids) + "\n")
    data = "".join(lines).encode("utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", type=Path, default=POOL, help="the ANT pool file (never SaudiNewsNet)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--dims", type=int, default=100)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--max-words", type=int, default=150_000, help="most frequent words kept")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only (a quick try)")
    args = parser.parse_args(argv)
    if "saudinewsnet" in args.pool.name.lower():
        parser.error("SaudiNewsNet (CC BY-NC-SA) may not feed a shipped file: use ant.jsonl.gz")

    from gensim.models import Word2Vec

    t0 = time.perf_counter()
    corpus, tokens = read_corpus(args.pool, args.limit)
    print(f"{len(corpus):,} sentences, {tokens:,} words in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    t1 = time.perf_counter()
    model = Word2Vec(
        corpus,
        vector_size=args.dims,
        window=args.window,
        min_count=args.min_count,
        epochs=args.epochs,
        sg=0,
        workers=1,
        seed=SEED,
        hashfxn=word_hash,
    )
    print(f"word2vec: {len(model.wv):,} words in {time.perf_counter() - t1:.0f} s", file=sys.stderr)
    words = list(model.wv.index_to_key[: args.max_words])  # by frequency, then first seen
    t2 = time.perf_counter()
    labels, maps = cluster(model.wv[words], FINE, COARSE)
    print(f"k-means: {FINE} + {COARSE} clusters in {time.perf_counter() - t2:.0f} s", file=sys.stderr)
    header = [
        "Word clusters for NER features: built by scripts/build_clusters.py from ANT Corpus v2.1"
        " (Apache-2.0; Chouigui et al., AJSE 2021)",
        f"input {args.pool.name} sha256 {file_sha256(args.pool)}; {len(corpus)} sentences, {tokens} words",
        f"word2vec CBOW dims {args.dims} window {args.window} min_count {args.min_count}"
        f" epochs {args.epochs} seed {SEED} workers 1; k-means {FINE} then {' '.join(map(str, COARSE))}"
        f" over the fine centroids, seed {SEED}",
        "columns: word (folded word-layer stem), "
        + ", ".join(f"k{k}" for k in reversed(COARSE))
        + f", k{FINE}",
    ]
    write(args.output, words, labels, maps, header)
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size / 1e6:.2f} MB, {len(words):,} words)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
