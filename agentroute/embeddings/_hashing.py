"""A deterministic bag-of-words embedder: no model, microseconds per text.

For tests of routing logic (same text, same vector, in every process) and for synthetic
benchmarks with hundreds of thousands of texts. It knows nothing about meaning: only shared
words (and word pairs) make texts similar.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = ["HashingEmbedder"]

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=65536)
def _bucket(token: str, dim: int) -> tuple[int, float]:
    # blake2b, not hash(): Python's str hash is salted per process.
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, (1.0 if (value >> 63) & 1 else -1.0)


class HashingEmbedder:
    """Signed feature hashing of lower-cased words and adjacent word pairs, L2-normalised."""

    def __init__(self, dim: int = 256, *, bigrams: bool = True) -> None:
        if dim < 2:
            raise ValueError(f"dim must be >= 2, got {dim}")
        self._dim = dim
        self._bigrams = bigrams

    @property
    def id(self) -> str:
        return f"hashing-{self._dim}{'-bigrams' if self._bigrams else ''}@v1"

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single str")
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features = list(words)
            if self._bigrams:
                features.extend(f"{a} {b}" for a, b in itertools.pairwise(words))
            if not features:
                features = ["\x00empty"]  # every row stays unit-length
            vec = out[row]
            for feature in features:
                index, sign = _bucket(feature, self._dim)
                vec[index] += sign
            norm = float(np.linalg.norm(vec))
            if norm == 0.0:  # all features cancelled out
                index, _ = _bucket("\x00empty", self._dim)
                vec[index] = 1.0
            else:
                vec /= norm
        return out
