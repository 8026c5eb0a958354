"""Quality–cost curves of routers (RouterBench): the cost-knob sweep, the hull, AIQ, cost to match.

A router's curve is its (average cost, average quality) over a sweep of the cost knob.

AIQ is the area under the router's *non-decreasing upper convex hull* of (average cost,
average quality) points, with cost normalised to ``[cheapest single model, dearest single
model]`` (average cost per query). Right of the router's dearest point the hull stays flat;
left of its cheapest point it counts as 0 (a router cannot claim a cost it never reached).
Mixing two routed points by a coin flip reaches every point on the segment between them, which
is why the hull and not the raw curve is measured.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["aiq", "cost_to_match", "knob_grid", "sweep", "upper_hull", "zero_router_points"]

Points = npt.NDArray[np.float64]


def upper_hull(points: Points) -> Points:
    """Non-decreasing upper convex hull of (cost, quality) points, sorted by cost."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) == 0:
        return pts
    order = np.lexsort((-pts[:, 1], pts[:, 0]))
    pts = pts[order]
    # Only points that raise quality over every cheaper point can be on a non-decreasing hull.
    keep: list[npt.NDArray[np.float64]] = []
    best = -np.inf
    for p in pts:
        if p[1] > best:
            keep.append(p)
            best = p[1]
    hull: list[npt.NDArray[np.float64]] = []
    for p in keep:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            # Drop the middle point when it lies on or under the chord (not concave).
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) >= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    return np.array(hull)


def _curve_at(hull: Points, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    y = np.interp(x, hull[:, 0], hull[:, 1], left=0.0, right=hull[-1, 1])
    y[x < hull[0, 0]] = 0.0
    return y


def aiq(points: Points, cost_lo: float, cost_hi: float, *, grid: int = 4001) -> float:
    """Average quality over the normalised cost range ``[cost_lo, cost_hi]`` (see module doc)."""
    hull = upper_hull(points)
    if len(hull) == 0 or cost_hi <= cost_lo:
        return float("nan")
    xs = np.linspace(cost_lo, cost_hi, grid)
    ys = _curve_at(hull, xs)
    return float(np.trapezoid(ys, xs) / (cost_hi - cost_lo))


def cost_to_match(points: Points, quality: float) -> float | None:
    """Least average cost at which the router's hull reaches ``quality`` (``None``: never)."""
    hull = upper_hull(points)
    if len(hull) == 0 or hull[-1, 1] < quality - 1e-12:
        return None
    if hull[0, 1] >= quality:
        return float(hull[0, 0])
    k = int(np.argmax(hull[:, 1] >= quality - 1e-12))
    (x1, y1), (x2, y2) = hull[k - 1], hull[k]
    return float(x1 + (quality - y1) * (x2 - x1) / (y2 - y1))


def zero_router_points(quality: Points, cost: Points) -> Points:
    """Each single model's (average cost, average quality): their hull is the zero router."""
    return np.stack([cost.mean(axis=0), quality.mean(axis=0)], axis=1)


def knob_grid(cost: Points, n: int = 60) -> Points:
    """Cost weights (quality lost per dollar) spanning cheapest-always to quality-always."""
    scale = 1.0 / max(float(np.nanmean(cost)), 1e-12)
    return np.concatenate([[0.0], scale * np.logspace(-3, 3, n), [1e12]])


def sweep(
    pred_q: Points, pred_c: Points, true_q: Points, true_c: Points, weights: Points | None = None
) -> Points:
    """(average true cost, average true quality) of choosing argmax(q − w·c) per query."""
    if weights is None:
        weights = knob_grid(true_c)
    rows = np.arange(len(pred_q))
    pts = []
    for w in weights:
        choice = np.argmax(pred_q - w * pred_c, axis=1)
        pts.append((true_c[rows, choice].mean(), true_q[rows, choice].mean()))
    return np.array(pts)
