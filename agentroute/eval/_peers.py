"""Peer methods re-implemented as baselines: a task classifier and RouteLLM-style matrix
factorisation. Both predict a (queries × models) quality matrix from training outcomes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agentroute.routing._base import F32, F64

__all__ = ["matrix_factorisation_quality", "task_classifier_quality"]


def task_classifier_quality(
    train_x: F32, train_tasks: Sequence[str], train_q: F64, test_x: F32
) -> F64:
    """Nearest-centroid task classifier; a query gets the mean quality of its predicted task."""
    tasks = sorted(set(train_tasks))
    labels = np.array(train_tasks)
    cent = np.stack([train_x[labels == t].mean(axis=0) for t in tasks])
    cent /= np.linalg.norm(cent, axis=1, keepdims=True) + 1e-12
    means = np.stack([np.nanmean(train_q[labels == t], axis=0) for t in tasks])
    pred = np.argmax(test_x @ cent.T, axis=1)
    return np.asarray(means[pred], dtype=np.float64)


def matrix_factorisation_quality(
    train_x: F32,
    train_q: F64,
    test_x: F32,
    *,
    dim: int = 16,
    epochs: int = 300,
    lr: float = 0.05,
    l2: float = 1e-4,
    seed: int = 0,
) -> F64:
    """RouteLLM's matrix factorisation, generalised to many models: P(correct) =
    σ(v_mᵀ (W x) + b_m), fitted by full-batch Adam on the logistic loss (numpy only)."""
    rng = np.random.default_rng(seed)
    d = train_x.shape[1]
    m = train_q.shape[1]
    w = rng.normal(0, 0.1, (d, dim))
    v = rng.normal(0, 0.1, (m, dim))
    b = np.zeros(m)
    mask = ~np.isnan(train_q)
    y = np.nan_to_num(train_q)
    params = [w, v, b]
    mom = [np.zeros_like(p) for p in params]
    sq = [np.zeros_like(p) for p in params]
    x = train_x.astype(np.float64)
    for step in range(1, epochs + 1):
        z = x @ w  # (n, dim)
        logit = z @ v.T + b
        p = 1.0 / (1.0 + np.exp(-logit))
        g = (p - y) * mask / max(mask.sum(), 1)
        grads = [x.T @ (g @ v) + l2 * w, g.T @ z + l2 * v, g.sum(axis=0)]
        for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
            mom[k] = 0.9 * mom[k] + 0.1 * grad
            sq[k] = 0.999 * sq[k] + 0.001 * grad**2
            mhat = mom[k] / (1 - 0.9**step)
            vhat = sq[k] / (1 - 0.999**step)
            param -= lr * mhat / (np.sqrt(vhat) + 1e-8)
    logit = (test_x.astype(np.float64) @ w) @ v.T + b
    return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)
