"""Where the cascade loses AIQ, and what gpt-4's quality at <= 40% of its cost would need
(issue 17; design runs inside RouterBench's held-out train split only, never its test split).

* the cascade's and the oracle's hull, averaged over bands of the normalised cost range, and
  AIQ per task (each task's own cost range), on the three inner splits of ``_heldout.dev``;
* on the whole train split: the prompts only gpt-4 answers right, and the upper bound of a
  two-model router that knew which prompts need gpt-4 (a cheap model, gpt-4 only where the
  cheap one fails and gpt-4 succeeds);
* how well a router tells those prompts apart, per task on the inner splits: AUC of the graph
  router's and kNN's predicted gain (gpt-4 minus Yi-34B) and of a ridge regression on the
  embedding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _heldout import DEV_SEEDS, _subset, split

from agentroute.eval import aiq, auc, knob_grid, sweep, upper_hull, zero_router_points
from agentroute.routing import OutcomeTable, QueryFeaturizer, make_router
from agentroute.routing._cascade import CascadeRouter, cascade_sweep, normalise_answer
from agentroute.routing._curves import _curve_at
from agentroute.routing._features import embed_cached

BANDS = ((0.0, 0.02), (0.02, 0.05), (0.05, 0.1), (0.1, 0.2), (0.2, 0.4), (0.4, 0.7), (0.7, 1.0))
STRONG, CHEAP = "gpt-4-1106-preview", "zero-one-ai/Yi-34B-Chat"


def bands(points: np.ndarray, lo: float, hi: float) -> list[float]:
    """Mean hull quality over each band of the normalised cost range."""
    xs = np.linspace(lo, hi, 4001)
    ys = _curve_at(upper_hull(points), xs)
    frac = (xs - lo) / (hi - lo)
    return [float(ys[(frac >= a) & (frac <= b)].mean()) for a, b in BANDS]


def needs_strong(outer: OutcomeTable) -> dict[str, Any]:
    """Prompts only gpt-4 gets right, and the perfect two-model router's cost share."""
    q, c = outer.quality, outer.cost
    s = outer.models.index(STRONG)
    tasks = np.array(outer.tasks)
    others = [j for j in range(len(outer.models)) if j != s]
    only = (q[:, s] > 0.5) & (q[:, others].max(axis=1) < 0.5)
    out: dict[str, Any] = {
        "only_strong_right": {t: float(only[tasks == t].mean()) for t in set(tasks)}
    }
    for j in others:
        if c[:, j].mean() > 0.2 * c[:, s].mean():
            continue
        need = (q[:, j] < 0.5) & (q[:, s] > 0.5)
        out[outer.models[j]] = {
            "strong_calls": float(need.mean()),
            "quality": float(np.where(need, q[:, s], q[:, j]).mean()),
            "strong_quality": float(q[:, s].mean()),
            "cost_share": float(np.where(need, c[:, s], c[:, j]).mean() / c[:, s].mean()),
        }
    return out


def gaps(table: OutcomeTable, embedder: Any, cache: Any) -> dict[str, Any]:
    tr, _ = split(table)
    outer = _subset(table, tr)
    out: dict[str, Any] = {"bands": [list(b) for b in BANDS], "needs_strong": needs_strong(outer)}
    print("upper bound, a router knowing which prompts need gpt-4 (train split):")
    for k, v in out["needs_strong"].items():
        print(f"  {k}: {v}")
    for seed in DEV_SEEDS:
        a, b = split(outer, seed)
        train, test = _subset(outer, a), _subset(outer, b)
        fz = QueryFeaturizer(embedder).fit(train.queries)
        xtr, xte = embed_cached(fz, train.queries, cache), embed_cached(fz, test.queries, cache)
        q, c = test.quality, test.cost
        w = knob_grid(c)
        preds = {}
        for kind in ("graph", "knn"):
            r = make_router(kind, featurizer=fz)
            r._fitted_featurizer = True
            r.fit(train, xtr)
            preds[kind] = r.predict(test.queries, test.models, xte)
        answers = np.array(
            [
                [normalise_answer(test.responses.get((i, j), "")) for j in range(len(test.models))]
                for i in range(len(test))
            ]
        )
        cascade = CascadeRouter(make_router("graph"), width=2, cost_fraction=0.25)
        curves = {
            "graph": sweep(*preds["graph"], q, c, w),
            "cascade": cascade_sweep(cascade, *preds["graph"], q, c, answers, w),
            "oracle": sweep(q, c, q, c, w),
            "zero router": zero_router_points(q, c),
        }
        single = zero_router_points(q, c)
        lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
        run: dict[str, Any] = {}
        print(f"\ninner split {seed}: hull's mean quality per band of the cost range")
        for name, pts in curves.items():
            run[name] = {"aiq": aiq(pts, lo, hi), "bands": bands(pts, lo, hi)}
            print(
                f"  {name:<12} AIQ {run[name]['aiq']:.4f}  "
                + " ".join(f"{v:.3f}" for v in run[name]["bands"])
            )
        tasks = np.array(test.tasks)
        s, y = test.models.index(STRONG), test.models.index(CHEAP)
        need = (q[:, y] < 0.5) & (q[:, s] > 0.5)
        trt = np.array(train.tasks)
        run["tasks"] = {}
        for t in sorted(set(tasks)):
            m = tasks == t
            one = zero_router_points(q[m], c[m])
            lo_t, hi_t = float(one[:, 0].min()), float(one[:, 0].max())
            mt = trt == t
            x = np.hstack([xtr[mt], np.ones((int(mt.sum()), 1))])
            lab = ((train.quality[mt, y] < 0.5) & (train.quality[mt, s] > 0.5)).astype(float)
            coef = np.linalg.solve(x.T @ x + 3.0 * np.eye(x.shape[1]), x.T @ (lab - lab.mean()))
            ridge = np.hstack([xte[m], np.ones((int(m.sum()), 1))]) @ coef
            row = {
                "aiq": {
                    "zero router": aiq(one, lo_t, hi_t),
                    "graph": aiq(sweep(*(p[m] for p in preds["graph"]), q[m], c[m], w), lo_t, hi_t),
                    "cascade": aiq(
                        cascade_sweep(
                            cascade, *(p[m] for p in preds["graph"]), q[m], c[m], answers[m], w
                        ),
                        lo_t,
                        hi_t,
                    ),
                    "oracle": aiq(sweep(q[m], c[m], q[m], c[m], w), lo_t, hi_t),
                },
                "needs_strong": float(need[m].mean()),
                "auc": {
                    kind: auc(preds[kind][0][m, s] - preds[kind][0][m, y], need[m])
                    for kind in ("graph", "knn")
                }
                | {"ridge": auc(ridge, need[m])},
            }
            run["tasks"][t] = row
            print(f"  {t}: {row}")
        out[str(seed)] = run
    return out
