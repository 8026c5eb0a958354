"""Pseudo-tasks: clusters of query embeddings, for outcome sets that carry no task labels.

The task level of the graph router (each model's average on a task) is where most of the
routing signal sits on real pools. When the outcomes name no task, queries still fall into
kinds (code, trivia, riddles…) that embeddings separate well, so k-means over the embeddings
stands in for the labels. ``k`` is chosen by the silhouette on a sample; a pool that does not
split cleanly (best silhouette below :data:`MIN_SILHOUETTE`) stays one task.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["MIN_SILHOUETTE", "PseudoTasks", "pseudo_tasks"]

MIN_SILHOUETTE = 0.08
_SAMPLE = 800
_MIN_PER_CLUSTER = 30

F32 = npt.NDArray[np.float32]


class PseudoTasks:
    """Centroids of the clusters; names a new query's cluster."""

    def __init__(self, centroids: F32) -> None:
        self.centroids = centroids

    def label(self, vectors: F32) -> list[str]:
        sims = np.asarray(vectors, dtype=np.float32) @ self.centroids.T
        return [f"cluster:{int(k)}" for k in np.argmax(sims, axis=1)]


def _kmeans(x: F32, k: int, rng: np.random.Generator, iters: int = 30) -> tuple[F32, np.ndarray]:
    """Spherical k-means (unit vectors, cosine) with k-means++ seeding.

    Not memory's IVF k-means: that one seeds at random on a sample and reseeds empty lists
    for speed at 100k rows; this one seeds k-means++ and runs to convergence on a few
    thousand queries, because the silhouette that picks ``k`` reads these clusters."""
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        d = 1.0 - np.max(x @ np.stack(centres).T, axis=1)
        p = np.clip(d, 0, None) ** 2
        centres.append(x[rng.choice(len(x), p=p / p.sum())] if p.sum() > 0 else x[0])
    c = np.stack(centres).astype(np.float32)
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        new = np.argmax(x @ c.T, axis=1)
        if _ > 0 and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                m = members.sum(axis=0)
                c[j] = m / max(float(np.linalg.norm(m)), 1e-9)
    return c, assign


def _silhouette(x: F32, assign: np.ndarray, k: int) -> float:
    dist = 1.0 - x @ x.T
    s = np.zeros(len(x))
    for i in range(len(x)):
        own = assign == assign[i]
        if own.sum() <= 1:
            continue
        a = dist[i, own].sum() / (own.sum() - 1)
        b = min(
            dist[i, assign == j].mean() for j in range(k) if j != assign[i] and (assign == j).any()
        )
        s[i] = (b - a) / max(a, b, 1e-9)
    return float(s.mean())


def pseudo_tasks(vectors: F32, *, max_k: int = 8, seed: int = 0) -> PseudoTasks | None:
    """Clusters of ``vectors`` (unit rows), or ``None`` when they do not split into kinds."""
    x = np.asarray(vectors, dtype=np.float32)
    if len(x) < 2 * _MIN_PER_CLUSTER:
        return None
    rng = np.random.default_rng(seed)
    sample = x[rng.choice(len(x), size=min(_SAMPLE, len(x)), replace=False)]
    best: tuple[float, F32] | None = None
    for k in range(2, min(max_k, len(x) // _MIN_PER_CLUSTER) + 1):
        centres, _ = _kmeans(x, k, rng)
        assign = np.argmax(sample @ centres.T, axis=1)
        if np.bincount(assign, minlength=k).min() * len(x) / len(sample) < _MIN_PER_CLUSTER:
            continue
        score = _silhouette(sample, assign, k)
        if best is None or score > best[0]:
            best = (score, centres)
    if best is None or best[0] < MIN_SILHOUETTE:
        return None
    return PseudoTasks(best[1])
