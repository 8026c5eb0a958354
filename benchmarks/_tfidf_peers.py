"""Reference routers on words, not embeddings (issue 17's "tf-idf kNN / logreg"): the text
classifiers routing papers compare against, re-implemented in numpy (no scikit-learn here).

* tf-idf: lower-cased alphanumeric unigrams and bigrams seen in at least two training prompts,
  sublinear term frequency, smoothed idf, rows scaled to unit length; kept sparse (CSR arrays);
* kNN: a query's predicted quality per model is the mean over its ``k`` most cosine-similar
  training prompts;
* logreg: one logistic regression per model on the tf-idf vector (L2, full-batch Adam).

Both predict quality only; like the other peers they price a query at the training mean cost.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Tfidf", "tfidf_knn_quality", "tfidf_logreg_quality"]

_TOKEN = re.compile(r"[a-z0-9]+")
F64 = npt.NDArray[np.float64]


def _terms(text: str) -> list[str]:
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass
class Csr:
    """Rows of a sparse matrix: row ``i`` holds ``indices[indptr[i]:indptr[i+1]]``."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int64]
    data: F64
    width: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> npt.NDArray[np.int64]:
        return np.repeat(np.arange(self.rows), np.diff(self.indptr))

    def dot(self, w: F64) -> F64:
        """``X @ w`` for a dense ``w`` of shape (width, m)."""
        rows = self.row_ids()
        cols = [
            np.bincount(rows, weights=self.data * w[self.indices, j], minlength=self.rows)
            for j in range(w.shape[1])
        ]
        return np.stack(cols, axis=1)

    def tdot(self, g: F64) -> F64:
        """``X.T @ g`` for a dense ``g`` of shape (rows, m)."""
        rows = self.row_ids()
        cols = [
            np.bincount(self.indices, weights=self.data * g[rows, j], minlength=self.width)
            for j in range(g.shape[1])
        ]
        return np.stack(cols, axis=1)


class Tfidf:
    """A tf-idf vocabulary fitted on training prompts."""

    def __init__(self, texts: Sequence[str], min_df: int = 2) -> None:
        df = Counter(t for text in texts for t in set(_terms(text)))
        kept = sorted(t for t, n in df.items() if n >= min_df)
        self.vocab = {t: k for k, t in enumerate(kept)}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept])

    def transform(self, texts: Sequence[str]) -> Csr:
        indptr, indices, data = [0], [], []
        for text in texts:
            counts = Counter(self.vocab[t] for t in _terms(text) if t in self.vocab)
            cols = np.array(sorted(counts), dtype=np.int64)
            vals = np.array([(1.0 + math.log(counts[c])) * self.idf[c] for c in cols])
            norm = float(np.linalg.norm(vals)) if len(vals) else 0.0
            indices.append(cols)
            data.append(vals / norm if norm else vals)
            indptr.append(indptr[-1] + len(cols))
        return Csr(
            np.array(indptr, dtype=np.int64),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.concatenate(data) if data else np.zeros(0),
            len(self.vocab),
        )


def _postings(x: Csr) -> tuple[list[npt.NDArray[np.int64]], list[F64]]:
    """Per term, the training rows holding it and their weights (an inverted index)."""
    rows = x.row_ids()
    order = np.argsort(x.indices, kind="stable")
    bounds = np.searchsorted(x.indices[order], np.arange(x.width + 1))
    post_rows = [rows[order[bounds[t] : bounds[t + 1]]] for t in range(x.width)]
    post_vals = [x.data[order[bounds[t] : bounds[t + 1]]] for t in range(x.width)]
    return post_rows, post_vals


def tfidf_knn_quality(
    train_text: Sequence[str], train_q: F64, test_text: Sequence[str], *, k: int = 20
) -> F64:
    """Mean quality of each test prompt's ``k`` most similar training prompts (cosine)."""
    vec = Tfidf(train_text)
    xtr, xte = vec.transform(train_text), vec.transform(test_text)
    post_rows, post_vals = _postings(xtr)
    prior = np.nanmean(train_q, axis=0)
    out = np.empty((xte.rows, train_q.shape[1]))
    k = min(k, xtr.rows)
    for i in range(xte.rows):
        sims = np.zeros(xtr.rows)
        for c, v in zip(
            xte.indices[xte.indptr[i] : xte.indptr[i + 1]],
            xte.data[xte.indptr[i] : xte.indptr[i + 1]],
            strict=True,
        ):
            sims[post_rows[c]] += v * post_vals[c]
        if not sims.any():
            out[i] = prior
            continue
        top = np.argpartition(-sims, k - 1)[:k]
        out[i] = np.nanmean(train_q[top], axis=0)
    return out


def tfidf_logreg_quality(
    train_text: Sequence[str],
    train_q: F64,
    test_text: Sequence[str],
    *,
    l2: float = 1e-3,
    epochs: int = 200,
    lr: float = 0.05,
) -> F64:
    """P(correct) per model from a logistic regression on the prompt's tf-idf vector."""
    vec = Tfidf(train_text)
    xtr, xte = vec.transform(train_text), vec.transform(test_text)
    m = train_q.shape[1]
    mask = ~np.isnan(train_q)
    y = np.nan_to_num(train_q)
    w = np.zeros((xtr.width, m))
    p0 = np.clip(np.nanmean(train_q, axis=0), 1e-3, 1 - 1e-3)
    b = np.log(p0 / (1 - p0))
    params = [w, b]
    mom = [np.zeros_like(p) for p in params]
    sq = [np.zeros_like(p) for p in params]
    n = max(int(mask.sum(axis=0).max()), 1)
    for step in range(1, epochs + 1):
        p = 1.0 / (1.0 + np.exp(-(xtr.dot(w) + b)))
        g = (p - y) * mask / n
        grads = [xtr.tdot(g) + l2 * w, g.sum(axis=0)]
        for j, (param, grad) in enumerate(zip(params, grads, strict=True)):
            mom[j] = 0.9 * mom[j] + 0.1 * grad
            sq[j] = 0.999 * sq[j] + 0.001 * grad**2
            mhat = mom[j] / (1 - 0.9**step)
            vhat = sq[j] / (1 - 0.999**step)
            param -= lr * mhat / (np.sqrt(vhat) + 1e-8)
    return np.asarray(1.0 / (1.0 + np.exp(-(xte.dot(w) + b))), dtype=np.float64)
