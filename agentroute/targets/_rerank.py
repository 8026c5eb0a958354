"""A learned re-ranking of preselection's candidates: the weights of cheap signals, fitted.

Preselection (`agentroute.targets._preselect`) adds its signals with hand-picked shares: each
part's score, the whole request's, the server's words, the server's two best. Which matters
how much depends on where a candidate stands among the others: the second tool of the best
server is a likelier gold tool than the first of the fourth server, though their sums tie.
So a request of several parts takes its ``candidates`` best targets by the summed score and
orders them by a linear function of per-candidate features (the summed score and its terms,
BM25 over the tools' words and over their names alone, the candidate's rank overall, its
server's rank among the candidates' servers and its rank within that server; whether it has
a description, how many of the request's parts its server serves, its rank by the plain
sentence cosine, which the token-matched rank score leaves out, and how much of the request's
words its server's texts hold, weighed by their rarity: a provider naming the request's rare
words at all, where BM25 rewards one word repeated). The weights
are fitted by ``benchmarks/train_preselect_rerank.py`` on bench_preselection.py's train split
only (a listwise softmax, numpy), and kept as data: ``preselect_rerank.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["BASE_FEATURES", "FEATURES", "MODEL_FILE", "Reranker", "feature_table", "load_reranker"]

MODEL_FILE = Path(__file__).with_name("preselect_rerank.json")

BASE_FEATURES = (
    "combined",  # the summed rank score preselection orders by without the re-ranker
    "whole",  # the whole request's rank score
    "part",  # the best of the parts' own rank scores
    "server_words",  # the share of the server's BM25 score (its whole vocabulary)
    "siblings",  # the server's share: the mean of its two best part scores, weighted
    "tool_words",  # BM25 of the request over each tool's texts, over the best one's
    "tool_name",  # BM25 over the tools' spoken names alone, best over request and parts
    "first",  # 1 for a part's own best target
    "undescribed",  # 1 for a target without a description (found by its name and arguments)
    "server_parts",  # share of the parts with one of the server's targets among their 3 best
    "cosine_rank",  # 1 / (1 + rank by sentence cosine), best over the request and its parts
    "server_coverage",  # IDF-weighted share of the request's words its server's texts hold
)
"""What preselection hands over, one column each, per candidate."""
FEATURES = (
    *BASE_FEATURES,
    "position",  # 1 / (1 + rank by ``combined``)
    "server_rank",  # 1 / (1 + rank of its server, by the server's best ``combined``)
    "rank_in_server",  # 1 / (1 + rank among its server's candidates)
)
"""Every column the model weighs: preselection's, then the ones positions give."""


@dataclass(frozen=True)
class Reranker:
    """Linear scores over standardised features: ``((x - mean) / scale) @ weights``."""

    candidates: int
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]

    def scores(self, table: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """One score per row of a `feature_table` (higher is better)."""
        out: npt.NDArray[np.float64] = ((table - self.mean) / self.scale) @ self.weights
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "candidates": self.candidates,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Reranker:
        """The model a file holds; its features must be `FEATURES`, in that order."""
        if list(data["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("re-ranker features differ from this version's; retrain it")
        arrays = [np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale", "weights")]
        if any(a.shape != (len(FEATURES),) for a in arrays):
            raise ValueError(f"re-ranker arrays must have {len(FEATURES)} values")
        return cls(int(data["candidates"]), *arrays)  # type: ignore[call-overload]


@cache
def load_reranker(path: Path = MODEL_FILE) -> Reranker | None:
    """The shipped model (None when the file is absent: preselection keeps its summed order)."""
    if not path.exists():
        return None
    return Reranker.from_json(json.loads(path.read_text()))


def feature_table(
    base: npt.NDArray[np.float64], groups: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """`FEATURES` per candidate, from `BASE_FEATURES` (``base``, one row per candidate, best
    ``combined`` first) and each candidate's server (``groups``)."""
    n = len(groups)
    _, inverse = np.unique(groups, return_inverse=True)
    # Rows come best first, so a server's first row is its best and servers rank by it.
    server_rank = np.full(int(inverse.max()) + 1 if n else 0, -1, dtype=np.int64)
    within = np.zeros(n, dtype=np.int64)
    seen = np.zeros_like(server_rank)
    ranked = 0
    for row, g in enumerate(inverse):
        if server_rank[g] < 0:
            server_rank[g] = ranked
            ranked += 1
        within[row] = seen[g]
        seen[g] += 1
    derived = np.stack(
        [1.0 / (1.0 + np.arange(n)), 1.0 / (1.0 + server_rank[inverse]), 1.0 / (1.0 + within)],
        axis=1,
    )
    return np.concatenate([base, derived], axis=1)
