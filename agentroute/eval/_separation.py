"""How well a score tells the prompts that need the strong model from those a cheap one
answers: the AUC of the score for "the weak model fails and the strong one succeeds".

Why a measure of its own: APGR and AIQ average over every share of calls and every price, so
a router's ranking can look fine while it barely separates the few prompts that decide them
(session 21: a router that knew them would reach gpt-4's quality on RouterBench at 24% of its
cost; routers separate them at AUC 0.40-0.68). 0.5 is a coin; 1 puts every such prompt first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["auc", "needs_strong_auc"]

F64 = npt.NDArray[np.float64]


def auc(score: F64, label: npt.NDArray[np.bool_]) -> float:
    """Probability that a positive is scored above a negative (ties count half); NaN when
    one class is empty."""
    y = np.asarray(label, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    if y.all() or not y.any():
        return float("nan")
    order = np.argsort(s, kind="stable")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    # Average ranks over ties, so a tie between a positive and a negative counts half.
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    n1, n0 = int(y.sum()), int((~y).sum())
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def needs_strong_auc(score: F64, strong: F64, weak: F64) -> float:
    """AUC of ``score`` for the prompts where ``weak`` fails and ``strong`` succeeds
    (outcomes in [0, 1], a success above 0.5)."""
    need = (np.asarray(weak) < 0.5) & (np.asarray(strong) > 0.5)
    return auc(score, need)
