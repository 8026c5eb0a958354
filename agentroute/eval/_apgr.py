"""APGR, RouteLLM's measure of a two-model router: the average share of the strong model's
accuracy gain over the weak one that the router recovers, across the share of calls it sends
to the strong model.

The router ranks queries by how much it expects the strong model to gain (its "strong win
rate"); sending the top ``p`` of them to the strong model gives an accuracy ``acc(p)``. PGR at
``p`` is ``(acc(p) − weak) / (strong − weak)``; APGR is its area over ``p`` in [0, 1]
(trapezoids on ``points`` evenly spaced shares, 11 as RouteLLM's ten quantile thresholds give).
A random router scores 0.5; one that knows the answers scores near 1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["apgr", "pgr_curve"]

F64 = npt.NDArray[np.float64]


def pgr_curve(
    score: F64, strong: F64, weak: F64, *, points: int = 11, seed: int = 0
) -> tuple[F64, F64]:
    """Shares of calls to the strong model and the accuracy at each (the ``p`` highest-scored
    queries go to it; ties are broken at random with ``seed``, as a coin would)."""
    s = np.asarray(score, dtype=np.float64)
    order = np.random.default_rng(seed).permutation(len(s))
    ranked = order[np.argsort(-s[order], kind="stable")]
    gain = (np.asarray(strong, dtype=np.float64) - np.asarray(weak, dtype=np.float64))[ranked]
    cum = np.concatenate([[0.0], np.cumsum(gain)])
    shares = np.linspace(0.0, 1.0, points)
    k = np.rint(shares * len(s)).astype(int)
    acc = (float(np.sum(weak)) + cum[k]) / max(len(s), 1)
    return shares, acc


def apgr(score: F64, strong: F64, weak: F64, *, points: int = 11, seed: int = 0) -> float:
    """Average performance gap recovered (RouteLLM): area under ``pgr_curve``'s PGR."""
    shares, acc = pgr_curve(score, strong, weak, points=points, seed=seed)
    lo, hi = float(np.mean(weak)), float(np.mean(strong))
    if hi <= lo:
        return float("nan")
    return float(np.trapezoid((acc - lo) / (hi - lo), shares))
