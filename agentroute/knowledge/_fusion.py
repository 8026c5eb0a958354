"""Dense and lexical rankings of a base's passages fused into one.

MiniLM reads ``--detach`` as "detach" and ``subprocess.run`` as a sentence about running
things: the passage that defines the exact term is often a few places down, behind passages
about the same topic. BM25 over the passages' words and exact terms (``text.search_words``)
puts it first, but alone it is lost on a question in other words than the passage's. So a
passage scores its cosine similarity plus ``LEXICAL_SHARE`` of its BM25 score relative to
the query's best one (times ``EXACT_WEIGHT`` when the query names an exact term a passage
writes), plus ``DEFINITION_WEIGHT`` times how much of the query the exact terms it defines
make up (``_definitions``). A passage no query word reaches gets no lexical share, so a
question in other words is ranked as before. Each hit keeps its cosine similarity: what a
base decides on (the answer bar, the planner's probe) is still a similarity.

Scores, not ranks, are fused (sessions 10-14 fused ranks, ``1 / (60 + rank)`` each): rank
fusion forgets by how much a passage leads. The passage the dense ranking put clearly first
(cosine 0.64 against 0.54 for the next) fell below 50 passages that were middling in both
rankings, and the gold document of a held-out sentence with it. Train splits, rank fusion →
score fusion: benchmarks/bench_knowledge.py (oracle base) gold document @1 / @3 / @10 39.7 /
57.6 / 71.1% → 40.1 / 59.4 / 72.0%, option's passage @3 96.6 → 96.9%, exact name first
99.0 → 99.3%; bench_answers gold document 45.5 / 65.1 / 78.3% → 48.9 / 68.1 / 78.7%.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
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
    "LEXICAL_SHARE",
    "LEXICAL_WEIGHT",
    "ScoredPassages",
    "diversified",
    "fused_order",
    "lexical_weight",
]

LEXICAL_SHARE = 0.2
"""What a passage with the query's best BM25 score adds to its cosine similarity (one with
half of it, half as much). Tuned on the train splits, with ``DEFINITION_WEIGHT`` twice it
(equal to it, dotted names first fell from 97.8% to 95.7%): bench_knowledge.py's oracle gold
document @3 / option passage @3 / exact name first 59.4 / 96.9 / 99.3% at 0.2, 60.1 / 97.6 /
99.3% at 0.3, 60.8 / 97.9 / 99.3% at 0.4; bench_answers' key fact 74.3 / 74.3 / 73.0%; but
bench_kb_routing's probe, which routes by its base's first passage, lost generated single
questions as the share grew (60.0% with rank fusion; 58.8 / 57.6 / 57.0%)."""
LEXICAL_WEIGHT = 1.0
"""The lexical share's multiplier for a query in plain words."""
EXACT_WEIGHT = 2.0
"""The lexical share's multiplier when the query carries an exact term (an option, a
hyphenated or dotted name) that a passage writes: the word is then the question, and MiniLM
reads it worst."""
FUSION_DEPTH = 50
"""How deep in each ranking a passage is a candidate when chromadb is searched (a filter, or
a base too big for a snapshot): its nearest passages and BM25's best ones."""
DOCUMENT_SPACING = 3
"""How many places each earlier passage of the same document moves a passage down
(``diversified``). Tuned on the train split of benchmarks/bench_knowledge.py (oracle base,
gold document in the top 3 / option passage in the top 3, rank fusion): 0 → 56.5 / 96.6%,
2 → 57.4 / 96.6%, 3 → 57.6 / 96.6%, 4 → 58.1 / 95.7%, 6 → 58.5 / 94.5%."""
DEFINITION_WEIGHT = 0.4
"""What a passage that defines all of a query's exact terms (``_definitions``) adds to its
score; one defining a term that is part of the query, that share of it. Tuned with
``LEXICAL_SHARE`` (above): the passage that says what ``copy.deepcopy`` is must beat the
examples that call it more often."""


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


def lexical_weight(query: str, written: Callable[[str], bool] | None = None) -> float:
    """The lexical share's multiplier for ``query``: more when it names an exact term that a
    passage writes (``written``; none given: any). An exact term no passage writes
    ("higher-level", a package name held out of its record) leaves BM25 only the query's
    common words: weighed as an exact term, they outranked the passage closest in meaning."""
    terms = exact_terms(query)
    if written is not None:
        terms = [t for t in terms if written(t)]
    return EXACT_WEIGHT if terms else LEXICAL_WEIGHT


def fused_order(
    similarities: npt.ArrayLike,
    lexical: npt.ArrayLike,
    k: int,
    *,
    weight: float = LEXICAL_WEIGHT,
    share: float = LEXICAL_SHARE,
    defining: npt.ArrayLike | None = None,
    defining_weight: float = DEFINITION_WEIGHT,
) -> list[int]:
    """The ``k`` best rows by fused score, best first; ``similarities`` and ``lexical`` give
    every row's cosine and BM25 score (0: no term shared); ``defining``, how much of the
    query the exact terms each row defines make up (``_definitions``; none: no row does).
    Ties go to the closer row by cosine."""
    sims = np.asarray(similarities, dtype=np.float64)
    lex = np.asarray(lexical, dtype=np.float64)
    n = len(sims)
    if n == 0 or k <= 0:
        return []
    score = sims.copy()
    best = float(lex.max()) if len(lex) else 0.0
    if best > 0 and weight > 0:
        score += share * weight * lex / best
    if defining is not None and defining_weight > 0:
        score += defining_weight * np.asarray(defining, dtype=np.float64)
    # the k best by score, then ordered: a base's few thousand rows are not all sorted
    top = np.argpartition(-score, k - 1)[:k] if k < n else np.arange(n)
    order = top[np.lexsort((-sims[top], -score[top]))]
    return [int(i) for i in order]


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
