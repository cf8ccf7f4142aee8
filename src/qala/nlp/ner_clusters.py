"""Word clusters learned from unlabeled news, read for the NER features.

``scripts/build_clusters.py`` trains word2vec on the word-layer forms of 30,000 ANT articles and
clusters the vectors at three granularities; a word the labeled data never showed («دوشانبي»)
then still shares its cluster with the capitals the CRF did see. The file is
``qala/models/clusters-ar.tsv.gz`` (``word<TAB>k64<TAB>k256<TAB>k1024``, ``#`` comments);
reading it needs no gensim.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources as importlib_resources

CLUSTERS_FILE = "clusters-ar.tsv.gz"


def parse(lines) -> dict[str, tuple[str, ...]]:
    """Folded word -> its cluster ids, coarsest first (one shared tuple per fine cluster: the
    54,000 words then cost a few MB)."""
    out: dict[str, tuple[str, ...]] = {}
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        word, *ids = line.rstrip("\n").split("\t")
        if word and ids:
            key = tuple(ids)
            out[word] = shared.setdefault(key, key)
    return out


@cache
def load_clusters() -> dict[str, tuple[str, ...]]:
    """The shipped clusters, read once; none (features without clusters) if the file is absent."""
    path = importlib_resources.files("qala").joinpath("models", CLUSTERS_FILE)
    if not path.is_file():
        return {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return parse(f)
