"""A learned re-ranking of a base's best fused passages: cheap signals, weighed by a fit.

The fused score (``_fusion``: cosine + a share of BM25 + defined exact terms) has three
hand-set shares and sees each passage alone. Which passage's document holds a held-out fact
also shows in signals it does not add: how much of the question's weight the passage and its
title write (a rare word asked about is the question), how many of the candidates come from
the same document and how close its best one is, where the passage stands. So a base's
``CANDIDATES`` best passages by the fused score are ordered by a linear function of those
features, fitted by ``benchmarks/train_kb_rerank.py`` on the train questions of
bench_answers.py only (its four bases and the fifth's train half; a listwise softmax, numpy)
and kept as data: ``passage_rerank.json``. Without the file a base keeps the fused order.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agentroute.knowledge._answer import asked_words
from agentroute.knowledge._fusion import ScoredPassages, fused_scores
from agentroute.text import stem

__all__ = [
    "CANDIDATES",
    "FEATURES",
    "MODEL_FILE",
    "PassageReranker",
    "candidate_table",
    "load_passage_reranker",
    "passage_features",
]

MODEL_FILE = Path(__file__).with_name("passage_rerank.json")
CANDIDATES = 30
"""How many of the fused order's best passages are re-ranked."""

FEATURES = (
    "cosine",  # the passage's cosine similarity to the query
    "cosine_gap",  # its cosine less the best candidate's
    "lexical",  # its BM25 score over the candidates' best (0 when no word is shared)
    "defining",  # how much of the query the exact terms it defines make up
    "fused",  # the fused score it was ranked by
    "position",  # 1 / (1 + its place in the fused order)
    "written",  # the share of the question's words, by weight, the passage writes
    "title_written",  # the share its title and section write
    "rarest",  # 1 when it writes the question's most telling word
    "rarest_title",  # 1 when its title or section writes it
    "doc_support",  # the share of the candidates from its document
    "doc_cosine_gap",  # its document's best cosine less the best candidate's
    "doc_written",  # the share of the question's words its document's candidates write
    "doc_position",  # 1 / (1 + its document's place among the candidates' documents)
    "length",  # log of the passage's characters
)
"""One column each, per candidate."""

_WORD = re.compile(r"[a-z0-9][\w.+-]*[a-z0-9]")


