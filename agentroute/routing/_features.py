"""Query features for routing: boilerplate-free text, embeddings, and a token-count proxy.

Few-shot prompts repeat the same examples in front of every question, so embedding the raw
prompt mostly embeds the template. :class:`QueryFeaturizer` learns the paragraphs that recur
across training queries and drops them before embedding, so neighbours are found by the part
that differs: the actual question.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agentroute.embeddings._base import Embedder
from agentroute.embeddings._default import default_embedder
from agentroute.embeddings._ngram_hashing import NgramHashingEmbedder

__all__ = ["QueryFeaturizer", "embed_cached"]

_PARA_SPLIT = re.compile(r"\n\s*\n")


def _normalise(text: str) -> str:
    # Data sets often store prompts as Python reprs with literal "\n" escapes.
    return text.replace("\\n", "\n").replace("\\'", "'")


class QueryFeaturizer:
    """Turns queries into unit vectors of what makes them different from each other."""

    def __init__(self, embedder: Embedder | None = None, *, boilerplate_share: float = 0.02):
        self._embedder = embedder
        self.boilerplate_share = boilerplate_share
        self._boilerplate: set[str] = set()

    @property
    def embedder(self) -> Embedder:
        """Loaded on first use, so a router with no outcomes never loads a model."""
        if self._embedder is None:
            self._embedder = default_embedder(stand_in=NgramHashingEmbedder())
        return self._embedder

    def fit(self, queries: Sequence[str]) -> QueryFeaturizer:
        """Learn the paragraphs that recur in many queries (templates, few-shot examples)."""
        counts: Counter[str] = Counter()
        for q in queries:
            counts.update(set(self._paragraphs(q)))
        floor = max(3, int(self.boilerplate_share * len(queries)))
        self._boilerplate = {p for p, n in counts.items() if n >= floor}
        return self

    @staticmethod
    def _paragraphs(query: str) -> list[str]:
        return [p.strip() for p in _PARA_SPLIT.split(_normalise(query)) if p.strip()]

    def focus(self, query: str) -> str:
        """The query without its boilerplate paragraphs (the whole query if nothing is left)."""
        paras = self._paragraphs(query)
        kept = [p for p in paras if p not in self._boilerplate]
        return "\n\n".join(kept or paras)[-2000:]

    def embed(self, queries: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.embedder.embed([self.focus(q) for q in queries])

    @staticmethod
    def length(queries: Sequence[str]) -> npt.NDArray[np.float64]:
        """Characters per query: drives the input-token part of a call's price."""
        return np.array([len(q) for q in queries], dtype=np.float64)


def embed_cached(
    featurizer: QueryFeaturizer, queries: Sequence[str], cache_dir: Path | None
) -> npt.NDArray[np.float32]:
    """``featurizer.embed(queries)``, stored as ``.npy`` under ``cache_dir`` keyed by the
    embedder's id and the exact texts embedded (so a changed text or model re-embeds)."""
    if cache_dir is None:
        return featurizer.embed(queries)
    texts = [featurizer.focus(q) for q in queries]
    h = hashlib.sha256(featurizer.embedder.id.encode())
    for t in texts:
        h.update(t.encode())
        h.update(b"\0")
    path = Path(cache_dir) / f"embeddings-{h.hexdigest()[:20]}.npy"
    if path.exists():
        vectors: npt.NDArray[np.float32] = np.load(path)
        if vectors.shape[0] == len(texts):
            return vectors
    vectors = featurizer.embedder.embed(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
