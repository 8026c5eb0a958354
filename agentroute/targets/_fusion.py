"""Learned score fusion: one rank for a target out of what each of a request's searches says.

A request of several sentences is searched whole and part by part (`agentroute.targets.
preselect`); each search gives a target a rank score (token matching, server mean, BM25 share),
a sentence cosine, a BM25 share and a place in the list. How much each counts was once a few
hand-set shares; here it is a logistic regression over those signals, fitted on the train
split of benchmarks/bench_preselection.py (benchmarks/fit_preselection.py) and stored with the
code (``preselect_weights.json``): its weights are data, not code. Scores are taken relative to
the request's best, so one request's scale does not leak into another's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "COVER",
    "FEATURES",
    "WEIGHTS_FILE",
    "Fusion",
    "Signals",
    "choose",
    "features",
    "load_fusion",
    "part_covers",
]

WEIGHTS_FILE = Path(__file__).with_name("preselect_weights.json")

FEATURES = (
    "whole_rank",
    "part_rank",
    "combined",
    "whole_cosine",
    "part_cosine",
    "whole_lexical",
    "part_lexical",
    "server",
    "whole_place",
    "part_place",
    "part_first",
    "parts_top",
)
"""The signals, per candidate target (``*_rank``: rank score under the best one's; ``combined``:
the best over the parts of part and whole rank scores added; ``part_*``:
the best over the request's parts; ``server``: mean of the two best on its server;
``*_place``: log of 1 + its place in the list; ``part_first``: first of some part;
``parts_top``: share of the parts that have it in their top 5)."""

_TOP = 5
COVER = 3
"""A part counts as served once one of its this many best targets is chosen."""


@dataclass(frozen=True)
class Signals:
    """One search's view of every target (``ranks`` ``-inf`` where it was left out)."""

    ranks: npt.NDArray[np.float64]
    cosines: npt.NDArray[np.float64]
    lexical: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Fusion:
    """A linear model over standardised `FEATURES` (``((x - mean) / scale) @ weights``) and
    the two shares of the greedy choice (`choose`)."""

    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    redundancy: float = 0.0
    """Share of its cosine with a chosen tool of another server taken off a target's score."""
    sibling: float = 0.0
    """Added to a target's score once a tool of its server is chosen."""
    coverage: float = 0.0
    """Added to a target among the `COVER` best of a part no chosen tool is among yet."""
    prior_scale: float = 0.0
    """What a unit of rank score (the scale of a memory prior) is worth in fused score."""

    def score(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(((x - self.mean) / self.scale) @ self.weights, dtype=np.float64)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "redundancy": self.redundancy,
            "sibling": self.sibling,
            "coverage": self.coverage,
            "prior_scale": self.prior_scale,
        }


@lru_cache(maxsize=4)
def load_fusion(path: Path = WEIGHTS_FILE) -> Fusion | None:
    """The fitted model, or None when the file is missing or was fitted on other features."""
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return Fusion(
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        weights=np.asarray(data["weights"], dtype=np.float64),
        redundancy=float(data.get("redundancy", 0.0)),
        sibling=float(data.get("sibling", 0.0)),
        coverage=float(data.get("coverage", 0.0)),
        prior_scale=float(data.get("prior_scale", 0.0)),
    )


