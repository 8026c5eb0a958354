"""Cost-aware expert-model routing on RouterBench (issue 5). One command:

    python benchmarks/bench_routing.py            # MiniLM embeddings (cached after the first run)
    python benchmarks/bench_routing.py --hashing  # hashing embeddings (no model, fast)
    python benchmarks/bench_routing.py --agent    # also route through the full agent (replay experts)
    python benchmarks/bench_routing.py --heldout  # train/test split, unseen model, online (issue 17)
    python benchmarks/bench_routing.py --llmrouter  # the same on LLMRouter's set (data/llmrouter)
    python benchmarks/bench_routing.py --routellm   # APGR on RouteLLM's GSM8K / MMLU, held-out half

5-fold cross-validation over the 2,205 complete RouterBench prompts (arc-challenge, mbpp,
winogrande; 11 models). For each router, the quality–cost curve over the cost knob, AIQ (cost
normalised to [cheapest, dearest single model]), the cost to match the best single model, and
the share of the oracle gap closed; in the same run, every single model, random, the zero
router, the oracle, a task classifier and RouteLLM-style matrix factorisation. Then decision
latency (11 real models; 1,000 synthetic models) and a streaming learning curve.
Writes benchmarks/results/routing.json, routing_curves.png, routing_learning.png.
"""

from __future__ import annotations

import os

# One BLAS thread: routing multiplies one query at a time, and on a shared 2-core machine
# OpenBLAS's thread pool costs far more than the products themselves.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from _ceiling import cascade_ceiling

from agentroute.embeddings import NgramHashingEmbedder
from agentroute.eval import (
    aiq,
    cross_validated_predictions,
    evaluate,
    knob_grid,
    sweep,
    zero_router_points,
)
from agentroute.eval._evaluate import _curve
from agentroute.routing import (
    GraphRouter,
    Outcome,
    OutcomeTable,
    QueryFeaturizer,
    RoutingConfig,
    load_outcome_table,
    make_router,
)
from agentroute.routing._cascade import (
    CascadeRouter,
    agreement,
    cascade_sweep,
    normalise_answer,
    weighted_vote,
)
from agentroute.routing._features import embed_cached
from agentroute.types import TargetDescriptor, TargetKind

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CACHE = RESULTS / ".cache"
ROUTERS = ("prior", "knn", "graph", "blend")


def data_dir() -> Path:
    env = os.environ.get("AGENTROUTE_ROUTERBENCH")
    return Path(env) if env else HERE.parent / "data" / "routerbench"


def embedder(hashing: bool):  # type: ignore[no-untyped-def]
    if hashing:
        return NgramHashingEmbedder(512)
    from agentroute.embeddings import default_embedder

    return default_embedder()


def cross_validation(table: OutcomeTable, featurizer: QueryFeaturizer, vectors: np.ndarray) -> dict:
    t0 = time.perf_counter()
    report = evaluate(
        table, routers=ROUTERS, folds=5, seed=0, vectors=vectors, embedder=featurizer.embedder
    )
    # The cascade: graph predictions pick the stages; a vote of the cheap answers decides.
    q, c = table.quality, table.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    best = int(np.argmax(single[:, 1]))
    answers = np.array(
        [
            [normalise_answer(table.responses.get((i, j), "")) for j in range(len(table.models))]
            for i in range(len(table))
        ]
    )
    fz = QueryFeaturizer(featurizer.embedder).fit(table.queries)
    pq, pc = cross_validated_predictions(
        table, lambda: make_router("graph", featurizer=fz), vectors
    )
    weights = knob_grid(c)
    zero, oracle = report.results["zero router"].aiq, report.results["oracle"].aiq
    graph = make_router("graph", featurizer=fz)
    for name, verifier in (("cascade", weighted_vote), ("cascade (plain agreement)", agreement)):
        cascade = CascadeRouter(graph, verifier=verifier, width=2, cost_fraction=0.25)
        pts = cascade_sweep(cascade, pq, pc, q, c, answers, weights)
        curve = _curve(name, pts, lo, hi, float(single[best, 1]), float(single[best, 0]))
        curve.oracle_gap_closed = (curve.aiq - zero) / (oracle - zero)
        report.results[name] = curve
    print(f"\ncross-validation ({time.perf_counter() - t0:.1f} s):\n")
    print(report.table())
    ceiling = cascade_ceiling(table, answers)
    share = ceiling["cost_share_to_match_best"]
    print(
        f"\nin-sample ceiling of cheap-model cascades (see benchmarks/_ceiling.py): AIQ "
        f"{ceiling['aiq']:.4f}, max quality {ceiling['max_quality']:.4f} (best single "
        f"{ceiling['best_single_quality']:.4f}), cost to match the best single model: "
        + ("never" if share is None else f"{share:.0%} of its cost")
    )
    return {**report.model_dump(), "cascade_ceiling": ceiling}


