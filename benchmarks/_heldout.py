"""RouterBench on a held-out test split (issue 17): fitted on train, measured once on test.

* AIQ of the routers and the reference routers (kNN, task classifier, matrix factorisation,
  zero router, oracle) on the test split, and the cascade;
* gpt-4's quality at what share of its cost, robust across bootstrap resamples of the test set;
* an unseen model (Yi-34B held out of training) added with its descriptor only: the share of
  test decisions it gets at the default knob, and of those where it is truly the best choice,
  from the descriptor alone and after 50 / 300 of its outcomes (without task labels; mean over
  5 orders of them);
* cold-start online learning: test AIQ after 100 / 300 / 1,000 / … streamed outcomes, with full
  information (one order, and the mean of 3 to 10,000 outcomes) and as a bandit (only the
  chosen model's outcome is learned), with and without exploration;
* decision p50 with 11 models.

Nothing here is tuned on the test split: the router's settings are its defaults.
"""

from __future__ import annotations

import copy
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from agentroute.eval import aiq, evaluate, knob_grid, sweep, zero_router_points
from agentroute.eval._evaluate import _curve
from agentroute.routing import (
    BlendRouter,
    ExpertDescriptor,
    GraphRouter,
    Outcome,
    OutcomeTable,
    QueryFeaturizer,
    RoutingConfig,
    make_router,
)
from agentroute.routing._cascade import CascadeRouter, cascade_sweep, normalise_answer
from agentroute.routing._features import embed_cached
from agentroute.types import TargetDescriptor, TargetKind

HERE = Path(__file__).resolve().parent
HELD_OUT = "zero-one-ai/Yi-34B-Chat"
TEST_SHARE = 0.4
BOOTSTRAP = 1000
TARGET_SHARE = 0.40
STREAMS = 5
"""Orders in which the held-out model's outcomes arrive (its first 50 outcomes are a small,
noisy sample: one order alone says little)."""


def split(table: OutcomeTable, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train and test rows, stratified by task (a fixed seed: the split never changes)."""
    rng = np.random.default_rng(seed)
    tasks = np.array(table.tasks)
    train, test = [], []
    for t in sorted(set(table.tasks)):
        rows = rng.permutation(np.flatnonzero(tasks == t))
        cut = round(len(rows) * TEST_SHARE)
        test += rows[:cut].tolist()
        train += rows[cut:].tolist()
    return np.array(sorted(train)), np.array(sorted(test))


def descriptors() -> list[ExpertDescriptor]:
    data = json.loads((HERE / "data" / "routerbench_models.json").read_text())
    return [ExpertDescriptor(kind=TargetKind.EXPERT, **m) for m in data["models"]]


def _subset(table: OutcomeTable, rows: np.ndarray) -> OutcomeTable:
    sub = table.subset(rows)
    pos = {int(r): k for k, r in enumerate(rows)}
    sub.responses = {(pos[i], j): v for (i, j), v in table.responses.items() if i in pos}
    return sub


def _choices(pq: np.ndarray, pc: np.ndarray, q: np.ndarray, c: np.ndarray, weights: np.ndarray):  # type: ignore[no-untyped-def]
    """Per knob weight, the true (quality, cost) of each test query's choice."""
    rows = np.arange(len(pq))
    picks = np.stack([np.argmax(pq - w * pc, axis=1) for w in weights])
    return q[rows[None, :], picks], c[rows[None, :], picks]


def bootstrap_share(
    chosen_q: np.ndarray, chosen_c: np.ndarray, q: np.ndarray, c: np.ndarray, seed: int = 0
) -> dict[str, Any]:
    """Share of the best single model's cost at which the router's hull reaches its quality,
    on each bootstrap resample of the test queries."""
    from agentroute.eval import cost_to_match

    rng = np.random.default_rng(seed)
    n = q.shape[1] if q.ndim == 1 else q.shape[0]
    shares = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, n, n)
        single_q, single_c = q[idx].mean(axis=0), c[idx].mean(axis=0)
        best = int(np.argmax(single_q))
        pts = np.stack([chosen_c[:, idx].mean(axis=1), chosen_q[:, idx].mean(axis=1)], axis=1)
        ctm = cost_to_match(pts, float(single_q[best]) - 1e-9)
        shares.append(np.inf if ctm is None else ctm / float(single_c[best]))
    arr = np.array(shares)
    return {
        "median_share": float(np.median(arr)),
        "p90_share": float(np.quantile(arr, 0.9)),
        "resamples_at_or_below_target": float((arr <= TARGET_SHARE).mean()),
        "target_share": TARGET_SHARE,
    }