def features(
    groups: npt.NDArray[np.int64], whole: Signals, parts: Sequence[Signals]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The candidates (targets some part's search kept, or the whole's when there are no
    parts) and their `FEATURES`, one row each."""
    parts = list(parts) or [whole]
    part_ranks = np.stack([p.ranks for p in parts])
    candidates = np.flatnonzero(np.isfinite(part_ranks).any(axis=0))
    if not len(candidates):
        return candidates, np.zeros((0, len(FEATURES)))
    whole_floor = _floored(whole.ranks)
    part_floor = np.stack([_floored(r) for r in part_ranks])
    part_places = np.stack([_places(r) for r in part_floor])
    best_part = part_floor.max(axis=0)
    combined = (part_floor + whole_floor).max(axis=0)[candidates]
    whole_rank = whole_floor[candidates]
    part_rank = best_part[candidates]
    server = _two_best(groups, best_part + whole_floor)[candidates]
    place = part_places[:, candidates].min(axis=0)
    x = np.column_stack([
        whole_rank - whole_rank.max(),
        part_rank - part_rank.max(),
        combined - combined.max(),
        whole.cosines[candidates],
        np.stack([p.cosines[candidates] for p in parts]).max(axis=0),
        whole.lexical[candidates],
        np.stack([p.lexical[candidates] for p in parts]).max(axis=0),
        server - server.max(),
        np.log1p(_places(whole_floor)[candidates]),
        np.log1p(place),
        (place == 0).astype(np.float64),
        (part_places[:, candidates] < _TOP).mean(axis=0),
    ])  # fmt: skip
    return candidates, x


def choose(
    scores: npt.NDArray[np.float64],
    vectors: npt.NDArray[np.float32],
    groups: npt.NDArray[np.int64],
    k: int,
    model: Fusion,
    first: Sequence[int] = (),
    covers: npt.NDArray[np.bool_] | None = None,
) -> list[int]:
    """``k`` positions (of ``scores``' rows), greedily: ``first`` in order, then each time the
    best score once the chosen have had their say. A tool that does what a chosen tool of
    another server does (cosine of their texts) is likely the same function twice, and only
    one of them is the one wanted ("generate a QR code" from five providers); a tool of a
    chosen tool's server is likely wanted with it (a request one provider serves asks for
    several of its tools). ``covers`` (parts x targets: among the part's `COVER` best) lifts
    a target of a part not served yet: each part's tools before any part's runners-up."""
    left = np.asarray(scores, dtype=np.float64).copy()
    left[~np.isfinite(left)] = -np.inf
    penalty = np.zeros(len(left))
    bonus = np.zeros(len(left))
    chosen: list[int] = []
    queue = list(dict.fromkeys(first))
    open_parts = np.ones(0 if covers is None else len(covers), dtype=bool)
    while len(chosen) < min(k, len(left)):
        if queue:
            i = queue.pop(0)
        else:
            gain = left - model.redundancy * penalty + model.sibling * bonus
            if covers is not None and model.coverage and open_parts.any():
                gain = gain + model.coverage * covers[open_parts].any(axis=0)
            i = int(np.argmax(gain))
        if not np.isfinite(left[i]):
            break
        chosen.append(i)
        left[i] = -np.inf
        same = groups == groups[i]
        if model.redundancy:
            similar = np.asarray(vectors @ vectors[i], dtype=np.float64)
            penalty = np.maximum(penalty, np.where(same, 0.0, np.maximum(similar, 0.0)))
        bonus[same] = 1.0
        if covers is not None:
            open_parts &= ~covers[:, i]
    return chosen


def part_covers(
    whole: Signals, parts: Sequence[Signals], candidates: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Parts x candidates: is the candidate among the part's `COVER` best (no parts: the
    whole request is the one part)."""
    lists = list(parts) or [whole]
    return np.stack([(_places(_floored(p.ranks)) < COVER)[candidates] for p in lists])


def _floored(ranks: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Scores with the excluded (``-inf``) raised to the lowest known one."""
    finite = np.isfinite(ranks)
    if not finite.any():
        return np.zeros_like(ranks)
    return np.where(finite, ranks, ranks[finite].min())


def _places(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each target's place (0 = best) in the list ordered by ``scores``."""
    places = np.empty(len(scores), dtype=np.float64)
    places[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
    return places


def _two_best(
    groups: npt.NDArray[np.int64], scores: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Per target, the mean of the two best scores on its server (the best twice on a server
    of one): a server two tools of which fit is a surer one than one lucky match."""
    order = np.lexsort((-scores, groups))
    by_group, ordered = groups[order], scores[order]
    starts = np.flatnonzero(np.r_[True, by_group[1:] != by_group[:-1]])
    best = np.full(int(groups.max()) + 1, -np.inf)
    second = np.full_like(best, -np.inf)
    best[by_group[starts]] = ordered[starts]
    after = np.minimum(starts + 1, len(order) - 1)
    shared = (starts + 1 < len(order)) & (by_group[after] == by_group[starts])
    second[by_group[starts]] = np.where(shared, ordered[after], ordered[starts])
    return np.asarray(0.5 * (best + second)[groups], dtype=np.float64)