@dataclass(frozen=True)
class PassageReranker:
    """Linear scores over standardised features: ``((x - mean) / scale) @ weights``."""

    candidates: int
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]

    def scores(self, table: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """One score per row of a ``passage_features`` table (higher is better)."""
        out: npt.NDArray[np.float64] = ((table - self.mean) / self.scale) @ self.weights
        return out

    def order(self, table: npt.NDArray[np.float64]) -> list[int]:
        """The table's rows, best first (ties keep the fused order)."""
        return [int(i) for i in np.argsort(-self.scores(table), kind="stable")]

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "candidates": self.candidates,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PassageReranker:
        """The model a file holds; its features must be ``FEATURES``, in that order."""
        if list(data["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("passage re-ranker features differ from this version's; retrain it")
        arrays = [np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale", "weights")]
        if any(a.shape != (len(FEATURES),) for a in arrays):
            raise ValueError(f"passage re-ranker arrays must have {len(FEATURES)} values")
        return cls(int(data["candidates"]), *arrays)  # type: ignore[call-overload]


@cache
def load_passage_reranker(path: Path = MODEL_FILE) -> PassageReranker | None:
    """The shipped model (None when the file is absent: bases keep the fused order)."""
    if not path.exists():
        return None
    return PassageReranker.from_json(json.loads(path.read_text()))


def _share(asked: Mapping[str, float], text: str) -> tuple[float, bool]:
    """The weighted share of the asked words ``text`` writes (by the word or its stem), and
    whether it writes the most telling one."""
    if not asked:
        return 0.0, False
    words = set(_WORD.findall(text.lower()))
    stems = {stem(w) for w in words}
    total = sum(asked.values())
    got = {w for w in asked if w in words or stem(w) in stems}
    rarest = max(asked, key=lambda w: (asked[w], w))
    return (sum(asked[w] for w in got) / total if total else 0.0), rarest in got


def passage_features(
    query: str,
    texts: Sequence[str],
    headings: Sequence[str],
    documents: Sequence[Hashable],
    similarities: npt.ArrayLike,
    lexical: npt.ArrayLike,
    defining: npt.ArrayLike,
    fused: npt.ArrayLike,
    weight: Callable[[str], float],
) -> npt.NDArray[np.float64]:
    """``FEATURES`` for candidates given in fused order, best first: each one's text, its
    title and section (``headings``), its document, cosine, BM25 score, defined share and
    fused score. ``weight``: how telling a word is in the base (``NameIndex.weight``)."""
    n = len(texts)
    sims = np.asarray(similarities, dtype=np.float64)
    lex = np.asarray(lexical, dtype=np.float64)
    best_lex = float(lex.max()) if n else 0.0
    asked = {w: max(weight(w), 0.0) + 1e-3 for w in asked_words(query)}
    written = np.zeros(n)
    title_written = np.zeros(n)
    rarest = np.zeros(n)
    rarest_title = np.zeros(n)
    for i, (text, heading) in enumerate(zip(texts, headings, strict=True)):
        written[i], r = _share(asked, f"{heading} {text}")
        rarest[i] = float(r)
        title_written[i], rt = _share(asked, heading)
        rarest_title[i] = float(rt)
    top = float(sims.max()) if n else 0.0
    by_doc: dict[Hashable, list[int]] = {}
    for i, d in enumerate(documents):
        by_doc.setdefault(d, []).append(i)
    doc_place = {d: place for place, d in enumerate(by_doc)}
    doc_text = {
        d: " ".join(f"{headings[i]} {texts[i]}" for i in rows) for d, rows in by_doc.items()
    }
    doc_share = {d: _share(asked, t)[0] for d, t in doc_text.items()}
    columns = [
        sims,
        sims - top,
        lex / best_lex if best_lex > 0 else np.zeros(n),
        np.asarray(defining, dtype=np.float64),
        np.asarray(fused, dtype=np.float64),
        1.0 / (1.0 + np.arange(n)),
        written,
        title_written,
        rarest,
        rarest_title,
        np.asarray([len(by_doc[d]) / max(n, 1) for d in documents]),
        np.asarray([max(sims[j] for j in by_doc[d]) - top for d in documents]),
        np.asarray([doc_share[d] for d in documents]),
        np.asarray([1.0 / (1.0 + doc_place[d]) for d in documents]),
        np.asarray([math.log1p(len(t)) for t in texts]),
    ]
    return np.stack(columns, axis=1) if n else np.zeros((0, len(FEATURES)))


def candidate_table(
    query: str,
    scored: ScoredPassages,
    rows: Sequence[int],
    lexical_weight: float,
    weight: Callable[[str], float],
) -> npt.NDArray[np.float64]:
    """``passage_features`` of ``scored``'s ``rows`` (fused order, best first), the fused
    score taken with ``lexical_weight`` (``_fusion.lexical_weight``)."""
    picked = list(rows)
    fused = fused_scores(
        scored.similarities, scored.lexical, weight=lexical_weight, defining=scored.defining
    )
    metas = [scored.metadatas[i] or {} for i in picked]
    return passage_features(
        query,
        [str(scored.texts[i] or "") for i in picked],
        [" › ".join(str(p) for p in (m.get("title"), m.get("section")) if p) for m in metas],
        [
            str(m.get("doc_id", str(scored.ids[i]).split("#")[0]))
            for m, i in zip(metas, picked, strict=True)
        ],
        scored.similarities[picked],
        scored.lexical[picked],
        scored.defining[picked],
        fused[picked],
        weight,
    )