def aiq_and_cost(
    train: OutcomeTable, test: OutcomeTable, fz: QueryFeaturizer, xtr: np.ndarray, xte: np.ndarray
) -> dict[str, Any]:
    report = evaluate(
        train,
        test,
        routers=("knn", "graph", "blend"),
        vectors=xtr,
        test_vectors=xte,
        embedder=fz.embedder,
    )
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    best = int(np.argmax(single[:, 1]))
    weights = knob_grid(c)
    preds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in ("graph", "blend"):
        r = make_router(name, featurizer=fz)
        r._fitted_featurizer = True
        r.fit(train, xtr)
        preds[name] = r.predict(test.queries, test.models, xte)
        if isinstance(r, BlendRouter):
            print(f"blend: words' share {r.word_share} (3-fold CV AIQ inside train {r.word_cv})")
    answers = np.array(
        [
            [normalise_answer(test.responses.get((i, j), "")) for j in range(len(test.models))]
            for i in range(len(test))
        ]
    )
    graph = make_router("graph", featurizer=fz)
    cascade = CascadeRouter(graph, width=2, cost_fraction=0.25)
    pts = cascade_sweep(cascade, *preds["graph"], q, c, answers, weights)
    report.results["cascade"] = _curve(
        "cascade", pts, lo, hi, float(single[best, 1]), float(single[best, 0])
    )
    zero, oracle = report.results["zero router"].aiq, report.results["oracle"].aiq
    report.results["cascade"].oracle_gap_closed = (report.results["cascade"].aiq - zero) / (
        oracle - zero
    )
    print("\nheld-out test split (fitted on train):\n")
    print(report.table())
    robust: dict[str, Any] = {}
    for name, (pq, pc) in preds.items():
        cq, cc = _choices(pq, pc, q, c, weights)
        robust[name] = bootstrap_share(cq, cc, q, c)
    # Reference: the task classifier's choices, resampled the same way.
    from agentroute.eval._peers import task_classifier_quality

    tq = task_classifier_quality(xtr, train.tasks, train.quality, xte)
    cq, cc = _choices(tq, np.tile(train.cost.mean(axis=0), (len(test), 1)), q, c, weights)
    robust["task classifier"] = bootstrap_share(cq, cc, q, c)
    print(f"\n{test.models[best]}'s quality at what share of its cost ({BOOTSTRAP} resamples):")
    for name, r in robust.items():
        print(
            f"  {name:<18} median {r['median_share']:.0%}, 90th pct {r['p90_share']:.0%}, "
            f"<= {TARGET_SHARE:.0%} in {r['resamples_at_or_below_target']:.0%} of resamples"
        )
    results = {
        k: {kk: vv for kk, vv in v.model_dump().items() if kk not in ("points", "hull")}
        for k, v in report.results.items()
    }
    return {"results": results, "gpt4_share_bootstrap": robust, "best_single": test.models[best]}


