"""Preselection: the few tools, among thousands, that a whole request may need.

A request of several sentences ("I'm planning a trip. Find flights to Rome, and tell me the
weather there.") needs one tool per part, but embedded whole it is one point between them,
and the tools nearest that point may all serve its first part. Each part (sentence or clause,
`agentroute.text.split_clauses`) is therefore scored on its own: a target ranks by its best
score under any part plus a share of its score under the whole request (which keeps the
context a part leaves out: "the park" of "the weather forecast for the park"), so every part's
best tools rise to the top. A tool also gains a share of the best scores on its server (a
request of one part too): a request one provider's tool serves often needs that provider's
other tools.

How these signals add up is learned (`agentroute.targets._fusion`, fitted on the train split
by benchmarks/fit_preselection.py): a linear ranker over each target's scores and places in
the whole's and the parts' lists. The top ``k`` are then chosen one by one (`choose`): a tool
doing what a chosen tool of another server does sinks, a chosen tool's siblings rise. Without
the fitted file, the hand-set shares below rank.

The turn's shortlist (`agentroute.turn._shortlist`) narrows the planner's tools with this same
function, so what benchmarks/bench_preselection.py measures is what a turn shows its planner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from agentroute.embeddings import top_k
from agentroute.targets._fusion import (
    Fusion,
    Signals,
    _floored,
    _two_best,
    choose,
    features,
    load_fusion,
    part_covers,
)
from agentroute.targets._index import EncodedQuery, ScoredTarget, TargetIndex, _Matrix, _Scored
from agentroute.text import asks_to_write, split_clauses
from agentroute.types import TargetKind

__all__ = ["DEFAULT", "preselect", "request_parts", "searches", "signals"]

DEFAULT: Fusion = Fusion(np.zeros(0), np.ones(0), np.zeros(0))
"""Stands for "the fitted model" in `preselect`'s ``fusion`` (None is the hand-set shares)."""

LEXICAL_WEIGHT = 0.2
"""Share of the BM25 score (over the best target's) in the rank, whatever the index's own
(`TargetIndex.lexical_weight`, off by default for the short single-clause searches of the
planner): long requests naming a provider or a rare word gain from it (chosen on
bench_preselection.py's train split: 0.1 → 0.2 recall@5 +0.6 points at 1,000 tools and +0.9 at
2,479 with the two-best server share; 0.3 gains at 2,479 what it loses at 1,000)."""
WHOLE_WEIGHT = 1.0
"""Share of the whole request's rank score added to a target's best part score."""
PER_PART = 1
"""How many of each part's own best targets come before the rest, by the hand-set shares. The
fusion forces none in by default: its choice serves each part before any part's runners-up
(`agentroute.targets._fusion.choose`'s coverage share), which scored better on
bench_preselection.py's train split (benchmarks/fit_preselection.py --per-part 0 / 1)."""
SIBLING_WEIGHT = 0.6
"""Share of its server's best ranks added to a target's own (`_with_siblings`). On
bench_preselection.py's train split the share of the server's best rank alone took recall@5
+0.9 points at 1,000 tools and +1.2 at 2,479; with the two-best mean, 0.4-0.8 are all within
one point of each other."""
MIN_PART_WORDS = 3
"""Shorter parts ("Additionally", "Thank you") carry no task of their own."""


def request_parts(request: str) -> list[str]:
    """The parts of a request that are scored on their own (none when it has one)."""
    parts = [p for p in split_clauses(request) if len(p.split()) >= MIN_PART_WORDS]
    return list(dict.fromkeys(parts)) if len(parts) > 1 else []


