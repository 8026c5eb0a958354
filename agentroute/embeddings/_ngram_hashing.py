"""Word and character n-gram hashing: routing's embedder when no neural model is installed.

Not :class:`HashingEmbedder`: besides words and word pairs it hashes character trigrams of each
word (so "forecast" and "forecasts" share most features) and counts them unsigned with log
damping. Routing figures measured with ``--hashing`` (RouterBench AIQ) are for this embedder.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["NgramHashingEmbedder"]

_TOKEN = re.compile(r"[a-z0-9]+")


class NgramHashingEmbedder:
    """Word and character n-gram hashing into a fixed space (no model, no download).

    The stand-in when no neural embedder is available; also cheap enough for tests.
    """

    def __init__(self, dim: int = 512) -> None:
        self._dim = dim

    @property
    def id(self) -> str:
        return f"hashing-ngrams-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _bucket(self, token: str) -> int:
        digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self._dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for w in words:
                padded = f"<{w}>"
                grams += [padded[k : k + 3] for k in range(max(1, len(padded) - 2))]
            for g in grams:
                out[i, self._bucket(g)] += 1.0
        np.log1p(out, out=out)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms
