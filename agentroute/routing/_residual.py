"""Per-task linear read-outs of the query embedding: how far a query sits from its task's mean.

A task's average says which model is best on the task; which *query* a cheap model gets wrong
is a deviation from that average. Within one task, one ridge regression per model on the query
embedding predicts that deviation (the target is the model's quality minus its mean on the
task). Nearest neighbours carry the same kind of signal but average it away on RouterBench
(their weight is tuned to zero there); a linear read-out fitted per task keeps it. The ridge
penalty, and whether the read-out is used at all, is chosen by cross-validation on the
router's own outcomes (:func:`choose_alpha`): the read-out must lower the squared error of the
task means in every fold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["ALPHAS", "MIN_ROWS", "choose_alpha", "fit_task_ridge", "residuals"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

ALPHAS = (3.0, 10.0, 30.0)
"""Ridge penalties tried (on unit-length embeddings; larger is a flatter read-out)."""
MIN_ROWS = 30
"""A (task, model) pair with fewer outcomes gets no read-out: its deviation is noise."""
_FOLDS = 3


def fit_task_ridge(
    x: npt.NDArray[np.floating], quality: F64, row_task: I64, n_tasks: int, alpha: float
) -> F64:
    """Weights of shape ``(tasks, dim, models)``: per task, each model's ridge regression of
    its quality minus its task mean on the query embedding (zeros where too few outcomes)."""
    d, m = x.shape[1], quality.shape[1]
    out = np.zeros((n_tasks, d, m))
    has = ~np.isnan(quality)
    eye = alpha * np.eye(d)
    for t in range(n_tasks):
        rows = row_task == t
        xt = x[rows].astype(np.float64)
        qt, ht = quality[rows], has[rows]
        full = ht.all(axis=0) & (len(xt) >= MIN_ROWS)
        if full.any():
            resid = qt[:, full] - qt[:, full].mean(axis=0)
            out[t][:, full] = np.linalg.solve(xt.T @ xt + eye, xt.T @ resid)
        for j in np.flatnonzero(~full & (ht.sum(axis=0) >= MIN_ROWS)):
            xs, ys = xt[ht[:, j]], qt[ht[:, j], j]
            out[t][:, j] = np.linalg.solve(xs.T @ xs + eye, xs.T @ (ys - ys.mean()))
    return out


def residuals(weights: F64, vectors: npt.NDArray[np.floating], post: F64, cols: I64) -> F64:
    """Predicted deviation from the task mean per (query, candidate): each task's read-out
    weighted by the query's task probabilities ``post``; 0 for ``cols`` the fit never saw."""
    n_tasks, _, m = weights.shape
    out = np.zeros((len(vectors), len(cols)))
    ok = (cols >= 0) & (cols < m)
    if not ok.any() or n_tasks == 0 or post.shape[1] < n_tasks:
        return out
    sel = cols[ok]
    w = weights if len(sel) == m and np.array_equal(sel, np.arange(m)) else weights[:, :, sel]
    per_task = np.einsum("nd,tdm->ntm", vectors.astype(np.float64), w)
    out[:, ok] = np.einsum("nt,ntm->nm", post[:, :n_tasks], per_task)
    return out


def choose_alpha(
    x: npt.NDArray[np.floating],
    quality: F64,
    row_task: I64,
    n_tasks: int,
    alphas: Sequence[float] = ALPHAS,
    seed: int = 0,
) -> float | None:
    """The penalty whose read-out most lowers the held-out squared error of the task means,
    by 3-fold cross-validation; ``None`` when no penalty lowers it in every fold (or there is
    too little data to tell)."""
    n = len(x)
    if n < _FOLDS * MIN_ROWS or n_tasks == 0:
        return None
    fold = np.random.default_rng(seed).permutation(n) % _FOLDS
    has = ~np.isnan(quality)
    base = np.zeros(_FOLDS)
    errs = np.zeros((len(alphas), _FOLDS))
    for f in range(_FOLDS):
        tr, te = fold != f, fold == f
        rt = row_task[tr]
        sums = np.zeros((n_tasks, quality.shape[1]))
        cnts = np.zeros_like(sums)
        np.add.at(sums, rt, np.nan_to_num(quality[tr]))
        np.add.at(cnts, rt, has[tr].astype(np.float64))
        means = sums / np.maximum(cnts, 1.0)
        mu = means[row_task[te]]
        target, mask = np.nan_to_num(quality[te]), has[te]
        base[f] = float((((mu - target) ** 2) * mask).sum())
        post = np.eye(n_tasks)[row_task[te]]
        cols = np.arange(quality.shape[1])
        for a, alpha in enumerate(alphas):
            w = fit_task_ridge(x[tr], quality[tr], rt, n_tasks, alpha)
            pred = np.clip(mu + residuals(w, x[te], post, cols), 0.0, 1.0)
            errs[a, f] = float((((pred - target) ** 2) * mask).sum())
    wins = (errs < base[None, :]).all(axis=1)
    if not wins.any():
        return None
    total = np.where(wins, errs.sum(axis=1), np.inf)
    return float(alphas[int(np.argmin(total))])
