"""Dense and lexical rankings of a base's passages fused into one (reciprocal-rank fusion).

MiniLM reads ``--detach`` as "detach" and ``subprocess.run`` as a sentence about running
things: the passage that defines the exact term is often a few places down, behind passages
about the same topic. BM25 over the passages' words and exact terms (``text.search_words``)
puts it first, but alone it is lost on a question in other words than the passage's. Fusing
the two by rank (Cormack et al., 2009) needs no common scale between a cosine and a BM25
score: a passage ranks by ``1 / (K + dense rank) + LEXICAL_WEIGHT / (K + lexical rank)``.
A passage no query word reaches gets no lexical share, so a question in other words is
ranked as before. Each hit keeps its cosine similarity: what a base decides on (the answer
bar, the planner's probe) is still a similarity.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute.text import exact_terms

__all__ = [
    "DEFINITION_WEIGHT",
    "DOCUMENT_SPACING",
    "EXACT_WEIGHT",
    "FUSION_DEPTH",
    "FUSION_K",
    "LEXICAL_WEIGHT",
    "ScoredPassages",
    "diversified",
    "fused_order",
    "lexical_weight",
]

FUSION_K = 60
"""The rank offset of reciprocal-rank fusion (the usual 60: the first few ranks differ
little, so neither list alone decides)."""
LEXICAL_WEIGHT = 1.0
"""The lexical ranking's share against the dense one's (1.0: equal)."""
EXACT_WEIGHT = 2.0
"""The lexical share when the query carries an exact term (an option, a hyphenated or dotted
name): the word is then the question, and MiniLM reads it worst. Tuned on the train split of
benchmarks/bench_knowledge.py (oracle base): one weight for all, 0.5 / 1.0 / 1.5 / 2.0, put
the gold document first for 39.0 / 40.8 / 39.9 / 39.0% of held-out questions and the exact
name's passage first for 89.0 / 91.4 / 94.5 / 94.8% of exact ones; 1.0 and 2.0 by the query
gave 40.4% and 94.8%, 1.0 and 3.0 39.9% and 94.8%. ``FUSION_K`` 20 or 120 changed little."""
FUSION_DEPTH = 50
"""How deep in each ranking a passage is a candidate."""
DOCUMENT_SPACING = 3
"""How many places each earlier passage of the same document moves a passage down
(``diversified``). Tuned on the train split of benchmarks/bench_knowledge.py (oracle base,
gold document in the top 3 / option passage in the top 3): 0 → 56.5 / 96.6%, 2 → 57.4 /
96.6%, 3 → 57.6 / 96.6%, 4 → 58.1 / 95.7%, 6 → 58.5 / 94.5%."""
DEFINITION_WEIGHT = 1.0
"""The share of the passages that define a query's exact term (``_definitions``), ranked among
themselves by BM25, scaled by how much of the query the term is. Tuned on the train split of
benchmarks/bench_knowledge.py (oracle base): exact names' passage first 95.2% without it,
99.3 / 99.0 / 99.0% at 1 / 2 / 4 (dotted names 78.3% → 97.8%), option passages in the top 3
96.9% → 96.6 / 96.3 / 95.7%; unscaled by the query's share, 1.0 gave 99.0% and 95.7%."""


@dataclass(frozen=True)
class ScoredPassages:
    """A base's candidate passages for one query, row for row: ids, texts, metadata, cosine
    similarity and BM25 score (what ``fused_order`` ranks; every passage of a base searched
    over its snapshot, the nearest and the best-worded ones of a base chromadb searched)."""

    ids: Sequence[str]
    texts: Sequence[str]
    metadatas: Sequence[Any]
    similarities: npt.NDArray[np.float64]
    lexical: npt.NDArray[np.float64]
    defining: npt.NDArray[np.float64]
    """How much of the query the exact terms each passage defines make up (``_definitions``)."""


def lexical_weight(query: str) -> float:
    """The lexical ranking's share for ``query``: more when it names an exact term."""
    return EXACT_WEIGHT if exact_terms(query) else LEXICAL_WEIGHT


def fused_order(
    similarities: npt.ArrayLike,
    lexical: npt.ArrayLike,
    k: int,
    *,
    depth: int = FUSION_DEPTH,
    weight: float = LEXICAL_WEIGHT,
    offset: int = FUSION_K,
    defining: npt.ArrayLike | None = None,
    defining_weight: float = DEFINITION_WEIGHT,
) -> list[int]:
    """The ``k`` best rows by fused rank, best first; ``similarities`` and ``lexical`` give
    every row's cosine and BM25 score (0: no term shared); ``defining``, how much of the
    query the exact terms each row defines make up (``_definitions``; none: no row does)."""
    sims = np.asarray(similarities, dtype=np.float64)
    lex = np.asarray(lexical, dtype=np.float64)
    n = len(sims)
    if n == 0 or k <= 0:
        return []
    dense = np.argsort(-sims, kind="stable")
    if not lex.any() or weight <= 0:
        return [int(i) for i in dense[:k]]
    words = np.flatnonzero(lex > 0)
    words = words[np.argsort(-lex[words], kind="stable")]
    lexical_share = np.zeros(n, dtype=np.float64)
    lexical_share[words] = weight / (offset + 1.0 + np.arange(len(words)))
    chosen = [dense[: max(depth, k)], words[:depth]]
    if defining is not None and defining_weight > 0:
        cover = np.asarray(defining, dtype=np.float64)
        defines = words[cover[words] > 0]  # by BM25 among themselves
        lexical_share[defines] += (
            defining_weight * cover[defines] / (offset + 1.0 + np.arange(len(defines)))
        )
        chosen.append(defines[:depth])
    candidates = np.unique(np.concatenate(chosen))
    dense_rank = np.empty(n, dtype=np.float64)
    dense_rank[dense] = np.arange(n)
    score = 1.0 / (offset + 1.0 + dense_rank[candidates]) + lexical_share[candidates]
    order = np.lexsort((-sims[candidates], -score))
    return [int(candidates[i]) for i in order[:k]]


def diversified(
    order: Sequence[int],
    documents: Mapping[int, Hashable],
    k: int,
    *,
    spacing: int = DOCUMENT_SPACING,
) -> list[int]:
    """The first ``k`` of ``order`` (rows, best first) with each passage moved ``spacing``
    places down per earlier passage of its document (``documents[row]``): one long manual
    page's passages about the question's topic leave room for the other documents about it,
    and the first passage stays first (what a base's probe reads)."""
    seen: dict[Hashable, int] = {}
    keyed = []
    for place, row in enumerate(order):
        earlier = seen.get(documents[row], 0)
        seen[documents[row]] = earlier + 1
        keyed.append((place + spacing * earlier, place, row))
    return [row for _, _, row in sorted(keyed)[:k]]
