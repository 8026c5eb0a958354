"""RouteLLM's GSM8K and MMLU outcomes (issue 17's APGR target): two models, gpt-4-1106-preview
(strong) and Mixtral-8x7B (weak), 5-fold cross-validation over each set.

Each router predicts both models' quality for every prompt from a fit on the other four folds;
its "strong win rate" is the predicted gain, strong minus weak, and APGR
(``agentroute.eval.apgr``) ranks the prompts by it. In the same run: the references (random,
the task classifier on MMLU's domains, matrix factorisation, tf-idf kNN, tf-idf logistic
regression) and, beside APGR, AIQ over the cost knob. Each set is cut once into two fixed
random halves: ``dev=True`` measures the design half (5-fold inside it), where designs are
chosen; the default measures the other half, once, after the design.

Data: ``data/routellm/`` (``benchmarks/fetch_routellm.py``; Apache-2.0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from _tfidf_peers import tfidf_knn_quality, tfidf_logreg_quality

from agentroute.eval import (
    aiq,
    apgr,
    cross_validated_predictions,
    knob_grid,
    sweep,
    zero_router_points,
)
from agentroute.eval._evaluate import _folds
from agentroute.eval._peers import matrix_factorisation_quality, task_classifier_quality
from agentroute.routing import OutcomeTable, QueryFeaturizer, load_outcome_table, make_router
from agentroute.routing._features import embed_cached

HERE = Path(__file__).resolve().parent
SETS = ("gsm8k", "mmlu")
STRONG = "gpt-4-1106-preview"
ROUTERS = ("graph", "blend", "knn")
FOLDS = 5
TARGETS = {"gsm8k": 0.62, "mmlu": 0.72}


def data_dir() -> Path:
    return HERE.parent / "data" / "routellm"


def _half(table: OutcomeTable, design: bool, seed: int = 1) -> np.ndarray:
    """The design half (a fixed random half of the prompts) or the held-out other half."""
    rows = np.random.default_rng(seed).permutation(len(table))
    cut = len(table) // 2
    return np.sort(rows[:cut] if design else rows[cut:])


def references(table: OutcomeTable, vectors: np.ndarray) -> dict[str, np.ndarray]:
    """Each reference's cross-validated predicted quality (same folds as the routers)."""
    fold = _folds(len(table), FOLDS, 0)
    q = table.quality
    out = {k: np.zeros_like(q) for k in ("matrix factorisation", "tf-idf kNN", "tf-idf logreg")}
    tasked = len(set(table.tasks)) > 1
    if tasked:
        out["task classifier"] = np.zeros_like(q)
    for f in range(FOLDS):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        qtr, ttr = [table.queries[i] for i in tr], [table.queries[i] for i in te]
        out["matrix factorisation"][te] = matrix_factorisation_quality(
            vectors[tr], q[tr], vectors[te]
        )
        out["tf-idf kNN"][te] = tfidf_knn_quality(qtr, q[tr], ttr, k=50)
        out["tf-idf logreg"][te] = tfidf_logreg_quality(qtr, q[tr], ttr)
        if tasked:
            tasks = [table.tasks[i] for i in tr]
            out["task classifier"][te] = task_classifier_quality(
                vectors[tr], tasks, q[tr], vectors[te]
            )
    return out


def measure(
    name: str, table: OutcomeTable, fz: QueryFeaturizer, vectors: np.ndarray
) -> dict[str, Any]:
    """APGR and AIQ of every router and reference on one set, by 5-fold CV."""
    q, c = table.quality, table.cost
    s, w = table.models.index(STRONG), 1 - table.models.index(STRONG)
    preds: dict[str, np.ndarray] = {}
    costs: dict[str, np.ndarray] = {}
    variants = {k: (k, {}) for k in ROUTERS} | {
        "blend, length not read": ("blend", {"read_length": False})
    }
    for label, (kind, kw) in variants.items():

        def factory(kind: str = kind, kw: dict[str, Any] = kw):  # type: ignore[no-untyped-def]
            return make_router(kind, featurizer=fz, **kw)

        preds[label], costs[label] = cross_validated_predictions(
            table, factory, vectors, folds=FOLDS
        )
    mean_cost = np.tile(c.mean(axis=0), (len(table), 1))
    for ref, pq in references(table, vectors).items():
        preds[ref], costs[ref] = pq, mean_cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    weights = knob_grid(c)
    rows: dict[str, dict[str, float]] = {
        "random": {
            "apgr": float(
                np.mean([apgr(np.zeros(len(q)), q[:, s], q[:, w], seed=k) for k in range(20)])
            )
        },
        "oracle": {"apgr": apgr(q[:, s] - q[:, w], q[:, s], q[:, w])},
    }
    for kind, pq in preds.items():
        rows[kind] = {
            "apgr": apgr(pq[:, s] - pq[:, w], q[:, s], q[:, w]),
            "aiq": aiq(sweep(pq, costs[kind], q, c, weights), lo, hi),
        }
    print(
        f"\n{name}: {len(table)} prompts, {STRONG} {q[:, s].mean():.3f} / "
        f"{table.models[w]} {q[:, w].mean():.3f}; APGR (5-fold CV), target {TARGETS[name]}"
    )
    for kind, r in sorted(rows.items(), key=lambda kv: -kv[1]["apgr"]):
        extra = f"  AIQ {r['aiq']:.4f}" if "aiq" in r else ""
        print(f"  {kind:<22} APGR {r['apgr']:.3f}{extra}")
    return {
        "prompts": len(table),
        "accuracy": {m: float(q[:, j].mean()) for j, m in enumerate(table.models)},
        "results": rows,
        "target_apgr": TARGETS[name],
    }


def run(
    embedder: Any, cache: Path, *, dev: bool = False, data: Path | None = None
) -> dict[str, Any]:
    """Both sets: their design halves (``dev``) or their held-out halves."""
    out: dict[str, Any] = {
        "folds": FOLDS,
        "split": "design half (seed 1)" if dev else "held-out half (seed 1)",
    }
    for name in SETS:
        table = load_outcome_table((data or data_dir()) / f"{name}.jsonl.gz")
        table = table.subset(_half(table, design=dev))
        fz = QueryFeaturizer(embedder).fit(table.queries)
        vectors = embed_cached(fz, table.queries, cache)
        out[name] = measure(name, table, fz, vectors)
    return out
