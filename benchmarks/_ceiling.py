"""How far could a cascade of cheap models go on this data? An in-sample ceiling.

Issue 5 asks for the best single model's quality at <= 30% of its cost. This computes what the
most favourable cascade could reach, with knowledge no router has: the task of every query,
vote weights fitted on the very queries they are scored on, and the best subset of up to three
cheap models and threshold chosen per task with the answers in view. For each task: call the
subset, accept the weighted vote's answer when its posterior clears the threshold, else pay
for the best single model. Tasks are combined at equal marginal cost (a Lagrangian sweep), so
the curve is the best mix of per-task choices. If even this never reaches the best single
model's quality at 30% of its cost, no honest router on this data can.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from agentroute.eval import aiq, cost_to_match, upper_hull, zero_router_points
from agentroute.routing import OutcomeTable

_THRESHOLDS = np.linspace(0.5, 1.0, 26)


def _vote(answers: np.ndarray, quality: np.ndarray, subset: list[int], options: int):
    """Per query: posterior of the weighted vote's answer, and whether that answer is right."""
    acc = quality[:, subset].mean(axis=0).clip(0.02, 0.98)
    weight = np.log(acc * (options - 1) / (1 - acc))
    conf = np.zeros(len(answers))
    right = np.zeros(len(answers))
    for i in range(len(answers)):
        score: dict[str, float] = {}
        for k, j in enumerate(subset):
            score[answers[i, j]] = score.get(answers[i, j], 0.0) + weight[k]
        vals = [*score.values()] + [0.0] * max(0, options - len(score))
        hi = max(vals)
        z = sum(math.exp(v - hi) for v in vals)
        top = max(score, key=lambda a: score[a])
        conf[i] = math.exp(score[top] - hi) / z
        right[i] = any(quality[i, j] == 1 for j in subset if answers[i, j] == top)
    return conf, right


def cascade_ceiling(table: OutcomeTable, answers: np.ndarray, cheap_share: float = 0.12) -> dict:
    q, c = table.quality, table.cost
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    best = int(np.argmax(single[:, 1]))
    cheap = [j for j in range(len(table.models)) if single[j, 0] <= cheap_share * single[best, 0]]
    tasks = np.array(table.tasks)
    per_task: list[np.ndarray] = []
    for task in sorted(set(table.tasks)):
        idx = np.flatnonzero(tasks == task)
        qi, ci, ai = q[idx], c[idx], answers[idx]
        pts = [(ci[:, j].sum(), qi[:, j].sum()) for j in range(len(table.models))]
        letters = {a for a in ai.ravel() if len(a) == 1}
        if len(letters) >= 2:  # a multiple-choice task: votes mean something
            for size in (1, 2, 3):
                for subset in itertools.combinations(cheap, size):
                    conf, right = _vote(ai, qi, list(subset), len(letters))
                    paid = ci[:, list(subset)].sum(axis=1)
                    for tau in _THRESHOLDS:
                        ok = conf >= tau
                        pts.append(
                            (
                                (paid + np.where(ok, 0.0, ci[:, best])).sum(),
                                np.where(ok, right, qi[:, best]).sum(),
                            )
                        )
        per_task.append(np.array(pts))
    curve = []
    for lam in np.geomspace(1e-2, 1e7, 400):
        total_c = total_q = 0.0
        for pts in per_task:
            k = int(np.argmax(pts[:, 1] - lam * pts[:, 0]))
            total_c += pts[k, 0]
            total_q += pts[k, 1]
        curve.append((total_c / len(q), total_q / len(q)))
    points = np.array(curve)
    ctm = cost_to_match(points, float(single[best, 1]) - 1e-9)
    return {
        "what": "in-sample ceiling: task known, vote weights fitted on the scored queries, best "
        "subset of <= 3 cheap models and threshold per task, escalating to the best single model",
        "cheap_models": [table.models[j] for j in cheap],
        "aiq": aiq(points, lo, hi),
        "max_quality": float(points[:, 1].max()),
        "best_single_quality": float(single[best, 1]),
        "cost_share_to_match_best": None if ctm is None else ctm / float(single[best, 0]),
        "hull": upper_hull(points).tolist(),
    }