def latency(table: OutcomeTable, featurizer: QueryFeaturizer, vectors: np.ndarray) -> dict:
    """Median decision time: 11 real models; 1,000 synthetic models over the same queries."""
    out: dict = {}
    cands = [TargetDescriptor(name=m, kind=TargetKind.EXPERT) for m in table.models]
    router = make_router("graph", featurizer=featurizer)
    router._fitted_featurizer = True
    router.fit(table, vectors)

    def p50(fn, n: int = 300) -> float:  # type: ignore[no-untyped-def]
        times = []
        for i in range(n):
            t = time.perf_counter()
            fn(i)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1e3

    names = table.models

    def decide(i: int, r=router, names=names) -> None:  # type: ignore[no-untyped-def]
        qq, cc = r.predict([table.queries[i]], names, vectors[i : i + 1])
        r.decide(qq[0], cc[0], names)

    out["decision_ms_p50_11_models"] = p50(decide)
    out["choose_with_embedding_ms_p50_11_models"] = p50(
        lambda i: router.choose(table.queries[i], cands), n=30
    )
    # 1,000 synthetic models: each a noisy copy of a real one at a scaled price.
    rng = np.random.default_rng(0)
    base = rng.integers(0, len(table.models), 1000)
    qual = np.clip(table.quality[:, base] + rng.normal(0, 0.3, (len(table), 1000)), 0, 1).round()
    cost = table.cost[:, base] * rng.uniform(0.5, 2.0, 1000)
    big = OutcomeTable(
        table.queries, table.tasks, [f"synthetic-{k}" for k in range(1000)], qual, cost
    )
    router_big = make_router("graph", featurizer=featurizer)
    router_big._fitted_featurizer = True
    router_big.fit(big, vectors)
    big_names = big.models

    def decide_big(i: int) -> None:
        qq, cc = router_big.predict([table.queries[i]], big_names, vectors[i : i + 1])
        router_big.decide(qq[0], cc[0], big_names)

    out["decision_ms_p50_1000_models_all_alternatives"] = p50(decide_big, n=100)
    router_big.config = RoutingConfig(max_alternatives=20)
    out["decision_ms_p50_1000_models_top20_alternatives"] = p50(decide_big, n=100)
    print("\nlatency (median):")
    for k, v in out.items():
        print(f"  {k:<45}{v:8.3f} ms")
    return out