def preselect(
    index: TargetIndex,
    request: str,
    k: int = 5,
    kinds: set[TargetKind] | None = None,
    *,
    prior: Mapping[str, float] | None = None,
    encode: Callable[[str], EncodedQuery] | None = None,
    per_part: int | None = None,
    read_only_parts: bool = False,
    fusion: Fusion | None = DEFAULT,
) -> list[ScoredTarget]:
    """The ``k`` targets that best serve the request's parts, best first.

    Each hit's ``score`` is its cosine with the whole request (as `TargetIndex.search`);
    ``rank_score`` is what they are ordered by: the learned fusion of every search's signals
    (``fusion``, by default the fitted `agentroute.targets._fusion` model; None: the hand-set
    shares). ``encode`` turns a text into the index's query (default
    `TargetIndex.encode_query`, which caches). Each part's ``per_part`` best targets come
    first (default: `PER_PART` with the hand-set shares, none with the fusion, whose choice
    serves every part in turn). With ``read_only_parts``, a part that asks to change nothing
    (`agentroute.text.asks_to_write`) retrieves no target that writes: no ``git_commit``
    for "show me the last 5 commits".
    """
    m = index._matrix()
    if not m.names or k <= 0:
        return []
    model = load_fusion() if fusion is DEFAULT else fusion
    # the fusion reads the searches without the prior, and adds it on its own scale
    before = prior if model is None else None
    whole, parts = searches(index, request, k, kinds, before, encode, read_only_parts)
    if model is None:
        first_of_each = PER_PART if per_part is None else per_part
        return _hand_set(index, m, whole, parts, k, first_of_each, prior)
    whole_signals, part_signals = signals(m, whole), [signals(m, p) for p in parts]
    candidates, x = features(m.groups, whole_signals, part_signals)
    fused = np.full(len(m.names), -np.inf)
    if len(candidates):
        fused[candidates] = model.score(x)
    for name, bonus in (prior or {}).items():
        at_name = m.position.get(name)
        if at_name is not None:
            fused[at_name] += model.prior_scale * bonus
    firsts: dict[int, float] = {}
    for part in parts:  # each part's own best first
        for i in top_k(part.ranks, per_part or 0):
            if np.isfinite(part.ranks[i]) and np.isfinite(fused[i]):
                firsts[int(i)] = float(fused[i])
    at = {int(c): n for n, c in enumerate(candidates)}
    first = [at[i] for i in sorted(firsts, key=lambda i: -firsts[i])[:k]]
    covers = part_covers(whole_signals, part_signals, candidates)
    vectors = m.rows[m.starts[candidates]]
    picked = choose(fused[candidates], vectors, m.groups[candidates], k, model, first, covers)
    order = [int(candidates[n]) for n in picked]
    return index._hits(m, _Scored(fused, whole.sims, whole.cosines), order, prior)


def searches(
    index: TargetIndex,
    request: str,
    k: int,
    kinds: set[TargetKind] | None = None,
    prior: Mapping[str, float] | None = None,
    encode: Callable[[str], EncodedQuery] | None = None,
    read_only_parts: bool = False,
) -> tuple[_Scored, list[_Scored]]:
    """The whole request's search and each part's (`request_parts`; none for one part)."""
    m = index._matrix()
    encode = encode or index.encode_query

    def scored(text: str) -> _Scored:
        out = index._scored(m, encode(text), k, kinds, prior, LEXICAL_WEIGHT)
        if read_only_parts and not asks_to_write(text) and m.writes.any():
            ranks = np.where(m.writes, -np.inf, out.ranks)
            return _Scored(ranks, out.sims, out.cosines, out.lexical)
        return out

    return scored(request), [scored(part) for part in request_parts(request)]


def signals(m: _Matrix, scored: _Scored) -> Signals:
    """One search as the fusion reads it: per target, rank score, best cosine, BM25 share."""
    cosines = np.maximum.reduceat(scored.cosines, m.starts).astype(np.float64)
    lexical = scored.lexical if scored.lexical is not None else np.zeros(len(m.names))
    return Signals(scored.ranks, cosines, lexical)


def _hand_set(
    index: TargetIndex,
    m: _Matrix,
    whole: _Scored,
    parts: list[_Scored],
    k: int,
    per_part: int,
    prior: Mapping[str, float] | None,
) -> list[ScoredTarget]:
    """The rank of hand-set shares: best part score, plus the whole's, plus the server's."""
    if not parts:
        ranks = _with_siblings(m.groups, whole.ranks) if SIBLING_WEIGHT else whole.ranks
        return index._hits(m, _Scored(ranks, whole.sims, whole.cosines), top_k(ranks, k), prior)
    context = WHOLE_WEIGHT * _floored(whole.ranks)
    combined = np.full(len(m.names), -np.inf)
    firsts: dict[int, float] = {}
    for part in parts:
        ranks = part.ranks + context
        combined = np.maximum(combined, ranks)
        for i in top_k(ranks, per_part):  # each part's own best first
            if np.isfinite(ranks[i]):
                firsts[int(i)] = max(firsts.get(int(i), -np.inf), float(ranks[i]))
    if SIBLING_WEIGHT:
        combined = _with_siblings(m.groups, combined)
    order = sorted(firsts, key=lambda i: -firsts[i])[:k]
    order += [int(i) for i in top_k(combined, 2 * k) if int(i) not in firsts][: k - len(order)]
    return index._hits(m, _Scored(combined, whole.sims, whole.cosines), order, prior)


def _with_siblings(
    groups: npt.NDArray[np.int64], ranks: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Ranks plus a share of the mean of the two best ranks on each target's server (recall@5
    +1 point at 2,479 tools on bench_preselection.py's train split)."""
    return ranks + SIBLING_WEIGHT * _two_best(groups, _floored(ranks))
