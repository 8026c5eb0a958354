"""Keyword scoring (Okapi BM25) of targets, for hybrid retrieval with the embeddings.

MiniLM places "Transfermarkt details" and "football player profile" near each other, but a
request naming a rare word a tool's name or argument carries ("VIN", "ASIN", "TikTok") is
found more surely by the word itself. The index adds a share of each target's BM25 score
(scaled by the best one) to its rank and lets BM25's best targets into the candidates the
costly late interaction looks at. Precomputed postings: a query costs one ``bincount`` over
the postings of its words, never a loop over targets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from agentroute.text import index_words

__all__ = ["LexicalIndex"]


class LexicalIndex:
    """BM25 (``k1``, ``b``) over one document per target, in the targets' order."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        counts = [Counter(index_words(d)) for d in documents]
        self.size = len(documents)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        average = float(lengths.mean()) if self.size and lengths.mean() > 0 else 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for i, c in enumerate(counts):
            norm = k1 * (1.0 - b + b * lengths[i] / average)
            for term, tf in c.items():
                docs, weights = postings.setdefault(term, ([], []))
                docs.append(i)
                weights.append(tf * (k1 + 1.0) / (tf + norm))
        self._postings: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
        for term, (docs, weights) in postings.items():
            idf = math.log(1.0 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5))
            self._postings[term] = (
                np.asarray(docs, dtype=np.int64),
                np.asarray(weights, dtype=np.float64) * idf,
            )

    def scores(self, text: str) -> npt.NDArray[np.float64]:
        """Every target's BM25 score for ``text`` (0 where no word is shared)."""
        found = [self._postings[w] for w in dict.fromkeys(index_words(text)) if w in self._postings]
        if not found:
            return np.zeros(self.size, dtype=np.float64)
        docs = np.concatenate([d for d, _ in found])
        weights = np.concatenate([w for _, w in found])
        out = np.asarray(np.bincount(docs, weights=weights, minlength=self.size), np.float64)
        return out
