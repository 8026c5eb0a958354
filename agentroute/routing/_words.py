"""A read-out of the prompt's words: tf-idf features, one logistic regression per model.

Why: a small sentence embedding blurs the words that decide which model answers (on LLMRouter's
set a tf-idf logistic regression is ahead of every embedding router). The blend router mixes
this read-out in by the share its own cross-validation gives it, so it is never a
reference's worth of signal behind the routers papers compare against.

* tf-idf: lower-cased alphanumeric unigrams and bigrams seen in at least ``min_df`` training
  prompts, sublinear term frequency, smoothed idf, rows scaled to unit length (sparse rows);
* the prompt's length (log characters, standardised on the training prompts): the unit-length
  tf-idf row and the unit-length embedding both drop it, and it is a difficulty signal (on
  RouteLLM's GSM8K a longer word problem has more steps, and the weak model fails it more:
  length alone ranks the prompts for the strong model better than any router there);
* per model, P(good answer) by L2-regularised logistic regression (full-batch Adam), fitted on
  the rows where the model has an outcome. Numpy only.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt

__all__ = ["WordReadOut"]

_TOKEN = re.compile(r"[a-z0-9]+")
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def _terms(text: str) -> list[str]:
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _segment_sums(values: F64, starts: I64, lengths: I64) -> F64:
    """Sums of consecutive row blocks of ``values`` (empty blocks sum to 0)."""
    out = np.zeros((len(starts), values.shape[1]))
    full = lengths > 0
    if full.any() and len(values):
        out[full] = np.add.reduceat(values, starts[full], axis=0)
    return out


@dataclass
class _Rows:
    """Sparse rows: row ``i`` holds ``indices[indptr[i]:indptr[i+1]]``."""

    indptr: I64
    indices: I64
    data: F64
    width: int

    def __post_init__(self) -> None:
        self.rows = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))

    def dot(self, w: F64) -> F64:
        """``X @ w`` for a dense ``w`` of shape (width, m)."""
        return _segment_sums(
            self.data[:, None] * w[self.indices], self.indptr[:-1], np.diff(self.indptr)
        )

    def tdot(self, g: F64) -> F64:
        """``X.T @ g`` for a dense ``g`` of shape (rows, m)."""
        cols = [
            np.bincount(self.indices, weights=self.data * g[self.rows, j], minlength=self.width)
            for j in range(g.shape[1])
        ]
        return np.stack(cols, axis=1) if cols else np.zeros((self.width, 0))


class WordReadOut:
    """P(good answer) per model from the prompt's words."""

    def __init__(
        self,
        *,
        l2: float = 1e-3,
        epochs: int = 200,
        lr: float = 0.05,
        min_df: int = 2,
        length: bool = True,
    ) -> None:
        self.l2, self.epochs, self.lr, self.min_df = l2, epochs, lr, min_df
        self.length = length
        """Read the prompt's length as well as its words."""
        self._len_mu, self._len_sd = 0.0, 1.0
        self.v = np.zeros(0)
        self.vocab: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.w = np.zeros((0, 0))
        self.b = np.zeros(0)

    @property
    def models(self) -> int:
        """How many models (columns) the read-out was fitted for."""
        return len(self.b)

    def _transform(self, texts: Sequence[str]) -> _Rows:
        indptr, indices, data = [0], [], []
        for text in texts:
            counts = Counter(self.vocab[t] for t in _terms(text) if t in self.vocab)
            cols = np.array(sorted(counts), dtype=np.int64)
            vals = np.array([(1.0 + math.log(counts[c])) * self.idf[c] for c in cols])
            norm = float(np.linalg.norm(vals)) if len(vals) else 0.0
            indices.append(cols)
            data.append(vals / norm if norm else vals)
            indptr.append(indptr[-1] + len(cols))
        return _Rows(
            np.array(indptr, dtype=np.int64),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.concatenate(data) if data else np.zeros(0),
            len(self.vocab),
        )

    def _lengths(self, texts: Sequence[str]) -> F64:
        """Standardised log length of each prompt (zeros when length is not read)."""
        if not self.length:
            return np.zeros(len(texts))
        return (_log_lengths(texts) - self._len_mu) / self._len_sd

    def fit(self, texts: Sequence[str], quality: F64) -> Self:
        """Fit on prompts and their outcomes (``quality``: prompts × models, NaN: none)."""
        raw = _log_lengths(texts)
        self._len_mu = float(raw.mean()) if len(raw) else 0.0
        self._len_sd = float(raw.std()) if len(raw) and raw.std() > 1e-9 else 1.0
        z = self._lengths(texts)
        df = Counter(t for text in texts for t in set(_terms(text)))
        kept = sorted(t for t, n in df.items() if n >= self.min_df)
        self.vocab = {t: k for k, t in enumerate(kept)}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept])
        x = self._transform(texts)
        m = quality.shape[1]
        mask = ~np.isnan(quality)
        y = np.nan_to_num(quality)
        w = np.zeros((x.width, m))
        seen = mask.any(axis=0)
        p0 = np.clip(
            np.where(seen, np.nansum(quality, axis=0) / np.maximum(mask.sum(axis=0), 1), 0.5),
            1e-3,
            1 - 1e-3,
        )
        b = np.log(p0 / (1 - p0))
        v = np.zeros(m)
        params = [w, b, v]
        mom = [np.zeros_like(p) for p in params]
        sq = [np.zeros_like(p) for p in params]
        rows = max(int(mask.sum(axis=0).max()), 1)
        for step in range(1, self.epochs + 1):
            p = 1.0 / (1.0 + np.exp(-(x.dot(w) + z[:, None] * v + b)))
            g = (p - y) * mask / rows
            grads = [x.tdot(g) + self.l2 * w, g.sum(axis=0), z @ g + self.l2 * v]
            for j, (param, grad) in enumerate(zip(params, grads, strict=True)):
                mom[j] = 0.9 * mom[j] + 0.1 * grad
                sq[j] = 0.999 * sq[j] + 0.001 * grad**2
                mhat = mom[j] / (1 - 0.9**step)
                vhat = sq[j] / (1 - 0.999**step)
                param -= self.lr * mhat / (np.sqrt(vhat) + 1e-8)
        self.w, self.b, self.v = w, b, v
        return self

    def predict(self, texts: Sequence[str]) -> F64:
        """P(good answer) per (prompt, model): prompts × the models fitted."""
        x = self._transform(texts)
        z = self._lengths(texts)
        logit = x.dot(self.w) + z[:, None] * self.v + self.b
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)


def _log_lengths(texts: Sequence[str]) -> F64:
    """Each prompt's log length in characters."""
    return np.log1p(np.array([len(t) for t in texts], dtype=np.float64))
