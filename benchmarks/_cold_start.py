"""Cold-start design runs inside the train splits only (issue 17): outcomes stream into an
empty graph router (full information: every model's outcome on each streamed prompt) and AIQ
is measured on an inner test part after 100 / 300 / 1,000 / 3,000 outcomes.

* RouterBench: the held-out train split, itself split by task (seeds 1-3, as ``--dev``);
* LLMRouter: its train file split 80/20 at random (seeds 1-3); the test file is not read.

Six orders per inner split. Beside each variant, the zero router learned from the same stream
(each model's mean quality and cost so far) and the inner test's own zero router. Variants
differ only in ``GraphRouter(cell_share=...)``; paired differences against the default are
printed with their standard error over the 18 streams.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from _heldout import _subset, split
from _llmrouter import data_dir as llmrouter_dir
from _llmrouter import load

from agentroute.eval import aiq, knob_grid, sweep, zero_router_points
from agentroute.routing import GraphRouter, Outcome, OutcomeTable, QueryFeaturizer
from agentroute.routing._features import embed_cached

CHECKPOINTS = (100, 300, 1000, 3000)
SPLITS = (1, 2, 3)
ORDERS = (1, 2, 3, 4, 5, 6)
VARIANTS: dict[str, dict[str, Any]] = {
    "default (cell_share 0.5)": {},
    "no cap (session 18)": {"cell_share": float("inf")},
    "cell_share 1": {"cell_share": 1.0},
    "cell_share 2": {"cell_share": 2.0},
}

Inner = tuple[OutcomeTable, OutcomeTable, np.ndarray, np.ndarray, QueryFeaturizer]


def _inner_sets(which: str, table: OutcomeTable | None, embedder: Any, cache: Path) -> list[Inner]:
    if which == "llmrouter":
        train, _, _ = load(llmrouter_dir())
        fz = QueryFeaturizer(embedder).fit(train.queries)
        x = embed_cached(fz, train.queries, cache)
        out = []
        for s in SPLITS:
            order = np.random.default_rng(s).permutation(len(train))
            cut = round(len(train) * 0.2)
            te, tr = np.sort(order[:cut]), np.sort(order[cut:])
            out.append((train.subset(tr), train.subset(te), x[tr], x[te], fz))
        return out
    assert table is not None
    outer_rows, _ = split(table)
    outer = _subset(table, outer_rows)
    fz = QueryFeaturizer(embedder).fit(outer.queries)
    x = embed_cached(fz, outer.queries, cache)
    out = []
    for s in SPLITS:
        a, b = split(outer, s)
        out.append((outer.subset(a), outer.subset(b), x[a], x[b], fz))
    return out


def _stream(
    kwargs: dict[str, Any], inner: Inner, order: np.ndarray
) -> tuple[dict[int, float], dict[int, float], float]:
    train, test, xtr, xte, fz = inner
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    weights = knob_grid(c)
    router = GraphRouter(featurizer=fz, **kwargs)
    router._fitted_featurizer = True
    points: dict[int, float] = {}
    zero_points: dict[int, float] = {}
    zq, zc, zn = np.zeros(len(train.models)), np.zeros(len(train.models)), 0
    seen = 0
    for i in order:
        if seen > max(CHECKPOINTS):
            break
        for j, m in enumerate(train.models):
            if seen in CHECKPOINTS:
                pq, pc = router.predict(test.queries, test.models, xte)
                points[seen] = aiq(sweep(pq, pc, q, c, weights), lo, hi)
                flat_q, flat_c = np.tile(zq / zn, (len(test), 1)), np.tile(zc / zn, (len(test), 1))
                zero_points[seen] = aiq(sweep(flat_q, flat_c, q, c, weights), lo, hi)
            router.learn(
                Outcome(
                    query=train.queries[i],
                    model=m,
                    quality=float(train.quality[i, j]),
                    cost_usd=float(train.cost[i, j]),
                    task=train.tasks[i],
                ),
                xtr[i],
            )
            seen += 1
        zq, zc, zn = zq + train.quality[i], zc + train.cost[i], zn + 1
    return points, zero_points, aiq(single, lo, hi)


def dev(which: str, table: OutcomeTable | None, embedder: Any, cache: Path) -> dict[str, Any]:
    """Every variant's mean curve over the inner streams, and its paired difference from the
    default. ``which``: ``"routerbench"`` (``table`` given) or ``"llmrouter"``."""
    sets = _inner_sets(which, table, embedder, cache)
    out: dict[str, Any] = {}
    base: list[dict[int, float]] | None = None
    for label, kwargs in VARIANTS.items():
        curves, zeros, files = [], [], []
        for inner in sets:
            for k in ORDERS:
                order = np.random.default_rng(k).permutation(len(inner[0]))
                p, z, f = _stream(kwargs, inner, order)
                curves.append(p)
                zeros.append(z)
                files.append(f)
        row: dict[str, Any] = {
            "mean": {n: float(np.mean([p[n] for p in curves])) for n in CHECKPOINTS},
            "zero router learned from the stream": {
                n: float(np.mean([z[n] for z in zeros])) for n in CHECKPOINTS
            },
            "inner test's zero router": float(np.mean(files)),
        }
        print(
            f"{which} {label:<26} "
            + "  ".join(f"{n}: {v:.4f}" for n, v in row["mean"].items())
            + " | learned zero "
            + " ".join(f"{v:.4f}" for v in row["zero router learned from the stream"].values())
            + f" | inner test zero {row['inner test' + chr(39) + 's zero router']:.4f}"
        )
        if base is None:
            base = curves
        else:
            diffs = {}
            for n in CHECKPOINTS:
                d = np.array([p[n] - b[n] for p, b in zip(curves, base, strict=True)])
                diffs[n] = {
                    "diff": float(d.mean()),
                    "se": float(d.std(ddof=1) / np.sqrt(len(d))),
                    "wins": int((d > 0).sum()),
                }
            row["minus default"] = diffs
            print(
                "    minus default: "
                + "  ".join(f"{n}: {v['diff']:+.4f} ± {v['se']:.4f}" for n, v in diffs.items())
            )
        out[label] = row
    return out