def _unseen_shares(
    router: GraphRouter,
    test: OutcomeTable,
    xte: np.ndarray,
    names: list[str],
    held_out: str = HELD_OUT,
) -> dict[str, float]:
    pq, pc = router.predict(test.queries, names, xte)
    w = router.config.cost_weight()
    score = pq - w * pc
    bonus = router.exploration_bonus(pq)  # what ``choose`` adds: the default router's decision
    if bonus is not None:
        score += bonus
    picks = np.argmax(score, axis=1)
    j = names.index(held_out)
    truth = np.argmax(test.quality - w * test.cost, axis=1)
    is_best = truth == j
    return {
        "share_of_decisions": float((picks == j).mean()),
        "share_where_best": float((picks[is_best] == j).mean()) if is_best.any() else 0.0,
        "queries_where_best": float(is_best.mean()),
        "decisions_true_quality": float(test.quality[np.arange(len(picks)), picks].mean()),
        "decisions_true_cost": float(test.cost[np.arange(len(picks)), picks].mean()),
        # What the knob scores the decisions at (true quality minus the knob's cost): a higher
        # share where the newcomer is "truly best" can come with a lower score (see
        # ``_llmrouter.dev_unseen``).
        "decisions_score": float(
            (test.quality - w * test.cost)[np.arange(len(picks)), picks].mean()
        ),
        "predicted_quality_mean": float(pq[:, j].mean()),
        "true_quality_mean": float(test.quality[:, j].mean()),
    }


def unseen_model(
    train: OutcomeTable,
    test: OutcomeTable,
    fz: QueryFeaturizer,
    xtr: np.ndarray,
    xte: np.ndarray,
    *,
    held_out: str = HELD_OUT,
    descs: dict[str, ExpertDescriptor] | None = None,
    variants: dict[str, TargetDescriptor] | None = None,
    checkpoints: tuple[int, ...] = (50, 300),
) -> dict[str, Any]:
    """A model (Yi-34B unless told) held out of training, added with a descriptor; then its
    outcomes stream in. ``variants``: label -> the descriptor it is added with (a label with
    "without" runs with ``explore = 0``)."""
    keep = [j for j, m in enumerate(train.models) if m != held_out]
    hj = train.models.index(held_out)
    known = OutcomeTable(
        train.queries,
        train.tasks,
        [train.models[j] for j in keep],
        train.quality[:, keep],
        train.cost[:, keep],
    )
    descs = descs if descs is not None else {d.name: d for d in descriptors()}
    variants = (
        variants
        if variants is not None
        else {
            "descriptor (description, strengths, price, context, MMLU)": descs[HELD_OUT],
            "same descriptor, description and strengths of mistral-7b": descs[HELD_OUT].model_copy(
                update={
                    "description": descs["mistralai/mistral-7b-chat"].description,
                    "strengths": descs["mistralai/mistral-7b-chat"].strengths,
                }
            ),
            "price only": ExpertDescriptor(
                name=HELD_OUT,
                kind=TargetKind.EXPERT,
                price_in_per_m=descs[HELD_OUT].price_in_per_m,
                price_out_per_m=descs[HELD_OUT].price_out_per_m,
            ),
            "bare name": TargetDescriptor(name=HELD_OUT, kind=TargetKind.EXPERT),
            "descriptor, without exploration (explore=0)": descs[HELD_OUT],
        }
    )
    names = list(test.models)
    streams = [np.random.default_rng(3 + k).permutation(len(train)) for k in range(STREAMS)]
    out: dict[str, Any] = {}
    print(
        f"\nunseen model {held_out} (default knob; share of test decisions / of those where "
        f"it is truly the best choice; after n outcomes: mean over {STREAMS} streams):"
    )
    for label, desc in variants.items():
        router = GraphRouter(
            featurizer=fz,
            descriptors=[d for n, d in descs.items() if n != held_out],
            config=RoutingConfig(explore=0.0) if "without" in label else RoutingConfig(),
        )
        router._fitted_featurizer = True
        router.fit(known, xtr)
        router.add_model(desc)
        curve = {"0": _unseen_shares(router, test, xte, names, held_out)}
        runs: dict[int, list[dict[str, float]]] = {n: [] for n in checkpoints}
        for stream in streams:
            learner = copy.deepcopy(router, memo={id(router.featurizer): router.featurizer})
            seen = 0
            for n_out in checkpoints:
                while seen < n_out:
                    i = int(stream[seen])
                    learner.learn(
                        Outcome(
                            query=train.queries[i],
                            model=held_out,
                            quality=float(train.quality[i, hj]),
                            cost_usd=float(train.cost[i, hj]),
                        ),
                        xtr[i],
                    )
                    seen += 1
                runs[n_out].append(_unseen_shares(learner, test, xte, names, held_out))
        for n_out, rows in runs.items():
            curve[str(n_out)] = {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}
            curve[str(n_out)]["share_where_best_per_stream"] = [  # type: ignore[assignment]
                r["share_where_best"] for r in rows
            ]
            curve[str(n_out)]["decisions_score_per_stream"] = [  # type: ignore[assignment]
                r["decisions_score"] for r in rows
            ]
        out[label] = curve
        print(
            f"  {label:<58} "
            + "  ".join(
                f"{k:>3}: {v['share_of_decisions']:.0%}/{v['share_where_best']:.0%} "
                f"(q̂ {v['predicted_quality_mean']:.2f}; chosen q {v['decisions_true_quality']:.3f} "
                f"${v['decisions_true_cost'] * 1e3:.3f}/1k)"
                for k, v in curve.items()
            )
        )
    return out


