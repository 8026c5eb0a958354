"""Exact nearest-neighbour search over unit vectors: the one search every room ranks by.

The target index, the case bank's scans and routing's neighbours all rank rows of
L2-normalised vectors by their dot product with a query and keep the best ``k``: they share
``top_k``; the case bank and routing also ``similarities``. chromadb's own HNSW stays where
chromadb does the search.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["similarities", "top_k"]

_FEW_QUERIES = 8
"""Up to this many queries, einsum's own loop; more, one BLAS matrix product."""


def similarities(rows: npt.ArrayLike, query: npt.ArrayLike) -> npt.NDArray[np.floating]:
    """Dot product of each of ``rows`` with ``query`` (cosine similarity for unit vectors).

    A 1-d query gives one score per row; a 2-d block of queries gives a (queries, rows)
    matrix. A few queries use einsum, not ``@``: OpenBLAS starts its thread pool for a single
    mid-sized gemv, which on a busy 2-core machine costs ~100x more than the product itself.
    """
    m = np.asarray(rows)
    q = np.asarray(query)
    if q.ndim == 1:
        return np.einsum("ij,j->i", m, q)
    return np.einsum("ij,kj->ik", q, m) if len(q) <= _FEW_QUERIES else q @ m.T


def top_k(scores: npt.ArrayLike, k: int, *, ordered: bool = True) -> npt.NDArray[np.intp]:
    """Positions of the ``k`` highest ``scores`` along the last axis.

    Selected by ``argpartition`` (linear, not a full sort of 100k rows), then, when
    ``ordered``, best first with ties kept in position order. Unordered suits callers that
    only average over the neighbours; with ``k`` at least the row length it is every position
    in order.
    """
    s = np.asarray(scores)
    n = s.shape[-1]
    k = min(k, n)
    if k <= 0:
        return np.zeros((*s.shape[:-1], 0), dtype=np.intp)
    if k < n:
        top = np.argpartition(-s, k - 1, axis=-1)[..., :k]
    else:
        top = np.broadcast_to(np.arange(n), s.shape).copy()
    if ordered:
        order = np.argsort(-np.take_along_axis(s, top, axis=-1), axis=-1, kind="stable")
        top = np.take_along_axis(top, order, axis=-1)
    return top
