"""BlendRouter: the graph router's estimate averaged with per-model ridge regressions, and
with a read-out of the prompt's words by the share cross-validation gives it.

The graph estimate is local (neighbours, then task, then descriptor); the ridge regressions
are global linear read-outs of the query embedding, one per model. They err differently, so
their average ranks models better than either (measured in ``benchmarks/bench_routing.py``).
The words (``_words``: tf-idf and the prompt's length, logistic regression per model) see
what a small embedding blurs; how much they count is chosen at each bulk fit by
cross-validation on the router's own outcomes (:data:`WORD_WEIGHTS`), so they are used where
they help and not elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

from agentroute.routing._base import F32, F64
from agentroute.routing._graph import _FOLDS, _MIN_ROWS, GraphRouter, _sweep_aiq
from agentroute.routing._outcomes import Outcome
from agentroute.routing._table import OutcomeTable
from agentroute.routing._words import WordReadOut

__all__ = ["BlendRouter"]

_MIN_RIDGE = 20
WORD_WEIGHTS = (0.0, 0.25, 0.5, 0.75)
"""The shares of the word read-out that cross-validation chooses among at a bulk fit."""
_WORD_MARGIN = 0.0005
"""Mean cross-validated AIQ a share must add over the next smaller one to be taken."""


class BlendRouter(GraphRouter):
    name = "blend"

    def __init__(
        self,
        *,
        ridge_weight: float = 0.3,
        alpha: float = 100.0,
        refit_every: int = 200,
        word_weight: float | None = None,
        read_length: bool = True,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ridge_weight = ridge_weight
        self.alpha = alpha
        self.refit_every = refit_every
        self.word_weight = word_weight
        """Share of the word read-out in the estimate; ``None``: chosen by cross-validation
        at each bulk fit (0 until one with enough outcomes)."""
        self.read_length = read_length
        """The word read-out reads the prompt's length too (``_words``: a difficulty signal
        both unit-length representations drop)."""
        self.word_share = 0.0 if word_weight is None else word_weight
        """The share in use."""
        self.word_cv: dict[float, float] = {}
        """Cross-validated AIQ of each share at the last bulk fit that chose one."""
        self._words: WordReadOut | None = None
        self._words_rows = 0
        self._texts: Sequence[str] | None = None
        self._w: F64 | None = None
        self._mu = np.zeros(0)
        self._ridge_models = 0
        self._since = 0

    def fit(self, table: OutcomeTable, vectors: F32 | None = None) -> Self:
        super().fit(table, vectors)
        if self.word_weight is None:
            if vectors is None:
                vectors = self.featurizer.embed(table.queries)
            self.word_share = self._choose_word_share(table, vectors)
        self._fit_words()
        return self

    def _choose_word_share(self, table: OutcomeTable, vectors: F32) -> float:
        """The share of :data:`WORD_WEIGHTS` with the best mean AIQ over held-out thirds of
        ``table`` (each share must beat the smaller ones by a margin); 0 with too little
        data."""
        full = np.flatnonzero(
            ~(np.isnan(table.quality).any(axis=1) | np.isnan(table.cost).any(axis=1))
        )
        self.word_cv = {}
        if len(full) < _MIN_ROWS or len(table.models) < 2:
            return 0.0
        fold = np.random.default_rng(0).permutation(len(full)) % _FOLDS
        scores = dict.fromkeys(WORD_WEIGHTS, 0.0)
        for f in range(_FOLDS):
            held = full[fold == f]
            keep = np.setdiff1d(np.arange(len(table)), held)
            probe = BlendRouter(
                ridge_weight=self.ridge_weight,
                alpha=self.alpha,
                word_weight=0.0,
                read_length=self.read_length,
                k=self.k,
                task_k=self.task_k,
                task_weight=self.task_weight,
                sim_power=self.sim_power,
                prior_weight=self.prior_weight,
                featurizer=self.featurizer,
                descriptors=list(self.descriptors.values()),
                auto_weight=False,
                build_graph=False,
            )
            probe._fitted_featurizer = True
            probe._tuned = self._tuned
            part = table.subset(keep)
            probe.fit(part, vectors[keep])
            queries = [table.queries[i] for i in held]
            q, c = table.quality[held], table.cost[held]
            base, pc = probe.predict(queries, table.models, vectors[held])
            words = WordReadOut(length=self.read_length).fit(part.queries, part.quality)
            said = words.predict(queries)
            for share in WORD_WEIGHTS:
                mixed = (1 - share) * base + share * said
                scores[share] += _sweep_aiq(mixed, pc, q, c) / _FOLDS
        self.word_cv = scores
        best = WORD_WEIGHTS[0]
        for share in WORD_WEIGHTS[1:]:
            if scores[share] > scores[best] + _WORD_MARGIN:
                best = share
        return best

    def _fit_words(self) -> None:
        """Fit the word read-out on the remembered outcomes (when it has a share)."""
        mem = self.memory
        self._words_rows = mem.n
        if self.word_share <= 0 or mem.n < _MIN_RIDGE:
            self._words = None
            return
        self._words = WordReadOut(length=self.read_length).fit(mem.queries, mem.quality)

    def predict(
        self, queries: Sequence[str], models: Sequence[str], vectors: F32 | None = None
    ) -> tuple[F64, F64]:
        self._texts = queries  # the word read-out reads the prompts, not their vectors
        try:
            return super().predict(queries, models, vectors)
        finally:
            self._texts = None

    def _refresh(self) -> None:
        super()._refresh()
        self._fit_ridge()

    def _learned(self, outcome: Outcome, col: int) -> None:
        super()._learned(outcome, col)
        self._since += 1
        if self._since >= self.refit_every:
            self._fit_ridge()
        if self.word_share > 0 and self.memory.n >= max(1.5 * self._words_rows, _MIN_RIDGE):
            self._fit_words()  # refitting costs seconds: only as the memory grows by half

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
        out = self._with_ridge(graph, vectors, cols)
        words, texts = self._words, self._texts
        if words is None or texts is None or len(texts) != len(out):
            return out
        ok = (cols >= 0) & (cols < words.models)
        if ok.any():
            said = words.predict(texts)[:, cols[ok]]
            out[:, ok] = (1 - self.word_share) * out[:, ok] + self.word_share * said
        return out

    def _with_ridge(self, graph: F64, vectors: F32, cols: npt.NDArray[np.int64]) -> F64:
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