def online(
    train: OutcomeTable,
    test: OutcomeTable,
    fz: QueryFeaturizer,
    xtr: np.ndarray,
    xte: np.ndarray,
    *,
    descs: list[ExpertDescriptor] | None = None,
) -> dict[str, Any]:
    """Cold start: outcomes of the train split stream in; test AIQ at checkpoints. The
    bandit's models carry ``descs`` (RouterBench's descriptors unless told)."""
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    weights = knob_grid(c)
    zero = aiq(single, lo, hi)
    checkpoints = [0, 100, 300, 1000, 3000, 10000]
    order = np.random.default_rng(1).permutation(len(train))
    cands = [TargetDescriptor(name=m, kind=TargetKind.EXPERT) for m in train.models]

    def measure(router: GraphRouter) -> float:
        pq, pc = router.predict(test.queries, test.models, xte)
        return aiq(sweep(pq, pc, q, c, weights), lo, hi)

    out: dict[str, Any] = {"zero_router_test_aiq": zero}
    # Full information: every model's outcome on each streamed query.
    router = GraphRouter(featurizer=fz)
    router._fitted_featurizer = True
    seen, points = 0, []
    for i in order:
        for j, m in enumerate(train.models):
            if seen in checkpoints:
                points.append((seen, measure(router)))
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
    points.append((seen, measure(router)))
    out["full_information"] = points
    # The same on two more orders, to 10,000 outcomes: the early points of one stream are noisy.
    runs = [dict(points)]
    for k in (2, 3):
        order_k = np.random.default_rng(k).permutation(len(train))
        router = GraphRouter(featurizer=fz)
        router._fitted_featurizer = True
        seen, pts_k = 0, {}
        for i in order_k:
            if seen > 10000:
                break
            for j, m in enumerate(train.models):
                if seen in checkpoints:
                    pts_k[seen] = measure(router)
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
        runs.append(pts_k)
    out["full_information, mean of 3 orders"] = [
        (n, float(np.mean([r[n] for r in runs]))) for n in checkpoints if all(n in r for r in runs)
    ]
    # Bandit: the router chooses; only the chosen model's outcome is learned.
    # The bandit's models carry their descriptors (an agent's experts have prices and cards).
    for label, config in (
        ("bandit without exploration", RoutingConfig(explore=0.0)),
        ("bandit (default exploration)", RoutingConfig()),
    ):
        router = GraphRouter(
            featurizer=fz,
            config=config,
            descriptors=descriptors() if descs is None else descs,
        )
        router._fitted_featurizer = True
        pts = []
        for step, i in enumerate(order):
            if step in checkpoints:
                pts.append((step, measure(router)))
            quality, cost = router.predict([train.queries[i]], train.models, xtr[i : i + 1])
            bonus = router.exploration_bonus(quality)
            d = router.decide(
                quality[0], cost[0], train.models, bonus=None if bonus is None else bonus[0]
            )
            j = train.models.index(d.target) if d.target else 0
            router.learn(
                Outcome(
                    query=train.queries[i],
                    model=train.models[j],
                    quality=float(train.quality[i, j]),
                    cost_usd=float(train.cost[i, j]),
                    task=train.tasks[i],
                ),
                xtr[i],
            )
        pts.append((len(order), measure(router)))
        out[label] = pts
    del cands
    print(f"\ncold-start online learning (test AIQ; zero router {zero:.4f}; bandit in queries):")
    for label in (
        "full_information",
        "full_information, mean of 3 orders",
        "bandit without exploration",
        "bandit (default exploration)",
    ):
        print(f"  {label:<22}" + "  ".join(f"{n}: {a:.3f}" for n, a in out[label]))
    return out


