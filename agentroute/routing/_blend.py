"""BlendRouter: the graph router's estimate averaged with per-model ridge regressions.

The graph estimate is local (neighbours, then task, then descriptor); the ridge regressions
are global linear read-outs of the query embedding, one per model. They err differently, so
their average ranks models better than either (measured in ``benchmarks/bench_routing.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from agentroute.routing._base import F32, F64
from agentroute.routing._graph import GraphRouter
from agentroute.routing._outcomes import Outcome

__all__ = ["BlendRouter"]

_MIN_RIDGE = 20


class BlendRouter(GraphRouter):
    name = "blend"

    def __init__(
        self,
        *,
        ridge_weight: float = 0.3,
        alpha: float = 100.0,
        refit_every: int = 200,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ridge_weight = ridge_weight
        self.alpha = alpha
        self.refit_every = refit_every
        self._w: F64 | None = None
        self._mu = np.zeros(0)
        self._ridge_models = 0
        self._since = 0

    def _refresh(self) -> None:
        super()._refresh()
        self._fit_ridge()

    def _learned(self, outcome: Outcome, col: int) -> None:
        super()._learned(outcome, col)
        self._since += 1
        if self._since >= self.refit_every:
            self._fit_ridge()

    def _fit_ridge(self) -> None:
        self._since = 0
        x = self.memory.x.astype(np.float64)
        q = self.memory.quality
        m = q.shape[1]
        d = x.shape[1]
        self._w = np.zeros((d, m))
        self._mu = np.zeros(m)
        self._ridge_models = m
        if len(x) < _MIN_RIDGE:
            return
        gram = x.T @ x + self.alpha * np.eye(d)
        mask = ~np.isnan(q)
        full = mask.all(axis=0)
        if full.any():
            mu = q[:, full].mean(axis=0)
            self._w[:, full] = np.linalg.solve(gram, x.T @ (q[:, full] - mu))
            self._mu[full] = mu
        for j in np.flatnonzero(~full):
            rows = mask[:, j]
            if rows.sum() < _MIN_RIDGE:
                self._mu[j] = np.nan
                continue
            xs = x[rows]
            mu_j = q[rows, j].mean()
            self._w[:, j] = np.linalg.solve(
                xs.T @ xs + self.alpha * np.eye(d), xs.T @ (q[rows, j] - mu_j)
            )
            self._mu[j] = mu_j

    def _predict_quality(
        self, vectors: F32, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> F64:
        graph = super()._predict_quality(vectors, cols, models)
        if self._w is None or self.ridge_weight == 0:
            return graph
        ok = (cols >= 0) & (cols < self._ridge_models)
        ok[ok] &= ~np.isnan(self._mu[cols[ok]])
        if not ok.any():
            return graph
        lin = vectors.astype(np.float64) @ self._w[:, cols[ok]] + self._mu[cols[ok]]
        out = graph.copy()
        out[:, ok] = (1 - self.ridge_weight) * graph[:, ok] + self.ridge_weight * np.clip(lin, 0, 1)
        return out
