"""Design probes for issue 17's AIQ and cost targets, inside RouterBench's train split only.

Run by ``python benchmarks/bench_routing.py --dev --probes``. The test split is never read:
each probe fits on an inner part of the train split (seeds 1-3, the same 60/40 rule by task)
and measures on the rest, or states an in-sample bound on the whole train split.

* **query features** beyond the embedding (lengths, digits, options, negations, a blank, data
  structure words) in a per-task logistic model of each model's correctness, mixed by the
  graph router's task posterior: AIQ and Brier score against the graph router's own;
* **a learned verifier** for the cascade: a logistic model of "the kept cheap answer is right"
  on the weighted vote's evidence, the share agreeing and whether the answer is a choice
  letter, fitted on the inner train part, with 2-4 cheap stages;
* **bounds**: per task, the cheapest cascade of agreeing cheap models that reaches gpt-4's
  quality (within 0.01), and whether any weighted vote of gpt-4 with cheap models beats
  gpt-4 alone (in-sample on the train split, so optimistic).
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

import numpy as np

from agentroute.eval import aiq, cost_to_match, knob_grid, sweep, zero_router_points
from agentroute.routing import OutcomeTable, QueryFeaturizer, make_router
from agentroute.routing._cascade import CascadeRouter, cascade_sweep, normalise_answer
from agentroute.routing._features import embed_cached

__all__ = ["probes"]

_OPTION = re.compile(r"\\n([A-E])\) ?([^\\]*)")
_NEGATION = re.compile(r"\b(not|except|least|false)\b", re.I)
_STRUCTURE = re.compile(r"\b(list|string|array|tuple|dictionary)\b", re.I)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99, 1.01)
BEST = "gpt-4-1106-preview"


def query_features(text: str) -> list[float]:
    """What a prompt's surface says beyond its meaning: length, digits, answer format."""
    options = _OPTION.findall(text)
    body = text.split("\\nA)")[0]
    lengths = [len(o[1]) for o in options] or [0]
    return [
        math.log1p(len(text)),
        math.log1p(len(body)),
        sum(ch.isdigit() for ch in text) / max(len(text), 1),
        float(bool(re.search(r"\d", body))),
        float(len(options)),
        math.log1p(float(np.mean(lengths))),
        math.log1p(float(np.std(lengths))),
        float(bool(_NEGATION.search(body))),
        float("_" in body),
        float(bool(_STRUCTURE.search(body))),
    ]


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iters: int = 30) -> np.ndarray:
    """Ridge logistic regression by Newton's method (the first column is an unpenalised bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.r_[1e-6, np.ones(x.shape[1] - 1)] * l2
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        w -= np.linalg.solve(hess, grad)
    return w


def vote_features(answers: list[str], qualities: list[float]) -> tuple[int, np.ndarray]:
    """The weighted vote's kept answer and what a verifier reads about it."""
    norm = [normalise_answer(a) for a in answers]
    score: dict[str, float] = {}
    count: dict[str, int] = {}
    for a, p in zip(norm, qualities, strict=True):
        p = min(max(p, 0.5), 0.99)
        score[a] = score.get(a, 0.0) + math.log(p / (1 - p))
        count[a] = count.get(a, 0) + 1
    top = max(score, key=lambda a: score[a])
    rest = max([v for a, v in score.items() if a != top], default=0.0)
    agree = count[top] / len(norm)
    choice = float(len(top) == 1 and top.isalpha())
    feats = [1.0, score[top], rest, agree, float(agree == 1.0), choice, choice * agree]
    return norm.index(top), np.array([*feats, float(np.mean(qualities)), max(qualities)])