def learning_curve(table: OutcomeTable, featurizer: QueryFeaturizer, vectors: np.ndarray) -> dict:
    """Stream outcomes into a GraphRouter one by one; AIQ on a fixed held-out 20% as it learns."""
    rng = np.random.default_rng(1)
    order = rng.permutation(len(table))
    test, stream = order[: len(table) // 5], order[len(table) // 5 :]
    q, c = table.quality[test], table.cost[test]
    single = zero_router_points(table.quality, table.cost)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    weights = knob_grid(table.cost)
    router = GraphRouter(featurizer=featurizer)
    router._fitted_featurizer = True
    checkpoints = [
        0,
        11,
        22,
        55,
        110,
        220,
        550,
        1100,
        2200,
        5500,
        11000,
        len(stream) * len(table.models),
    ]
    seen = 0
    points = []
    t0 = time.perf_counter()
    test_queries = [table.queries[i] for i in test]
    for i in stream:
        for j, m in enumerate(table.models):
            if seen in checkpoints:
                pq, pc = router.predict(test_queries, table.models, vectors[test])
                points.append((seen, aiq(sweep(pq, pc, q, c, weights), lo, hi)))
            router.learn(
                Outcome(
                    query=table.queries[i],
                    model=m,
                    quality=float(table.quality[i, j]),
                    cost_usd=float(table.cost[i, j]),
                    task=table.tasks[i],
                ),
                vectors[i],
            )
            seen += 1
    pq, pc = router.predict(test_queries, table.models, vectors[test])
    points.append((seen, aiq(sweep(pq, pc, q, c, weights), lo, hi)))
    zero = aiq(zero_router_points(q, c), lo, hi)
    per_learn_us = (time.perf_counter() - t0) / seen * 1e6
    print(
        "\nlearning online (outcomes seen -> held-out AIQ; zero router on the same test set "
        f"{zero:.4f}; {per_learn_us:.0f} µs per learn incl. evaluation):"
    )
    for n, a in points:
        print(f"  {n:>6} {a:.4f}")
    return {"points": points, "zero_router_test_aiq": zero}


def plot(report: dict, learning: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    res = report["results"]
    fig, ax = plt.subplots(figsize=(9, 6))
    for name in [
        *ROUTERS,
        "cascade",
        "task classifier",
        "matrix factorisation",
        "oracle",
        "zero router",
    ]:
        if name not in res:
            continue
        hull = np.array(res[name]["hull"])
        style = "--" if name in ("oracle", "zero router") else "-"
        ax.plot(
            hull[:, 0] * 1e3,
            hull[:, 1],
            style,
            marker=".",
            label=f"{name} (AIQ {res[name]['aiq']:.3f})",
        )
    singles = [(k[7:], v["points"][0]) for k, v in res.items() if k.startswith("single:")]
    for name, (x, y) in singles:
        ax.scatter([x * 1e3], [y], s=14, color="black")
        ax.annotate(name.split("/")[-1], (x * 1e3, y), fontsize=6)
    ax.set_xscale("log")
    ax.set_xlabel("average cost per query (milli-dollars, log)")
    ax.set_ylabel("average quality")
    ax.set_title("RouterBench, 5-fold CV: quality–cost hulls over the cost knob")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(RESULTS / "routing_curves.png", dpi=120)
    plt.close(fig)
    pts = np.array(learning["points"], dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(
        np.maximum(pts[:, 0], 1), pts[:, 1], marker="o", label="graph router, streamed outcomes"
    )
    ax.axhline(learning["zero_router_test_aiq"], ls="--", color="gray", label="zero router")
    ax.set_xscale("log")
    ax.set_xlabel("outcomes seen")
    ax.set_ylabel("held-out AIQ")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "routing_learning.png", dpi=120)
    plt.close(fig)


def through_agent(table: OutcomeTable, n: int = 100) -> dict:
    """The graph router and the cascade inside the full agent, with replay experts (one per
    model answering with its recorded response and cost): quality and cost of the answers the
    agent gave, against the same router deciding offline on the same queries, and the time
    per turn against the router's decision alone (the agent's overhead). Run with ``--agent``.
    """
    from agentroute import Agent
    from agentroute.models import ChatModelExpert, ReplayChatModel
    from agentroute.routing import CascadeExpert
    from agentroute.testing import OneStepPlanner
    from agentroute.types import TargetDescriptor as TD

    rng = np.random.default_rng(2)
    order = rng.permutation(len(table))
    test, train = order[:n], order[n:]
    files = sorted(data_dir().glob("*.csv"))
    names = table.models
    cands = [TD(name=m, kind=TargetKind.EXPERT) for m in names]
    out: dict = {"turns": n, "embedder": "hashing (router)"}
    # The default knob, then quality first (where a cascade earns its keep: it spends less than
    # calling the best model every time).
    runs = (
        ("graph", RoutingConfig()),
        ("graph, quality first", RoutingConfig(dollars_per_point=float("inf"))),
        ("cascade, quality first", RoutingConfig(dollars_per_point=float("inf"))),
    )
    for kind, config in runs:
        experts = [
            ChatModelExpert(
                ReplayChatModel.from_csv(files, model=m, mark_nearest=False),
                TD(name=m, kind=TargetKind.EXPERT, description=f"recorded answers of {m}"),
            )
            for m in names
        ]
        router = make_router(
            "graph", featurizer=QueryFeaturizer(NgramHashingEmbedder(512)), config=config
        )
        router.fit(table.subset(train))
        cascaded = kind.startswith("cascade")
        if cascaded:
            cascade = CascadeRouter(router, width=2, cost_fraction=0.25)
            agent = Agent(
                targets=[CascadeExpert(cascade, experts)],
                planner=OneStepPlanner(),
                checkpoint=False,
            )
        else:
            agent = Agent(
                targets=experts, model_router=router, planner=OneStepPlanner(), checkpoint=False
            )
        quality, cost, turn_s, decide_s, direct_q, direct_c = [], [], [], [], [], []
        try:
            for i in test:
                t = time.perf_counter()
                d = router.choose(table.queries[i], cands)
                decide_s.append(time.perf_counter() - t)
                j = names.index(d.target) if d.target is not None else None
                if j is not None:
                    direct_q.append(float(table.quality[i, j]))
                    direct_c.append(float(table.cost[i, j]))
                t = time.perf_counter()
                result = agent.run(table.queries[i])
                turn_s.append(time.perf_counter() - t)
                step = result.steps[0]
                model = step.data["cascade"]["model"] if cascaded else step.target
                if step.ok and model in names:
                    quality.append(float(table.quality[i, names.index(model)]))
                    cost.append(float(result.cost_usd))
        finally:
            agent.close()
        out[kind] = {
            "answered": len(quality),
            "avg_quality": float(np.mean(quality)) if quality else None,
            "avg_cost": float(np.mean(cost)) if cost else None,
            "router_offline_avg_quality": float(np.mean(direct_q)) if direct_q else None,
            "router_offline_avg_cost": float(np.mean(direct_c)) if direct_c else None,
            "turn_ms_p50": statistics.median(turn_s) * 1e3,
            "decision_ms_p50": statistics.median(decide_s) * 1e3,
        }
        r = out[kind]
        base = "base router" if cascaded else "router"
        print(
            f"  {kind:<22} through the agent: quality {r['avg_quality']:.3f}, "
            f"${r['avg_cost']:.6f}/turn ({r['answered']}/{n} answered); the {base} offline: "
            f"{r['router_offline_avg_quality']:.3f}, ${r['router_offline_avg_cost']:.6f}; "
            f"turn p50 {r['turn_ms_p50']:.1f} ms vs decision {r['decision_ms_p50']:.1f} ms"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--hashing", action="store_true", help="hashing embeddings instead of MiniLM")
    ap.add_argument("--agent", action="store_true", help="also run through the full agent")
    ap.add_argument(
        "--heldout",
        action="store_true",
        help="only the held-out test split measures (benchmarks/_heldout.py)",
    )
    ap.add_argument(
        "--dev",
        action="store_true",
        help="the held-out measures inside the train split only (design runs; seeds 1-3)",
    )
    ap.add_argument(
        "--probes",
        action="store_true",
        help="with --dev: the design probes for the AIQ and cost targets (_routing_probes.py); "
        "with --llmrouter --dev: each model held out in turn inside train",
    )
    ap.add_argument(
        "--cold-start",
        action="store_true",
        help="with --dev: cold-start design runs inside both train splits (_cold_start.py)",
    )
    ap.add_argument(
        "--bandit",
        action="store_true",
        help="with --dev: bandit design runs inside both train splits (_bandit.py): what "
        "exploring costs and buys",
    )
    ap.add_argument(
        "--llmrouter",
        action="store_true",
        help="LLMRouter's train/test files, unseen model, online (benchmarks/_llmrouter.py)",
    )
    ap.add_argument(
        "--gaps",
        action="store_true",
        help="with --dev: where the cascade loses AIQ per cost band and task, and what gpt-4 "
        "at <= 40%% of its cost would need (benchmarks/_routing_gaps.py)",
    )
    ap.add_argument(
        "--routellm",
        action="store_true",
        help="RouteLLM's GSM8K and MMLU (data/routellm): APGR by 5-fold CV on the held-out "
        "half of each set; with --dev, on the design half (benchmarks/_routellm.py)",
    )
    ap.add_argument(
        "--signals",
        action="store_true",
        help="per-prompt signals for 'needs the strong model' (benchmarks/_routing_signals.py): "
        "with --dev, RouterBench's train split; with --routellm --dev, RouteLLM's design "
        "halves; with --routellm, the design's best combination on the held-out halves, once",
    )
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.signals:
        import _routing_signals as sig

        if args.routellm:
            out = sig.run(embedder(args.hashing), CACHE) if args.dev else sig.heldout()
            name = f"routing_signals_routellm{'_dev' if args.dev else ''}.json"
        else:
            if not args.dev:
                sys.exit("--signals on RouterBench runs inside its train split only: add --dev")
            files = sorted(data_dir().glob("*.csv"))
            out = sig.run_routerbench(embedder(args.hashing), CACHE, files)
            name = "routing_signals_dev.json"
        (RESULTS / name).write_text(json.dumps(out, indent=2))
        print(f"\nwrote {RESULTS / name}")
        return
    if args.dev and args.cold_start:
        from _cold_start import dev as cold_start_dev

        rb = load_outcome_table(sorted(data_dir().glob("*.csv")))
        emb = embedder(args.hashing)
        out = {
            "routerbench": cold_start_dev("routerbench", rb, emb, CACHE),
            "llmrouter": cold_start_dev("llmrouter", None, emb, CACHE),
        }
        (RESULTS / "routing_cold_start_dev.json").write_text(json.dumps(out, indent=2))
        print(f"\nwrote {RESULTS / 'routing_cold_start_dev.json'}")
        return
    if args.dev and args.bandit:
        from _bandit import dev as bandit_dev

        rb = load_outcome_table(sorted(data_dir().glob("*.csv")))
        emb = embedder(args.hashing)
        out = {
            "routerbench": bandit_dev("routerbench", rb, emb, CACHE),
            "llmrouter": bandit_dev("llmrouter", None, emb, CACHE),
        }
        (RESULTS / "routing_bandit_dev.json").write_text(json.dumps(out, indent=2))
        print(f"\nwrote {RESULTS / 'routing_bandit_dev.json'}")
        return
    if args.llmrouter and args.dev and args.probes:
        from _llmrouter import dev_unseen

        out = dev_unseen(embedder(args.hashing), CACHE)
        (RESULTS / "routing_llmrouter_dev_unseen.json").write_text(json.dumps(out, indent=2))
        return
    if args.llmrouter and args.dev:
        from _llmrouter import dev as dev_llmrouter

        out = dev_llmrouter(embedder(args.hashing), CACHE)
        (RESULTS / "routing_llmrouter_dev.json").write_text(json.dumps(out, indent=2))
        return
    if args.routellm:
        from _routellm import run as run_routellm

        out = run_routellm(embedder(args.hashing), CACHE, dev=args.dev)
        name = "routing_routellm_dev.json" if args.dev else "routing_routellm.json"
        (RESULTS / name).write_text(json.dumps(out, indent=2))
        print(f"\nwrote {RESULTS / name}")
        return
    if args.llmrouter:
        from _llmrouter import run as run_llmrouter

        tag = "_hashing" if args.hashing else ""
        out = run_llmrouter(embedder(args.hashing), CACHE, RESULTS, tag=tag)
        name = f"routing_llmrouter{tag}.json"
        (RESULTS / name).write_text(json.dumps(out, indent=2))
        print(f"\nwrote {RESULTS / name}, llmrouter_unseen{tag}.png, llmrouter_online{tag}.png")
        return
    files = sorted(data_dir().glob("*.csv"))
    if not files:
        sys.exit(f"no RouterBench CSVs in {data_dir()} (set AGENTROUTE_ROUTERBENCH)")
    table = load_outcome_table(files, keep_responses=True)
    if args.dev and args.gaps:
        from _routing_gaps import gaps

        out = gaps(table, embedder(args.hashing), CACHE)
        (RESULTS / "routing_gaps_dev.json").write_text(json.dumps(out, indent=2))
        print(f"\nwrote {RESULTS / 'routing_gaps_dev.json'}")
        return
    if args.dev:
        from _heldout import dev

        held = dev(table, embedder(args.hashing), CACHE, probes_only=args.probes)
        name = "routing_dev_probes.json" if args.probes else "routing_dev.json"
        (RESULTS / name).write_text(json.dumps(held, indent=2))
        print(f"\nwrote {RESULTS / name}")
        return
    if args.heldout:
        from _heldout import run

        held = run(table, embedder(args.hashing), CACHE)
        name = "routing_heldout_hashing.json" if args.hashing else "routing_heldout.json"
        (RESULTS / name).write_text(json.dumps(held, indent=2))
        print(f"\nwrote {RESULTS / name}")
        return
    featurizer = QueryFeaturizer(embedder(args.hashing)).fit(table.queries)
    t0 = time.perf_counter()
    vectors = embed_cached(featurizer, table.queries, CACHE)
    print(
        f"{len(table)} prompts x {len(table.models)} models; embeddings "
        f"({featurizer.embedder.id}) in {time.perf_counter() - t0:.1f} s (cached in {CACHE})"
    )
    report = cross_validation(table, featurizer, vectors)
    lat = latency(table, featurizer, vectors)
    learning = learning_curve(table, featurizer, vectors)
    plot(report, learning)
    out = {
        "embedder": featurizer.embedder.id,
        "cost_knob": "dollars_per_point = 1 / (100 * weight); weights swept: "
        + str(len(knob_grid(table.cost))),
        "cross_validation": {k: v for k, v in report.items() if k != "results"}
        | {
            "results": {
                k: {kk: vv for kk, vv in r.items() if kk != "points"}
                for k, r in report["results"].items()
            }
        },
        "latency_ms": lat,
        "learning_online": learning,
        "default_config": RoutingConfig().model_dump(),
    }
    if args.agent:
        print("\nthrough the agent (replay experts, 100 held-out prompts):")
        out["through_agent"] = through_agent(table)
    (RESULTS / "routing.json").write_text(json.dumps(out, indent=2))
    print(f"\nwrote {RESULTS / 'routing.json'}, routing_curves.png, routing_learning.png")


if __name__ == "__main__":
    main()
