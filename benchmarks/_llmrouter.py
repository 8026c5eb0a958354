"""LLMRouter's DCRouter outcome set (issue 17's second public set; data/llmrouter/): fitted on
its train file (5,608 prompts), measured once on its test file (500 prompts), 9 models.

* AIQ of our routers (every kind, the default one included) against the reference routers in
  the same run: the zero router, the task classifier on DCRouter's clusters, matrix
  factorisation (``evaluate``'s peers), tf-idf kNN and tf-idf logistic regression
  (``_tfidf_peers``), and the oracle; on the whole test file and on its 381 prompts that are not
  also in train; paired bootstrap intervals for our routers minus each reference. The cascade
  does not apply: the set has no recorded answers for its verifier to compare.
* The unseen model: gemma-2-9b-it (the cheapest, fourth best on train) held out of training,
  added with LLMRouter's descriptor: its share of test decisions at the default knob from the
  descriptor alone and after 10 / 50 / 100 / 300 of its outcomes (mean over 5 orders of them).
* Cold-start online learning: test AIQ as train outcomes stream in (full information, also
  averaged over 3 orders to 10,000 outcomes, and bandit).

The only knobs chosen are the tf-idf references' (neighbours, L2), by 5-fold CV inside train.
Writes benchmarks/results/routing_llmrouter.json, llmrouter_unseen.png, llmrouter_online.png.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from _heldout import _choices, _unseen_shares, online, unseen_model
from _tfidf_peers import tfidf_knn_quality, tfidf_logreg_quality

from agentroute.eval import aiq, evaluate, knob_grid, sweep, zero_router_points
from agentroute.eval._evaluate import _curve, _folds
from agentroute.eval._peers import task_classifier_quality
from agentroute.routing import (
    DEFAULT_ROUTER,
    BlendRouter,
    ExpertDescriptor,
    GraphRouter,
    OutcomeTable,
    QueryFeaturizer,
    load_outcome_table,
    make_router,
)
from agentroute.routing._features import embed_cached
from agentroute.types import TargetDescriptor, TargetKind

HERE = Path(__file__).resolve().parent
HELD_OUT = "gemma-2-9b-it"
ROUTERS = ("prior", "knn", "graph", "blend")
REFERENCES = ("task classifier", "tf-idf kNN", "tf-idf logreg")
KNN_K = (5, 10, 20, 50, 100, 200)
LOGREG_L2 = (1e-4, 1e-3, 1e-2)
BOOTSTRAP = 1000
UNSEEN_CHECKPOINTS = (10, 50, 100, 300)


def data_dir() -> Path:
    return HERE.parent / "data" / "llmrouter"


def load(data: Path) -> tuple[OutcomeTable, OutcomeTable, dict[str, ExpertDescriptor]]:
    train = load_outcome_table(data / "train.jsonl.gz")
    test = load_outcome_table(data / "test.jsonl.gz")
    about = json.loads((data / "models.json").read_text())
    descs = {m["name"]: ExpertDescriptor(kind=TargetKind.EXPERT, **m) for m in about["models"]}
    return train, test, descs


def _aiq_of(pq: np.ndarray, pc: np.ndarray, q: np.ndarray, c: np.ndarray) -> float:
    single = zero_router_points(q, c)
    return aiq(
        sweep(pq, pc, q, c, knob_grid(c)), float(single[:, 0].min()), float(single[:, 0].max())
    )


def choose_peer_knobs(train: OutcomeTable, folds: int = 5) -> dict[str, Any]:
    """The tf-idf references' knobs by ``folds``-fold CV AIQ inside train (test never read)."""
    fold = _folds(len(train), folds, 0)
    scores: dict[str, dict[str, float]] = {"knn_k": {}, "logreg_l2": {}}
    preds_k = {k: np.zeros_like(train.quality) for k in KNN_K}
    preds_l = {a: np.zeros_like(train.quality) for a in LOGREG_L2}
    cost = np.zeros_like(train.cost)
    for f in range(folds):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        a, b = train.subset(tr), train.subset(te)
        cost[te] = a.cost.mean(axis=0)
        for k in KNN_K:
            preds_k[k][te] = tfidf_knn_quality(a.queries, a.quality, b.queries, k=k)
        for l2 in LOGREG_L2:
            preds_l[l2][te] = tfidf_logreg_quality(a.queries, a.quality, b.queries, l2=l2)
    q, c = train.quality, train.cost
    for k, p in preds_k.items():
        scores["knn_k"][str(k)] = _aiq_of(p, cost, q, c)
    for l2, p in preds_l.items():
        scores["logreg_l2"][str(l2)] = _aiq_of(p, cost, q, c)
    best_k = int(max(scores["knn_k"], key=lambda k: scores["knn_k"][k]))
    best_l2 = float(max(scores["logreg_l2"], key=lambda a: scores["logreg_l2"][a]))
    print(
        "tf-idf references, 5-fold CV AIQ inside train: kNN "
        + ", ".join(f"k={k} {v:.4f}" for k, v in scores["knn_k"].items())
        + "; logreg "
        + ", ".join(f"l2={a} {v:.4f}" for a, v in scores["logreg_l2"].items())
        + f" -> k={best_k}, l2={best_l2}"
    )
    return {"cv_aiq": scores, "knn_k": best_k, "logreg_l2": best_l2}