class LearnedVerifier:
    """P(the kept cheap answer is right), a logistic model of the vote's evidence."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = weights

    def __call__(self, query: str, answers: list[str], qualities: list[float]) -> tuple[int, float]:
        if not answers:
            return 0, 0.0
        keep, x = vote_features(answers, qualities)
        return keep, float(1.0 / (1.0 + np.exp(-x @ self.weights)))


def _answers(table: OutcomeTable) -> np.ndarray:
    return np.array(
        [
            [normalise_answer(table.responses.get((i, j), "")) for j in range(len(table.models))]
            for i in range(len(table))
        ]
    )


def _fit_verifier(
    cascade: CascadeRouter, pq: np.ndarray, pc: np.ndarray, q: np.ndarray, answers: np.ndarray
) -> LearnedVerifier:
    rows, labels, seen = [], [], set()
    for w in knob_grid(pc):
        target = np.argmax(pq - w * pc, axis=1)
        for i in range(len(pq)):
            stages = cascade.stages(pq[i], pc[i], int(target[i]))
            if not stages or (i, tuple(stages)) in seen:
                continue
            seen.add((i, tuple(stages)))
            keep, x = vote_features(
                [str(answers[i, s]) for s in stages], [float(pq[i, s]) for s in stages]
            )
            rows.append(x)
            labels.append(q[i, stages[keep]])
    return LearnedVerifier(fit_logistic(np.array(rows), np.array(labels), l2=1.0, iters=50))


def _one_split(
    train: OutcomeTable, test: OutcomeTable, fz: QueryFeaturizer, xtr: Any, xte: Any
) -> dict[str, float]:
    router = make_router("graph", featurizer=fz)
    router._fitted_featurizer = True
    router.fit(train, xtr)
    pq, pc = router.predict(test.queries, test.models, xte)
    post = router.task_posterior(xte)
    q, c = test.quality, test.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    best = int(np.argmax(single[:, 1]))
    weights = knob_grid(c)
    out = {"graph": aiq(sweep(pq, pc, q, c, weights), lo, hi)}
    out["graph_brier"] = float(np.mean((pq - q) ** 2))
    # Query features, per task, mixed by the task posterior.
    ftr = np.array([query_features(s) for s in train.queries])
    fte = np.array([query_features(s) for s in test.queries])
    mu, sd = ftr.mean(axis=0), ftr.std(axis=0) + 1e-9
    ftr = np.c_[np.ones(len(ftr)), (ftr - mu) / sd]
    fte = np.c_[np.ones(len(fte)), (fte - mu) / sd]
    tasks = np.array(train.tasks)
    pf = np.zeros_like(pq)
    for t, task in enumerate(router.task_names):
        rows = tasks == task
        for j in range(len(train.models)):
            w = fit_logistic(ftr[rows], train.quality[rows, j], l2=3.0)
            pf[:, j] += post[:, t] / (1.0 + np.exp(-fte @ w))
    out["features"] = aiq(sweep(pf, pc, q, c, weights), lo, hi)
    out["features_brier"] = float(np.mean((pf - q) ** 2))
    # Cascades: the weighted vote and a learned verifier, 2-4 cheap stages.
    tq, tc = router.predict(train.queries, train.models, xtr)
    ans_tr, ans_te = _answers(train), _answers(test)
    for width in (2, 3, 4):
        cascade = CascadeRouter(router, width=width, cost_fraction=0.25 if width < 4 else 0.5)
        for label in ("vote", "learned"):
            if label == "learned":
                cascade.verifier = _fit_verifier(cascade, tq, tc, train.quality, ans_tr)
            pts = cascade_sweep(cascade, pq, pc, q, c, ans_te, weights, THRESHOLDS)
            out[f"cascade {label} x{width}"] = aiq(pts, lo, hi)
            ctm = cost_to_match(pts, float(single[best, 1]) - 1e-9)
            share = math.inf if ctm is None else ctm / float(single[best, 0])
            out[f"cascade {label} x{width} gpt-4 share"] = share
    return out


def bounds(train: OutcomeTable) -> dict[str, Any]:
    """In-sample, on the whole train split: the cheapest agreeing cheap models reaching the
    best model's quality per task, and the best vote of the best model with cheap ones."""
    answers = _answers(train)
    tasks = np.array(train.tasks)
    g = train.models.index(BEST)
    out: dict[str, Any] = {}
    for task in sorted(set(train.tasks)):
        rows = np.flatnonzero(tasks == task)
        q, c = train.quality[rows], train.cost[rows]
        acc = q.mean(axis=0)
        cheap = [int(j) for j in np.argsort(-acc) if j != g]
        cheapest = math.inf
        for k in (2, 3, 4):
            for combo in itertools.combinations(cheap, k):
                js = list(combo)
                agree = np.all(answers[rows][:, js] == answers[rows][:, [js[0]]], axis=1)
                quality = np.where(agree, q[:, js[0]], q[:, g]).mean()
                cost = (c[:, js].sum(axis=1) + (~agree) * c[:, g]).mean()
                if quality >= acc[g] - 0.01:
                    cheapest = min(cheapest, float(cost / c[:, g].mean()))
        best_vote = float(acc[g])
        for k in (2, 4):
            for combo in itertools.combinations(cheap[:5], k):
                js = [g, *combo]
                right = []
                for r in range(len(rows)):
                    norm = [str(answers[rows[r], j]) for j in js]
                    score: dict[str, float] = {}
                    for a, j in zip(norm, js, strict=True):
                        p = min(max(float(acc[j]), 0.5), 0.99)
                        score[a] = score.get(a, 0.0) + math.log(p / (1 - p))
                    keep = norm.index(max(score, key=lambda a: score[a]))
                    right.append(q[r, js[keep]])
                best_vote = max(best_vote, float(np.mean(right)))
        out[task] = {
            "best_quality": float(acc[g]),
            "agreeing_cascade_share_of_best_cost": cheapest,
            "best_vote_with_best_model": best_vote,
        }
    return out


def probes(outer: OutcomeTable, embedder: Any, cache: Any, splits: Any) -> dict[str, Any]:
    """Every probe on each inner split of the train split, then the bounds."""
    per_seed: dict[str, dict[str, float]] = {}
    for seed, (train, test) in splits:
        fz = QueryFeaturizer(embedder).fit(train.queries)
        xtr = embed_cached(fz, train.queries, cache)
        xte = embed_cached(fz, test.queries, cache)
        per_seed[str(seed)] = _one_split(train, test, fz, xtr, xte)
    keys = list(next(iter(per_seed.values())))
    mean = {k: float(np.mean([r[k] for r in per_seed.values()])) for k in keys}
    print("\nprobes inside the train split (mean over inner splits):")
    for k in keys:
        print(f"  {k:<32} {mean[k]:.4f}   " + "  ".join(f"{r[k]:.4f}" for r in per_seed.values()))
    bound = bounds(outer)
    print("\nin-sample bounds on the train split:")
    for task, b in bound.items():
        print(f"  {task:<14} {b}")
    return {"per_seed": per_seed, "mean": mean, "bounds": bound}
