"""Choose how much a graph router trusts neighbours over the task average, from its own data.

Whether a query's nearest neighbours say anything beyond its task's average depends on the
data: on RouterBench they barely do, on other pools they may carry the whole signal (e.g. with
no task labels at all). So at fit time the router holds out a third of its outcomes, predicts
them with each candidate weight (3 folds), and trusts neighbours only if that beats the task average on the Brier score in every
fold and on AIQ by a clear margin (AIQ alone rewards random mixing of models, which fills
in the hull without any signal; Brier alone rewards calibration that does not change choices); the
neighbours must beat the task average in every fold, and by a margin, to be trusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from agentroute.routing._base import F32
from agentroute.routing._metrics import aiq, zero_router_points
from agentroute.routing._table import OutcomeTable

if TYPE_CHECKING:
    from agentroute.routing._graph import GraphRouter

__all__ = ["TASK_WEIGHTS", "tune_task_weight"]

TASK_WEIGHTS = (2.0, 8.0, 32.0, 128.0, 1e6)
_MIN_ROWS = 150
_FOLDS = 3
_MARGIN = 0.001
_AIQ_MARGIN = 0.01


def _sweep_aiq(pq: np.ndarray, pc: np.ndarray, q: np.ndarray, c: np.ndarray) -> float:
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    scale = 1.0 / max(float(c.mean()), 1e-12)
    rows = np.arange(len(q))
    pts = []
    for w in np.concatenate([[0.0], scale * np.logspace(-3, 3, 40), [1e12]]):
        choice = np.argmax(pq - w * pc, axis=1)
        pts.append((c[rows, choice].mean(), q[rows, choice].mean()))
    return aiq(np.array(pts), lo, hi)


def tune_task_weight(
    router: GraphRouter, table: OutcomeTable, vectors: F32, seed: int = 0
) -> float | None:
    """The best of :data:`TASK_WEIGHTS` by internal cross-validation (``None``: too little data)."""
    from agentroute.routing._graph import GraphRouter

    full = np.flatnonzero(~(np.isnan(table.quality).any(axis=1) | np.isnan(table.cost).any(axis=1)))
    if len(full) < _MIN_ROWS or len(table.models) < 2:
        return None
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(full)) % _FOLDS
    scores = dict.fromkeys(TASK_WEIGHTS, 0.0)
    per_fold: dict[float, list[float]] = {w: [] for w in TASK_WEIGHTS}
    aiqs = dict.fromkeys(TASK_WEIGHTS, 0.0)
    for f in range(_FOLDS):
        held = full[fold == f]
        keep = np.setdiff1d(np.arange(len(table)), held)
        probe = GraphRouter(
            k=router.k,
            task_k=router.task_k,
            sim_power=router.sim_power,
            prior_weight=router.prior_weight,
            featurizer=router.featurizer,
            descriptors=list(router.descriptors.values()),
            auto_weight=False,
            build_graph=False,
        )
        probe._fitted_featurizer = True
        probe._tuned = True  # use each candidate weight as given
        probe.fit(table.subset(keep), vectors[keep])
        queries = [table.queries[i] for i in held]
        q, c = table.quality[held], table.cost[held]
        for w in TASK_WEIGHTS:
            probe.task_weight = w
            pq, pc = probe.predict(queries, table.models, vectors[held])
            aiqs[w] += _sweep_aiq(pq, pc, q, c) / _FOLDS
            score = -float(np.mean((pq - q) ** 2))  # Brier: rewards signal, not dithering
            scores[w] += score / _FOLDS
            per_fold[w].append(score)
    # Neighbours must earn their place: the task average wins unless clearly beaten.
    safest = TASK_WEIGHTS[-1]

    def clearly_better(w: float) -> bool:
        wins = all(a > b for a, b in zip(per_fold[w], per_fold[safest], strict=True))
        return (
            wins and scores[w] > scores[safest] + _MARGIN and aiqs[w] > aiqs[safest] + _AIQ_MARGIN
        )

    better = [w for w in TASK_WEIGHTS if w != safest and clearly_better(w)]
    return max(better, key=lambda w: scores[w]) if better else safest
