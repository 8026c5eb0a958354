"""Preselection: the few tools, among thousands, that a whole request may need.

A request of several sentences ("I'm planning a trip. Find flights to Rome, and tell me the
weather there.") needs one tool per part, but embedded whole it is one point between them,
and the tools nearest that point may all serve its first part. Each part (sentence or clause,
`agentroute.text.split_clauses`) is therefore scored on its own: a target ranks by its best
score under any part plus a share of its score under the whole request (which keeps the
context a part leaves out: "the park" of "the weather forecast for the park"), so every part's
best tools rise to the top. A tool also gains a share of the best scores on its server (a
request of one part too): a request one provider's tool serves often needs that provider's
other tools. A request of several parts also scores each server as a whole, by its words:
BM25 of the request and of each part over one document per server (its name, its tools' names
and descriptions), so the words a request spreads over two tools of one provider count
together (two-level retrieval, provider then tools).

The turn's shortlist (`agentroute.turn._shortlist`) narrows the planner's tools with this same
function, so what benchmarks/bench_preselection.py measures is what a turn shows its planner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from agentroute.embeddings import top_k
from agentroute.targets._index import EncodedQuery, ScoredTarget, TargetIndex, _Matrix, _Scored
from agentroute.targets._texts import retrieval_text
from agentroute.text import asks_to_write, split_clauses
from agentroute.types import TargetKind

__all__ = ["preselect", "request_parts"]

LEXICAL_WEIGHT = 0.2
"""Share of the BM25 score (over the best target's) in the rank, whatever the index's own
(`TargetIndex.lexical_weight`, off by default for the short single-clause searches of the
planner): long requests naming a provider or a rare word gain from it (chosen on
bench_preselection.py's train split: 0.1 → 0.2 recall@5 +0.6 points at 1,000 tools and +0.9 at
2,479 with the two-best server share; 0.3 gains at 2,479 what it loses at 1,000)."""
WHOLE_WEIGHT = 1.3
"""Share of the whole request's rank score added to a target's best part score (1.0 -> 1.3 with
the server's words on, bench_preselection.py's train split: recall@5 +0.8 points at 300 and
1,000 tools, +0.1 at 2,479; 1.6 and 2.0 lose at 2,479)."""
PER_PART = 1
"""How many of each part's own best targets come before the rest."""
SIBLING_WEIGHT = 0.6
"""Share of its server's best ranks added to a target's own (`_with_siblings`). On
bench_preselection.py's train split the share of the server's best rank alone took recall@5
+0.9 points at 1,000 tools and +1.2 at 2,479; with the two-best mean, 0.4-0.8 are all within
one point of each other."""
SERVER_WORDS_WEIGHT = 0.5
"""Share of the server's BM25 score (`_server_words`) added to each of its tools. On
bench_preselection.py's train split (0.3 / 0.5 / 0.7 / 1.0 tried) 0.5 took recall@5 +1.1
points at 300 tools, +0.3 at 1,000 and +0.7 at 2,479. Only for requests of several parts:
on a short one ("stage README.md") one shared word ("deal stage") lifts a whole server."""
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
    per_part: int = PER_PART,
    read_only_parts: bool = False,
) -> list[ScoredTarget]:
    """The ``k`` targets that best serve the request's parts, best first.

    Each hit's ``score`` is its cosine with the whole request (as `TargetIndex.search`);
    ``rank_score`` is what they are ordered by. ``encode`` turns a text into the index's
    query (default `TargetIndex.encode_query`, which caches). Each part's ``per_part`` best
    targets come first. With ``read_only_parts``, a part that asks to change nothing
    (`agentroute.text.asks_to_write`) retrieves no target that writes: no ``git_commit``
    for "show me the last 5 commits".
    """
    m = index._matrix()
    if not m.names or k <= 0:
        return []
    encode = encode or index.encode_query

    def scored(text: str) -> _Scored:
        out = index._scored(m, encode(text), k, kinds, prior, LEXICAL_WEIGHT)
        if read_only_parts and not asks_to_write(text) and m.writes.any():
            return _Scored(np.where(m.writes, -np.inf, out.ranks), out.sims, out.cosines)
        return out

    parts = request_parts(request)
    whole = scored(request)
    if not parts:
        ranks = _with_siblings(m.groups, whole.ranks) if SIBLING_WEIGHT else whole.ranks
        return index._hits(m, _Scored(ranks, whole.sims, whole.cosines), top_k(ranks, k), prior)
    context = WHOLE_WEIGHT * _floored(whole.ranks)
    combined = np.full(len(m.names), -np.inf)
    firsts: dict[int, float] = {}
    for part in parts:
        ranks = scored(part).ranks + context
        combined = np.maximum(combined, ranks)
        for i in top_k(ranks, per_part):  # each part's own best first
            if np.isfinite(ranks[i]):
                firsts[int(i)] = max(firsts.get(int(i), -np.inf), float(ranks[i]))
    if SIBLING_WEIGHT:
        combined = _with_siblings(m.groups, combined)
    if SERVER_WORDS_WEIGHT:
        combined = combined + SERVER_WORDS_WEIGHT * _server_words(m, [request, *parts])
    order = sorted(firsts, key=lambda i: -firsts[i])[:k]
    order += [int(i) for i in top_k(combined, 2 * k) if int(i) not in firsts][: k - len(order)]
    return index._hits(m, _Scored(combined, whole.sims, whole.cosines), order, prior)


def _server_words(m: _Matrix, texts: list[str]) -> npt.NDArray[np.float64]:
    """Per target, the best share (over ``texts``) of its server's BM25 score over the best
    server's: the request and its parts matched against each server's whole vocabulary
    (`_Matrix.server_lexical`), so the words a request spreads over two tools of one provider
    count together (two-level retrieval: the provider, then its tools)."""
    lexical = m.server_lexical
    best = np.zeros(lexical.size, dtype=np.float64)
    for text in texts:
        scores = lexical.scores(retrieval_text(text))
        top = float(scores.max()) if len(scores) else 0.0
        if top > 0.0:
            best = np.maximum(best, scores / top)
    return best[m.groups]


def _floored(ranks: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Scores with the excluded (``-inf``) raised to the lowest known one: a target the whole
    request's first stage left out still counts by its parts."""
    finite = np.isfinite(ranks)
    if not finite.any():
        return np.zeros_like(ranks)
    return np.where(finite, ranks, ranks[finite].min())


def _with_siblings(
    groups: npt.NDArray[np.int64], ranks: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Ranks plus a share of the mean of the two best ranks on each target's server (the best
    twice on a server of one): a request a provider's tool serves often needs that provider's
    other tools too, and a server two tools of which fit is a surer one than a server with one
    lucky match (recall@5 +1 point at 2,479 tools on bench_preselection.py's train split)."""
    floored = _floored(ranks)
    order = np.lexsort((-floored, groups))  # by server, best first
    by_group, sorted_ranks = groups[order], floored[order]
    starts = np.flatnonzero(np.r_[True, by_group[1:] != by_group[:-1]])
    best = np.full(int(groups.max()) + 1, -np.inf)
    second = np.full_like(best, -np.inf)
    best[by_group[starts]] = sorted_ranks[starts]
    after = np.minimum(starts + 1, len(order) - 1)
    shared = (starts + 1 < len(order)) & (by_group[after] == by_group[starts])
    second[by_group[starts]] = np.where(shared, sorted_ranks[after], sorted_ranks[starts])
    return ranks + SIBLING_WEIGHT * 0.5 * (best + second)[groups]
