"""Near-duplicate articles (syndicated wire copies) by MinHash LSH over word shingles.

A signature is 128 MinHash values over the 3-word shingles of the folded text. LSH
splits it into bands (14 bands of 9 rows for a 0.7 Jaccard threshold, as datasketch
chooses them); two articles are candidates when one band agrees, and are the same story
when their estimated Jaccard similarity is at least the threshold. The store keeps the
band keys in a table and the signature in the article row, so the index lives in the
database: it survives restarts and serves any process, with nothing rebuilt on open.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from qala.store.fulltext import shadow

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 3
# Pinned: signatures are persisted, and datasketch's default scheme changed in 2.0.
SCHEME = "affine32"
_WORD = re.compile(r"\w+")


@cache
def _bands() -> tuple[tuple[int, int], ...]:
    """The (start, end) slice of every band, as datasketch picks them for ``THRESHOLD``."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return tuple((i * lsh.r, (i + 1) * lsh.r) for i in range(lsh.b))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The hash permutations for seed 1, made once (datasketch would redo them per signature)."""
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def signature(text: str) -> np.ndarray:
    """MinHash values (uint32) of the word 3-shingles of ``text``'s folded form."""
    words = _WORD.findall(shadow(text))
    if len(words) < SHINGLE:
        shingles = {" ".join(words).encode("utf-8")}
    else:
        shingles = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=SCHEME)
    m.update_batch(list(shingles))
    return m.hashvalues.astype("<u4")


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band number, 63-bit key) for every band: the rows of the LSH table."""
    out = []
    for band, (start, end) in enumerate(_bands()):
        digest = hashlib.blake2b(sig[start:end].tobytes(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little") >> 1))  # fits a signed 64-bit column
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)
