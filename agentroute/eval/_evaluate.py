"""Evaluate routers on held-out outcome files, or on one file by k-fold cross-validation.

Works for any pool of models and tasks: the table's columns are the pool. Each router is
swept over the cost knob; every query is predicted once by a router that never saw it; the
sweep's (average cost, average quality) points are measured against the baselines (each
single model, random, the zero router, a task classifier, matrix factorisation, the oracle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from agentroute.embeddings._base import Embedder
from agentroute.eval._peers import matrix_factorisation_quality, task_classifier_quality
from agentroute.routing._base import F32, F64, BaseRouter
from agentroute.routing._curves import (
    aiq,
    cost_to_match,
    knob_grid,
    sweep,
    upper_hull,
    zero_router_points,
)
from agentroute.routing._factory import make_router
from agentroute.routing._features import QueryFeaturizer, embed_cached
from agentroute.routing._table import OutcomeSource, OutcomeTable, as_outcome_table

__all__ = [
    "CurveResult",
    "EvaluationReport",
    "cross_validated_predictions",
    "evaluate",
]


class CurveResult(BaseModel):
    """One router's (or baseline's) quality–cost curve and its measures."""

    name: str
    points: list[tuple[float, float]] = Field(default_factory=list)
    """(average cost per query in dollars, average quality) for each knob setting."""
    hull: list[tuple[float, float]] = Field(default_factory=list)
    aiq: float
    max_quality: float
    cost_to_match_best: float | None = None
    """Least average cost reaching the best single model's quality (``None``: never)."""
    cost_share_of_best: float | None = None
    """``cost_to_match_best`` as a share of the best single model's own cost."""
    oracle_gap_closed: float | None = None
    """(AIQ − zero router AIQ) / (oracle AIQ − zero router AIQ)."""


class EvaluationReport(BaseModel):
    """Every router's and baseline's curve on one table of outcomes, best AIQ first in ``table()``."""

    n_queries: int
    models: list[str]
    folds: int
    cost_range: tuple[float, float]
    best_single: str
    results: dict[str, CurveResult]

    def table(self) -> str:
        lines = [f"{'router':<28}{'AIQ':>8}{'maxQ':>8}{'cost@best':>12}{'share':>8}{'gap':>8}"]
        for r in sorted(self.results.values(), key=lambda r: -r.aiq):
            ctm = f"{r.cost_to_match_best:.2e}" if r.cost_to_match_best is not None else "never"
            share = f"{r.cost_share_of_best:.0%}" if r.cost_share_of_best is not None else "-"
            gap = f"{r.oracle_gap_closed:.0%}" if r.oracle_gap_closed is not None else "-"
            lines.append(
                f"{r.name:<28}{r.aiq:>8.4f}{r.max_quality:>8.4f}{ctm:>12}{share:>8}{gap:>8}"
            )
        return "\n".join(lines)


def _folds(n: int, k: int, seed: int) -> npt.NDArray[np.int64]:
    return np.asarray(np.random.default_rng(seed).permutation(n) % k, dtype=np.int64)


def cross_validated_predictions(
    table: OutcomeTable,
    factory: Callable[[], BaseRouter],
    vectors: F32,
    *,
    folds: int = 5,
    seed: int = 0,
) -> tuple[F64, F64]:
    """Each query's predicted quality and cost from a router fitted on the other folds."""
    fold = _folds(len(table), folds, seed)
    pq = np.zeros_like(table.quality)
    pc = np.zeros_like(table.cost)
    for f in range(folds):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        router = factory()
        router._fitted_featurizer = True  # vectors were embedded once, outside the folds
        router.fit(table.subset(tr), vectors[tr])
        q, c = router.predict([table.queries[i] for i in te], table.models, vectors[te])
        pq[te], pc[te] = q, c
    return pq, pc


def _curve(
    name: str,
    points: npt.NDArray[np.float64],
    lo: float,
    hi: float,
    best_q: float,
    best_c: float,
) -> CurveResult:
    hull = upper_hull(points)
    ctm = cost_to_match(points, best_q - 1e-9)
    return CurveResult(
        name=name,
        points=[(float(a), float(b)) for a, b in points],
        hull=[(float(a), float(b)) for a, b in hull],
        aiq=aiq(points, lo, hi),
        max_quality=float(points[:, 1].max()),
        cost_to_match_best=ctm,
        cost_share_of_best=None if ctm is None else ctm / best_c,
    )


def _aligned(train: OutcomeTable, test: OutcomeTable) -> tuple[OutcomeTable, OutcomeTable]:
    """Both tables over the test file's models, which the training file must all have."""
    missing = [m for m in test.models if m not in train.models]
    if missing:
        raise ValueError(f"the test outcomes name models the training outcomes lack: {missing}")
    cols = [train.models.index(m) for m in test.models]
    train = OutcomeTable(
        train.queries, train.tasks, list(test.models), train.quality[:, cols], train.cost[:, cols]
    )
    return train, test


