"""Bandit design runs inside the train splits only (issue 17): an empty graph router chooses a
model for each streamed prompt and learns only the chosen model's outcome; the models carry
their descriptors (an agent's experts have prices and cards).

For each exploring setting, over the inner splits of ``_cold_start`` (the test files are never
read) and several orders: AIQ on the inner test after 100 / 300 / 1,000 queries (what the
estimates are worth), the mean score of the decisions made so far at the default knob (true
quality minus the knob's cost, minus the best single model's on the same prompts: what
the exploring paid), how many decisions the bonus changed,
and which models it sent them to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from _cold_start import Inner, _inner_sets
from _heldout import descriptors as routerbench_descriptors
from _llmrouter import data_dir as llmrouter_dir
from _llmrouter import load

from agentroute.eval import aiq, knob_grid, sweep, zero_router_points
from agentroute.routing import GraphRouter, Outcome, OutcomeTable, RoutingConfig

CHECKPOINTS = (100, 300, 1000)
ORDERS = (1, 2)
VARIANTS: dict[str, dict[str, Any]] = {
    "no exploring": {"explore": 0.0},
    "default": {},
}


def _stream(
    config: RoutingConfig,
    inner: Inner,
    order: np.ndarray,
    descs: list[Any],
    router_kwargs: dict[str, Any],
) -> dict[str, Any]:
    train, test, xtr, xte, fz = inner
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    weights = knob_grid(c)
    router = GraphRouter(featurizer=fz, config=config, descriptors=descs, **router_kwargs)
    router._fitted_featurizer = True
    w = config.cost_weight()
    models = list(train.models)
    points: dict[int, float] = {}
    score: dict[int, float] = {}
    changed: dict[int, int] = {}
    explored = np.zeros(len(models), dtype=np.int64)
    picks = np.zeros(len(models), dtype=np.int64)
    windows: dict[int, list[int]] = {}
    total, n_changed = 0.0, 0
    singles = np.zeros(len(models))
    # A checkpoint past the stream's end is taken at its end (RouterBench's inner train
    # splits hold ~790 prompts).
    stops = {min(n, len(order)): n for n in CHECKPOINTS}
    for step, i in enumerate(order[: max(CHECKPOINTS)]):
        quality, cost = router.predict([train.queries[i]], models, xtr[i : i + 1])
        bonus = router.exploration_bonus(quality)
        d = router.decide(quality[0], cost[0], models, bonus=None if bonus is None else bonus[0])
        j = models.index(d.target) if d.target else 0
        plain = int(np.argmax(quality[0] - w * cost[0]))
        picks[j] += 1
        if j != plain:
            n_changed += 1
            explored[j] += 1
        total += float(train.quality[i, j] - w * train.cost[i, j])
        singles += train.quality[i] - w * train.cost[i]
        router.learn(
            Outcome(
                query=train.queries[i],
                model=models[j],
                quality=float(train.quality[i, j]),
                cost_usd=float(train.cost[i, j]),
                task=train.tasks[i],
            ),
            xtr[i],
        )
        if step + 1 in stops:
            n = stops[step + 1]
            pq, pc = router.predict(test.queries, test.models, xte)
            points[n] = aiq(sweep(pq, pc, q, c, weights), lo, hi)
            # Paired with the best single model on the same prompts: the noise of which
            # prompts came first cancels.
            score[n] = (total - float(singles.max())) / (step + 1)
            changed[n] = n_changed
            windows[n] = picks.tolist()
            picks[:] = 0
    return {
        "aiq": points,
        "score": score,
        "changed": changed,
        "explored": dict(zip(models, explored.tolist(), strict=True)),
        "picks": windows,
        "zero": aiq(single, lo, hi),
    }


def dev(
    which: str,
    table: OutcomeTable | None,
    embedder: Any,
    cache: Path,
    variants: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Every exploring setting's mean curves over the inner streams."""
    sets = _inner_sets(which, table, embedder, cache)
    descs = (
        list(load(llmrouter_dir())[2].values())
        if which == "llmrouter"
        else routerbench_descriptors()
    )
    out: dict[str, Any] = {}
    for label, kwargs in (variants or VARIANTS).items():
        runs = []
        for inner in sets:
            for k in ORDERS:
                order = np.random.default_rng(k).permutation(len(inner[0]))
                config = {k: v for k, v in kwargs.items() if k != "router"}
                runs.append(
                    _stream(RoutingConfig(**config), inner, order, descs, kwargs.get("router", {}))
                )
        row = {
            key: {n: float(np.mean([r[key][n] for r in runs])) for n in CHECKPOINTS}
            for key in ("aiq", "score", "changed")
        }
        row["explored"] = {
            m: int(np.sum([r["explored"][m] for r in runs])) for m in runs[0]["explored"]
        }
        row["inner test's zero router"] = float(np.mean([r["zero"] for r in runs]))
        print(
            f"{which} bandit {label:<24} AIQ "
            + " ".join(f"{n}: {v:.4f}" for n, v in row["aiq"].items())
            + " | score so far minus the best single's "
            + " ".join(f"{v:.4f}" for v in row["score"].values())
            + " | changed by the bonus "
            + " ".join(f"{v:.0f}" for v in row["changed"].values())
            + f" | zero {row[chr(105) + 'nner test' + chr(39) + 's zero router']:.4f}"
        )
        print(f"    explored: {row['explored']}")
        for n in CHECKPOINTS:
            row[f"picks to {n}"] = np.sum([r["picks"][n] for r in runs], axis=0).tolist()
            print(f"    picks to {n}: {row[f'picks to {n}']}")
        out[label] = row
    return out