def predictions(
    train: OutcomeTable,
    test: OutcomeTable,
    fz: QueryFeaturizer,
    xtr: np.ndarray,
    xte: np.ndarray,
    knobs: dict[str, Any],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every router's and reference's predicted (quality, cost) on the test queries."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in ROUTERS:
        r = make_router(name, featurizer=fz)
        r._fitted_featurizer = True
        r.fit(train, xtr)
        out[name] = r.predict(test.queries, test.models, xte)
        if isinstance(r, BlendRouter):
            print(f"blend: words' share {r.word_share} (3-fold CV AIQ inside train {r.word_cv})")
    mean_cost = np.tile(train.cost.mean(axis=0), (len(test), 1))
    tq = task_classifier_quality(xtr, train.tasks, train.quality, xte)
    out["task classifier"] = (tq, mean_cost)
    kq = tfidf_knn_quality(train.queries, train.quality, test.queries, k=knobs["knn_k"])
    out["tf-idf kNN"] = (kq, mean_cost)
    lq = tfidf_logreg_quality(train.queries, train.quality, test.queries, l2=knobs["logreg_l2"])
    out["tf-idf logreg"] = (lq, mean_cost)
    return out


def aiq_table(
    train: OutcomeTable,
    test: OutcomeTable,
    fz: QueryFeaturizer,
    xtr: np.ndarray,
    xte: np.ndarray,
    preds: dict[str, tuple[np.ndarray, np.ndarray]],
    label: str,
) -> dict[str, Any]:
    """``evaluate(train, test)`` with the tf-idf references added to its report."""
    report = evaluate(
        train, test, routers=ROUTERS, vectors=xtr, test_vectors=xte, embedder=fz.embedder
    )
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    best = int(np.argmax(single[:, 1]))
    weights = knob_grid(c)
    zero, oracle = report.results["zero router"].aiq, report.results["oracle"].aiq
    for name in ("tf-idf kNN", "tf-idf logreg"):
        pq, pc = preds[name]
        curve = _curve(
            name,
            sweep(pq, pc, q, c, weights),
            lo,
            hi,
            float(single[best, 1]),
            float(single[best, 0]),
        )
        curve.oracle_gap_closed = (curve.aiq - zero) / (oracle - zero)
        report.results[name] = curve
    # The predictions used for the bootstrap are the ones evaluate measured.
    for name in ROUTERS:
        mine = aiq(sweep(*preds[name], q, c, weights), lo, hi)
        if abs(mine - report.results[name].aiq) > 1e-9:
            raise RuntimeError(f"{name}: refit AIQ {mine} != evaluate's {report.results[name].aiq}")
    print(f"\n{label} ({len(test)} prompts; fitted on train's {len(train)}):\n")
    print(report.table())
    return {
        k: {kk: vv for kk, vv in v.model_dump().items() if kk not in ("points",)}
        for k, v in report.results.items()
    }


def paired_bootstrap(
    preds: dict[str, tuple[np.ndarray, np.ndarray]], test: OutcomeTable, seed: int = 0
) -> dict[str, dict[str, float]]:
    """AIQ of each of our routers minus each reference, over resamples of the test queries
    (the same resample for both): the difference and its 95% interval."""
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    weights = knob_grid(c)
    chosen = {k: _choices(pq, pc, q, c, weights) for k, (pq, pc) in preds.items()}
    rng = np.random.default_rng(seed)
    n = len(test)
    idx = [rng.integers(0, n, n) for _ in range(BOOTSTRAP)]

    def aiqs(name: str) -> np.ndarray:
        cq, cc = chosen[name]
        return np.array(
            [
                aiq(np.stack([cc[:, i].mean(axis=1), cq[:, i].mean(axis=1)], axis=1), lo, hi)
                for i in idx
            ]
        )

    boot = {k: aiqs(k) for k in (*ROUTERS, *REFERENCES)}
    out: dict[str, dict[str, float]] = {}
    print(f"\nAIQ differences, paired bootstrap ({BOOTSTRAP} resamples of the test prompts):")
    for ours in ("knn", "graph", "blend"):
        for ref in REFERENCES:
            d = boot[ours] - boot[ref]
            full = _aiq_of(*preds[ours], q, c) - _aiq_of(*preds[ref], q, c)
            lo_ci, hi_ci = (float(x) for x in np.quantile(d, [0.025, 0.975]))
            out[f"{ours} - {ref}"] = {"diff": full, "ci95_lo": lo_ci, "ci95_hi": hi_ci}
            print(f"  {ours:<6} - {ref:<16} {full:+.4f} (95% CI {lo_ci:+.4f} to {hi_ci:+.4f})")
    return out


def unseen(
    train: OutcomeTable,
    test: OutcomeTable,
    fz: QueryFeaturizer,
    xtr: np.ndarray,
    xte: np.ndarray,
    descs: dict[str, ExpertDescriptor],
) -> dict[str, Any]:
    d = descs[HELD_OUT]
    variants: dict[str, TargetDescriptor] = {
        "descriptor (LLMRouter's description and prices)": d,
        "same descriptor, description of codegemma-7b": d.model_copy(
            update={"description": descs["codegemma-7b"].description}
        ),
        "price only": ExpertDescriptor(
            name=HELD_OUT,
            kind=TargetKind.EXPERT,
            price_in_per_m=d.price_in_per_m,
            price_out_per_m=d.price_out_per_m,
        ),
        "bare name": TargetDescriptor(name=HELD_OUT, kind=TargetKind.EXPERT),
        "descriptor, without exploration (explore=0)": d,
    }
    out = unseen_model(
        train,
        test,
        fz,
        xtr,
        xte,
        held_out=HELD_OUT,
        descs=descs,
        variants=variants,
        checkpoints=UNSEEN_CHECKPOINTS,
    )
    # The yardstick: the same router fitted with all of the model's train outcomes.
    fitted = GraphRouter(featurizer=fz, descriptors=list(descs.values()))
    fitted._fitted_featurizer = True
    fitted.fit(train, xtr)
    ref = _unseen_shares(fitted, test, xte, list(test.models), HELD_OUT)
    print(
        f"  {'fitted with all its train outcomes (' + str(len(train)) + ')':<58} "
        f"{ref['share_of_decisions']:.0%}/{ref['share_where_best']:.0%} "
        f"(q̂ {ref['predicted_quality_mean']:.2f}; true {ref['true_quality_mean']:.2f}; "
        f"truly best on {ref['queries_where_best']:.0%} of test prompts)"
    )
    return {"variants": out, "fitted_with_all_outcomes": ref}


def plot(out: dict[str, Any], results: Path, tag: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for label, curve in out["unseen_model"]["variants"].items():
        xs = [max(int(k), 1) for k in curve]
        axes[0].plot(xs, [v["share_where_best"] for v in curve.values()], marker="o", label=label)
        axes[1].plot(xs, [v["share_of_decisions"] for v in curve.values()], marker="o", label=label)
    for ax, what in zip(
        axes, ("where it is truly the best choice", "of all decisions"), strict=True
    ):
        ax.set_xscale("log")
        ax.set_xlabel("outcomes of the new model learned (0 plotted at 1)")
        ax.set_ylabel(f"share of test decisions {what}")
        ax.set_ylim(-0.02, 1.02)
    ref = out["unseen_model"]["fitted_with_all_outcomes"]
    for ax, key in zip(axes, ("share_where_best", "share_of_decisions"), strict=True):
        ax.axhline(ref[key], ls="--", color="gray", label="fitted with all its train outcomes")
    axes[0].legend(fontsize=7)
    fig.suptitle(f"LLMRouter test: {HELD_OUT} held out of training, added with a descriptor")
    fig.tight_layout()
    fig.savefig(results / f"llmrouter_unseen{tag}.png", dpi=120)
    plt.close(fig)
    on = out["online"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label in (
        "full_information",
        "full_information, mean of 3 orders",
        "bandit without exploration",
        "bandit (default exploration)",
    ):
        pts = np.array(on[label], dtype=float)
        ax.plot(np.maximum(pts[:, 0], 1), pts[:, 1], marker="o", label=f"{DEFAULT_ROUTER}: {label}")
    tab = out["test"]["all"]
    for name, style in (("zero router", "--"), ("tf-idf kNN", ":"), ("task classifier", "-.")):
        what = "on the test file" if name == "zero router" else "fitted on all of train"
        ax.axhline(tab[name]["aiq"], ls=style, color="gray", label=f"{name}, {what}")
    ax.axhline(
        tab[DEFAULT_ROUTER]["aiq"],
        ls="-",
        color="black",
        lw=0.8,
        label=f"{DEFAULT_ROUTER}, fitted on all of train",
    )
    ax.set_xscale("log")
    ax.set_xlabel("outcomes learned (0 plotted at 1)")
    ax.set_ylabel("test AIQ")
    ax.set_title("LLMRouter test: cold-start online learning")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(results / f"llmrouter_online{tag}.png", dpi=120)
    plt.close(fig)


def run(
    embedder: Any, cache: Path, results: Path, data: Path | None = None, tag: str = ""
) -> dict[str, Any]:
    """Everything above, in one run; ``tag`` suffixes the PNGs' names."""
    t0 = time.process_time()
    train, test, descs = load(data or data_dir())
    seen = set(train.queries)
    novel = np.array([i for i, qq in enumerate(test.queries) if qq not in seen])
    print(
        f"LLMRouter: {len(train)} train / {len(test)} test prompts ({len(novel)} not in train), "
        f"{len(train.models)} models; default router kind {DEFAULT_ROUTER!r}; the cascade does "
        "not apply (no recorded answers)"
    )
    knobs = choose_peer_knobs(train)
    fz = QueryFeaturizer(embedder).fit(train.queries)
    xtr = embed_cached(fz, train.queries, cache)
    xte = embed_cached(fz, test.queries, cache)
    preds = predictions(train, test, fz, xtr, xte, knobs)
    sub = test.subset(novel)
    sub_preds = {k: (pq[novel], pc[novel]) for k, (pq, pc) in preds.items()}
    out: dict[str, Any] = {
        "data": {"train": len(train), "test": len(test), "test_not_in_train": len(novel)},
        "embedder": fz.embedder.id,
        "reference_knobs": knobs,
        "test": {
            "all": aiq_table(train, test, fz, xtr, xte, preds, "test file"),
            "not_in_train": aiq_table(
                train, sub, fz, xtr, xte[novel], sub_preds, "test prompts not in train"
            ),
        },
        "paired_bootstrap": paired_bootstrap(preds, test),
        "unseen_model": unseen(train, test, fz, xtr, xte, descs),
        "online": online(train, test, fz, xtr, xte, descs=list(descs.values())),
    }
    plot(out, results, tag)
    out["cpu_seconds"] = time.process_time() - t0
    return out


def dev(embedder: Any, cache: Path, data: Path | None = None) -> dict[str, Any]:
    """Design runs inside train only (5-fold CV; the test file is not read): our routers fitted
    with DCRouter's cluster labels as tasks and without them (pseudo-tasks instead)."""
    train, _, _ = load(data or data_dir())
    fz = QueryFeaturizer(embedder).fit(train.queries)
    xtr = embed_cached(fz, train.queries, cache)
    unlabelled = OutcomeTable(
        train.queries, [""] * len(train), list(train.models), train.quality, train.cost
    )
    out: dict[str, Any] = {}
    for label, table in (("cluster labels", train), ("no labels", unlabelled)):
        report = evaluate(table, routers=ROUTERS, folds=5, vectors=xtr, embedder=fz.embedder)
        print(f"\n5-fold CV inside train, {label}:\n")
        print(report.table())
        out[label] = {k: v.aiq for k, v in report.results.items()}
    return out


DEV_SEEDS = (1, 2)


def dev_unseen(
    embedder: Any, cache: Path, data: Path | None = None, models: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Design runs for the unseen-model measures inside train only: train is split 60/40
    (seeds 1-2) and each model in turn (``models``; all when empty) is held out of the inner
    train, added with its descriptor and measured on the inner test, from the descriptor
    alone and after 50 of its outcomes. The test file is not read."""
    train, _, descs = load(data or data_dir())
    fz = QueryFeaturizer(embedder).fit(train.queries)
    xtr = embed_cached(fz, train.queries, cache)
    out: dict[str, Any] = {}
    for seed in DEV_SEEDS:
        order = np.random.default_rng(seed).permutation(len(train))
        cut = round(len(train) * 0.4)
        te, tr = np.sort(order[:cut]), np.sort(order[cut:])
        a, b = train.subset(tr), train.subset(te)
        for m in models or tuple(train.models):
            print(f"\n=== dev seed {seed}, {m} held out ===")
            out[f"{seed}:{m}"] = unseen_model(
                a,
                b,
                fz,
                xtr[tr],
                xtr[te],
                held_out=m,
                descs=descs,
                variants={"descriptor": descs[m]},
                checkpoints=(50,),
            )
            at50 = out[f"{seed}:{m}"]["descriptor"]["50"]
            print(
                "  per order of its 50 outcomes, share where truly best / decisions' score: "
                + ", ".join(
                    f"{s:.0%} / {v:.4f}"
                    for s, v in zip(
                        at50["share_where_best_per_stream"],
                        at50["decisions_score_per_stream"],
                        strict=True,
                    )
                )
            )
    return out
