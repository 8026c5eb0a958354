"""Routers that predict quality from descriptors and from the nearest past outcomes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from agentroute.embeddings import similarities, top_k
from agentroute.routing._base import F32, F64, BaseRouter
from agentroute.routing._outcomes import Outcome

__all__ = ["KnnRouter", "PriorRouter", "neighbours"]


def neighbours(base: F32, vectors: F32, k: int) -> tuple[npt.NDArray[np.int64], F64]:
    """Indices and cosine similarities of the ``k`` nearest rows of ``base`` to each vector."""
    if len(base) == 0:
        return np.zeros((len(vectors), 0), dtype=np.int64), np.zeros((len(vectors), 0))
    sims = similarities(base, vectors)
    idx = top_k(sims, k, ordered=False)  # only averaged over: no need to sort
    return idx.astype(np.int64), np.take_along_axis(sims, idx, axis=1).astype(np.float64)


class PriorRouter(BaseRouter):
    """Descriptor prior, refined by each model's running average quality.

    The cold-start router: with no outcomes it ranks models by their descriptors (example
    scores per domain when given, else price as a weak hint); each outcome moves the model's
    estimate, with the prior counting as ``prior_weight`` pseudo-outcomes.
    """

    name = "prior"

    def _predict_quality(
        self, vectors: F32, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> F64:
        prior = self.prior_quality(models)
        q = self.memory.quality
        est = prior.copy()
        known = cols >= 0
        if known.any() and len(q):
            sub = q[:, cols[known]]
            n = (~np.isnan(sub)).sum(axis=0)
            s = np.nansum(sub, axis=0)
            est[known] = (s + self.prior_weight * prior[known]) / (n + self.prior_weight)
        return np.tile(est, (len(vectors), 1))


class KnnRouter(BaseRouter):
    """Average quality of each model on the ``k`` most similar past queries.

    Neighbours are weighted by similarity; a model that has no outcome among the neighbours
    falls back to its overall average (shrunk to its descriptor prior).
    """

    name = "knn"

    def __init__(self, *, k: int = 40, shrink: float = 1.0, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.k = k
        self.shrink = shrink
        """Pseudo-neighbours given to the model's global average."""

    def _global(self, cols: npt.NDArray[np.int64], models: Sequence[str]) -> F64:
        prior = self.prior_quality(models)
        q = self.memory.quality
        est = prior.copy()
        known = cols >= 0
        if known.any() and len(q):
            sub = q[:, cols[known]]
            n = (~np.isnan(sub)).sum(axis=0)
            est[known] = (np.nansum(sub, axis=0) + self.prior_weight * prior[known]) / (
                n + self.prior_weight
            )
        return est

    def _predict_quality(
        self, vectors: F32, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> F64:
        glob = self._global(cols, models)
        out = np.tile(glob, (len(vectors), 1))
        known = cols >= 0
        if not known.any() or self.memory.n == 0:
            return out
        idx, sims = neighbours(self.memory.x, vectors, self.k)
        w = np.maximum(sims, 0.0) ** 2 + 1e-6
        q = self.memory.quality[idx][:, :, cols[known]]  # (n, k, m)
        has = ~np.isnan(q)
        ws = (w[:, :, None] * has).sum(axis=1)
        num = (w[:, :, None] * np.nan_to_num(q)).sum(axis=1)
        mean_w = w.mean(axis=1, keepdims=True)
        out[:, known] = (num + self.shrink * mean_w * glob[known]) / (ws + self.shrink * mean_w)
        return out

    def _learned(self, outcome: Outcome, col: int) -> None:
        return None
