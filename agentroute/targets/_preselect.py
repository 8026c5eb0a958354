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
together (two-level retrieval, provider then tools). The 40 best targets by that sum are then
ordered by a linear model fitted on bench_preselection.py's train split
(`agentroute.targets._rerank`): how the sum's terms, BM25 over the tools' words and names,
where a candidate and its server stand among the others, how many parts its server serves,
whether it has a description at all, where the plain sentence cosine ranks it and how much of
the request's words, weighed by rarity, its server's texts hold weigh (recall@5 on held-out
halves of the train split 0.809 / 0.821 summed, 0.818 / 0.825 with the first six kinds of
feature, 0.831 / 0.842 with the next three, 0.834 / 0.845 with the server's coverage).

The turn's shortlist (`agentroute.turn._shortlist`) narrows the planner's tools with this same
function, so what benchmarks/bench_preselection.py measures is what a turn shows its planner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from agentroute.embeddings import top_k
from agentroute.targets._index import EncodedQuery, ScoredTarget, TargetIndex, _Matrix, _Scored
from agentroute.targets._rerank import BASE_FEATURES, feature_table, load_reranker
from agentroute.targets._texts import retrieval_text
from agentroute.text import asks_to_write, split_clauses
from agentroute.text._bm25 import LexicalIndex
from agentroute.types import TargetKind

__all__ = ["candidate_table", "preselect", "request_parts"]

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
"""How many of each part's own best targets are marked as such (the re-ranker's ``first``)
and, without a re-ranker, come before the rest."""
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
CANDIDATES = 40
"""How many targets, by the summed score, the re-ranker (when none ships: the order) sees."""
SERVED_TOP = 3
"""A part is served by a server when one of the server's targets is among its 3 best (the
re-ranker's ``server_parts``)."""
FIRST = BASE_FEATURES.index("first")
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
    rerank: bool = True,
) -> list[ScoredTarget]:
    """The ``k`` targets that best serve the request's parts, best first.

    Each hit's ``score`` is its cosine with the whole request (as `TargetIndex.search`);
    ``rank_score`` is the summed score the candidates are drawn by. ``encode`` turns a text
    into the index's query (default `TargetIndex.encode_query`, which caches). A request of
    several parts is ordered by the learned re-ranker (`agentroute.targets._rerank`) when one
    ships and ``rerank`` is on; with ``per_part``, each part's ``per_part`` best targets come
    first whatever the order (without the re-ranker, ``PER_PART`` of them). With
    ``read_only_parts``, a part that asks to change nothing (`agentroute.text.asks_to_write`)
    retrieves no target that writes: no ``git_commit`` for "show me the last 5 commits".
    """
    m = index._matrix()
    if not m.names or k <= 0:
        return []
    table = candidate_table(index, request, k, kinds, prior=prior, encode=encode,
                            per_part=per_part or PER_PART, read_only_parts=read_only_parts)  # fmt: skip
    combined, whole, positions, base = table
    if base is None:
        return index._hits(m, _Scored(combined, whole.sims, whole.cosines), positions[:k], prior)
    model = load_reranker() if rerank else None
    firsts = [int(i) for i in positions[base[:, FIRST] > 0]]
    if model is None:
        order = firsts[:k] if per_part is None else firsts
    else:
        learned = model.scores(feature_table(base, m.groups[positions]))
        ranked = [int(positions[i]) for i in np.argsort(-learned, kind="stable")]
        order = [] if per_part is None else firsts
        order += [i for i in ranked if i not in order]
    order += [int(i) for i in positions if int(i) not in order]
    return index._hits(m, _Scored(combined, whole.sims, whole.cosines), order[:k], prior)