def latency(
    train: OutcomeTable, fz: QueryFeaturizer, xtr: np.ndarray, test: OutcomeTable, xte: np.ndarray
) -> dict[str, float]:
    router = make_router("graph", featurizer=fz, descriptors=descriptors())
    router._fitted_featurizer = True
    router.fit(train, xtr)
    names = list(test.models)
    times = []
    for i in range(300):
        t = time.process_time()
        qq, cc = router.predict([test.queries[i]], names, xte[i : i + 1])
        bonus = router.exploration_bonus(qq)  # as ``choose`` decides: exploring is the default
        router.decide(qq[0], cc[0], names, bonus=None if bonus is None else bonus[0])
        times.append(time.process_time() - t)
    p50 = statistics.median(times) * 1e3
    print(f"\ndecision p50 (11 models, CPU time, query vector given): {p50:.3f} ms")
    return {"decision_ms_p50_11_models_cpu": p50}


def run(table: OutcomeTable, embedder: Any, cache: Path) -> dict[str, Any]:
    tr, te = split(table)
    train, test = _subset(table, tr), _subset(table, te)
    fz = QueryFeaturizer(embedder).fit(train.queries)
    xtr = embed_cached(fz, train.queries, cache)
    xte = embed_cached(fz, test.queries, cache)
    print(
        f"held-out split: {len(train)} train / {len(test)} test prompts, {len(table.models)} models"
    )
    return {
        "split": {"train": len(train), "test": len(test), "test_share": TEST_SHARE, "seed": 0},
        "test": aiq_and_cost(train, test, fz, xtr, xte),
        "unseen_model": unseen_model(train, test, fz, xtr, xte),
        "online": online(train, test, fz, xtr, xte),
        "latency": latency(train, fz, xtr, test, xte),
    }


DEV_SEEDS = (1, 2, 3)


def dev(
    table: OutcomeTable,
    embedder: Any,
    cache: Path,
    *,
    online_too: bool = False,
    probes_only: bool = False,
) -> dict:
    """Design runs inside the train split only: the train split is itself split by task
    (seeds 1-3, the same 60/40 rule) and the held-out measures are taken on its inner test
    part. The test split is never read here, so choosing designs and knobs on these numbers
    leaves it untouched. ``probes_only``: the design probes of ``_routing_probes`` instead."""
    tr, _ = split(table)
    outer = _subset(table, tr)
    inner = []
    for seed in DEV_SEEDS:
        a, b = split(outer, seed)
        inner.append((seed, (_subset(outer, a), _subset(outer, b))))
    if probes_only:
        from _routing_probes import probes

        return probes(outer, embedder, cache, inner)
    out: dict[str, Any] = {}
    for seed, (train, test) in inner:
        fz = QueryFeaturizer(embedder).fit(train.queries)
        xtr = embed_cached(fz, train.queries, cache)
        xte = embed_cached(fz, test.queries, cache)
        print(f"\n=== dev seed {seed}: {len(train)} inner train / {len(test)} inner test ===")
        run_out: dict[str, Any] = {
            "test": aiq_and_cost(train, test, fz, xtr, xte),
            "unseen_model": unseen_model(train, test, fz, xtr, xte),
        }
        if online_too:
            run_out["online"] = online(train, test, fz, xtr, xte)
        out[str(seed)] = run_out
    return out
