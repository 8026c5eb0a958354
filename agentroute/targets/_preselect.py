"""Preselection: the few tools, among thousands, that a whole request may need.

A request of several sentences ("I'm planning a trip. Find flights to Rome, and tell me the
weather there.") needs one tool per part, but embedded whole it is one point between them, and
the tool nearest that point may serve none of its parts. Each part (sentence or clause,
`agentroute.text.split_clauses`) therefore retrieves its own hits and the request as a whole
retrieves too; the lists are merged by reciprocal rank fusion, so every part's best tools
come first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from agentroute.targets._index import EncodedQuery, ScoredTarget, TargetIndex
from agentroute.text import split_clauses
from agentroute.types import TargetKind

__all__ = ["preselect", "request_parts"]

FUSION_C = 10.0
MERGE = "rrf"
WHOLE_BONUS = 0.0
"""Reciprocal rank fusion's constant: a hit at rank r counts 1 / (FUSION_C + r)."""


def request_parts(request: str) -> list[str]:
    """The texts a request is searched with: itself, then each of its parts (deduplicated)."""
    parts = split_clauses(request)
    return list(dict.fromkeys([request.strip(), *parts])) if len(parts) > 1 else [request.strip()]


def preselect(
    index: TargetIndex,
    request: str,
    k: int = 5,
    kinds: set[TargetKind] | None = None,
    *,
    prior: Mapping[str, float] | None = None,
    encode: Callable[[str], EncodedQuery] | None = None,
    depth: int | None = None,
) -> list[ScoredTarget]:
    """The ``k`` targets the request as a whole and its parts retrieve, fused, best first.

    ``encode`` turns a text into the index's query (default `TargetIndex.encode_query`, which
    caches); ``depth`` is how many hits each text contributes (default ``k``).
    """
    texts = request_parts(request)
    encode = encode or index.encode_query
    if len(texts) == 1:
        return index.search_encoded(encode(texts[0]), k, kinds, prior=prior)
    depth = depth or k
    fused: dict[str, float] = {}
    best: dict[str, ScoredTarget] = {}
    lists = [index.search_encoded(encode(text), depth, kinds, prior=prior) for text in texts]
    if MERGE == "rrf":
        for hits in lists:
            for rank, hit in enumerate(hits):
                name = hit.descriptor.name
                fused[name] = fused.get(name, 0.0) + 1.0 / (FUSION_C + rank)
                if name not in best or hit.score > best[name].score:
                    best[name] = hit
    elif MERGE == "max":
        for j, hits in enumerate(lists):
            for hit in hits:
                name = hit.descriptor.name
                v = hit.rank_score + (WHOLE_BONUS if j == 0 else 0.0)
                if v > fused.get(name, -1e9):
                    fused[name] = v
                    best[name] = hit
    else:  # round robin: each part's best first, the whole request's list first
        order_: list[str] = []
        for rank in range(depth):
            for hits in lists:
                if rank < len(hits):
                    name = hits[rank].descriptor.name
                    best.setdefault(name, hits[rank])
                    if name not in order_:
                        order_.append(name)
        return [best[n] for n in order_[:k]]
    order = sorted(fused, key=lambda n: -fused[n])[:k]
    return [best[n] for n in order]