def candidate_table(
    index: TargetIndex,
    request: str,
    k: int = 5,
    kinds: set[TargetKind] | None = None,
    *,
    prior: Mapping[str, float] | None = None,
    encode: Callable[[str], EncodedQuery] | None = None,
    per_part: int = PER_PART,
    read_only_parts: bool = False,
    candidates: int | None = None,
) -> tuple[npt.NDArray[np.float64], _Scored, npt.NDArray[np.int64], npt.NDArray[np.float64] | None]:
    """The summed rank score of every target, the whole request's scoring, the best
    candidates' positions (best first) and, for a request of several parts, their
    `agentroute.targets._rerank.BASE_FEATURES` (one row each; None for a one-part request,
    whose positions are then its whole order). ``k`` is how many the caller wants (it sizes
    the index's first stage, `TargetIndex.candidates`); ``candidates`` (at least ``k``) how
    many are drawn."""
    m = index._matrix()
    encode = encode or index.encode_query
    if candidates is None:
        model = load_reranker()
        candidates = model.candidates if model else CANDIDATES
    wanted = max(k, candidates)

    def scored(text: str) -> _Scored:
        out = index._scored(m, encode(text), k, kinds, prior, LEXICAL_WEIGHT)
        if read_only_parts and not asks_to_write(text) and m.writes.any():
            return _Scored(np.where(m.writes, -np.inf, out.ranks), out.sims, out.cosines)
        return out

    parts = request_parts(request)
    whole = scored(request)
    if not parts:
        ranks = _with_siblings(m.groups, whole.ranks) if SIBLING_WEIGHT else whole.ranks
        return ranks, whole, _finite_top(ranks, wanted), None
    context = WHOLE_WEIGHT * _floored(whole.ranks)
    combined = np.full(len(m.names), -np.inf)
    own = np.full(len(m.names), -np.inf)
    first = np.zeros(len(m.names))
    served = np.zeros(len(m.group_sizes))  # per server, how many parts it serves
    cosines = [_best_cosines(m, whole)]
    for part in parts:
        part_scored = scored(part)
        part_ranks = part_scored.ranks
        cosines.append(_best_cosines(m, part_scored))
        own = np.maximum(own, part_ranks)
        served[np.unique(m.groups[_finite_top(part_ranks, SERVED_TOP)])] += 1.0
        ranks = part_ranks + context
        combined = np.maximum(combined, ranks)
        for i in top_k(ranks, per_part):  # each part's own best
            if np.isfinite(ranks[i]):
                first[int(i)] = 1.0
    siblings = _with_siblings(m.groups, _floored(own)) - _floored(own)
    if SIBLING_WEIGHT:
        combined = _with_siblings(m.groups, combined)
    words = _server_words(m, [request, *parts])
    if SERVER_WORDS_WEIGHT:
        combined = combined + SERVER_WORDS_WEIGHT * words
    positions = _finite_top(combined, wanted)
    base = np.stack([
        combined[positions],
        _floored(whole.ranks)[positions],
        _floored(own)[positions],
        words[positions],
        siblings[positions],
        _shares(m.lexical, [request])[positions],
        _shares(m.name_lexical, [request, *parts])[positions],
        first[positions],
        [not m.descriptors[int(i)].description.strip() for i in positions],
        served[m.groups[positions]] / len(parts),
        _cosine_ranks(cosines, positions, m.kinds, kinds),
        m.server_lexical.coverage(retrieval_text(request))[m.groups[positions]],
    ], axis=1)  # fmt: skip
    return combined, whole, positions, base


def _best_cosines(m: _Matrix, scored: _Scored) -> npt.NDArray[np.float32]:
    """Per target, the sentence cosine of its best-matching text."""
    out: npt.NDArray[np.float32] = np.maximum.reduceat(scored.cosines, m.starts)
    return out


def _cosine_ranks(
    cosines: list[npt.NDArray[np.float32]],
    positions: npt.NDArray[np.int64],
    target_kinds: npt.NDArray[np.object_],
    kinds: set[TargetKind] | None,
) -> npt.NDArray[np.float64]:
    """Per candidate, 1 / (1 + its best rank by the sentence cosine over the request and its
    parts), among the targets of the wanted kinds: where the plain cosine puts a target,
    which the token-matched rank score does not see."""
    allowed = None if kinds is None else np.isin(target_kinds, [TargetKind(k).value for k in kinds])
    best = np.full(len(positions), np.inf)
    for cos in cosines:
        pool = cos if allowed is None else cos[allowed]
        above = (pool[None, :] > cos[positions][:, None]).sum(axis=1)
        best = np.minimum(best, above)
    return 1.0 / (1.0 + best)


def _finite_top(ranks: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.int64]:
    """The ``k`` best positions, best first, without the excluded (``-inf``)."""
    top = np.asarray(top_k(ranks, k), dtype=np.int64)
    return top[np.isfinite(ranks[top])]


def _shares(lexical: LexicalIndex, texts: list[str]) -> npt.NDArray[np.float64]:
    """Per document, its best BM25 score over ``texts``, each over that text's best one's."""
    best = np.zeros(lexical.size, dtype=np.float64)
    for text in texts:
        scores = lexical.scores(retrieval_text(text))
        top = float(scores.max()) if len(scores) else 0.0
        if top > 0.0:
            best = np.maximum(best, scores / top)
    return best


def _server_words(m: _Matrix, texts: list[str]) -> npt.NDArray[np.float64]:
    """Per target, the best share (over ``texts``) of its server's BM25 score over the best
    server's: the request and its parts matched against each server's whole vocabulary
    (`_Matrix.server_lexical`), so the words a request spreads over two tools of one provider
    count together (two-level retrieval: the provider, then its tools)."""
    return _shares(m.server_lexical, texts)[m.groups]


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