def evaluate(
    source: OutcomeSource,
    test: OutcomeSource | None = None,
    *,
    routers: Sequence[str] = ("prior", "knn", "graph", "blend"),
    folds: int = 5,
    seed: int = 0,
    embedder: Embedder | None = None,
    vectors: F32 | None = None,
    test_vectors: F32 | None = None,
    baselines: bool = True,
    peers: bool = True,
    cache_dir: str | Path | None = None,
    router_kwargs: dict[str, dict[str, Any]] | None = None,
) -> EvaluationReport:
    """Quality–cost curves, AIQ and baselines for the routers named: fitted on ``source`` and
    measured on the held-out ``test`` outcomes when given (``folds`` is then 1), else by
    ``folds``-fold cross-validation over ``source``."""
    cache = Path(cache_dir).expanduser() if cache_dir else None
    if test is None:
        table = as_outcome_table(source).complete()
        train = table
    else:
        train, table = _aligned(as_outcome_table(source), as_outcome_table(test).complete())
        folds = 1
    featurizer = QueryFeaturizer(embedder).fit(train.queries)
    if vectors is None:
        vectors = embed_cached(featurizer, train.queries, cache)
    if test is not None and test_vectors is None:
        test_vectors = embed_cached(featurizer, table.queries, cache)
    q, c = table.quality, table.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    best = int(np.argmax(single[:, 1]))
    best_q, best_c = float(single[best, 1]), float(single[best, 0])
    weights = knob_grid(c)
    results: dict[str, CurveResult] = {}

    def add(name: str, pts: npt.NDArray[np.float64]) -> None:
        results[name] = _curve(name, pts, lo, hi, best_q, best_c)

    for name in routers:
        kw = (router_kwargs or {}).get(name, {})

        def factory(name: str = name, kw: dict[str, Any] = kw) -> BaseRouter:
            return make_router(name, featurizer=featurizer, **kw)

        if test_vectors is None:
            pq, pc = cross_validated_predictions(table, factory, vectors, folds=folds, seed=seed)
        else:
            router = factory()
            router._fitted_featurizer = True
            router.fit(train, vectors)
            pq, pc = router.predict(table.queries, table.models, test_vectors)
        add(name, sweep(pq, pc, q, c, weights))
    if baselines:
        for j, m in enumerate(table.models):
            add(f"single:{m}", single[j : j + 1])
        add("zero router", single)
        add("random", np.array([[c.mean(), q.mean()]]))
        add("oracle", sweep(q, c, q, c, weights))
        tq, mq, mean_cost = _peer_predictions(
            train, table, vectors, test_vectors, folds, seed, peers
        )
        add("task classifier", sweep(tq, mean_cost, q, c, weights))
        if peers:
            add("matrix factorisation", sweep(mq, mean_cost, q, c, weights))
        zero, oracle = results["zero router"].aiq, results["oracle"].aiq
        for r in results.values():
            if oracle > zero:
                r.oracle_gap_closed = (r.aiq - zero) / (oracle - zero)
    return EvaluationReport(
        n_queries=len(table),
        models=table.models,
        folds=folds,
        cost_range=(lo, hi),
        best_single=table.models[best],
        results=results,
    )


def _peer_predictions(
    train: OutcomeTable,
    test: OutcomeTable,
    vectors: F32,
    test_vectors: F32 | None,
    folds: int,
    seed: int,
    peers: bool,
) -> tuple[F64, F64, F64]:
    """The task classifier's and matrix factorisation's predicted quality and the training
    mean cost, for every query of ``test`` (cross-validated when there is no test file)."""
    q = test.quality
    tq, mq, mean_cost = np.zeros_like(q), np.zeros_like(q), np.zeros_like(q)
    if test_vectors is not None:
        tq[:] = task_classifier_quality(vectors, train.tasks, train.quality, test_vectors)
        if peers:
            mq[:] = matrix_factorisation_quality(vectors, train.quality, test_vectors, seed=seed)
        mean_cost[:] = np.nanmean(train.cost, axis=0)
        return tq, mq, mean_cost
    fold = _folds(len(test), folds, seed)
    for f in range(folds):
        tr, te = fold != f, fold == f
        tasks_tr = [t for t, keep in zip(test.tasks, tr, strict=True) if keep]
        tq[te] = task_classifier_quality(vectors[tr], tasks_tr, q[tr], vectors[te])
        if peers:
            mq[te] = matrix_factorisation_quality(vectors[tr], q[tr], vectors[te], seed=seed)
        mean_cost[te] = test.cost[tr].mean(axis=0)
    return tq, mq, mean_cost
