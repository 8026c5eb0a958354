"""Semantic retrieval over target descriptors: which targets fit this text?

The semantic planner routes each clause to the best target with it, and with hundreds of MCP
tools registered it narrows the candidates to a short list before any planner sees a schema.
Every target is embedded once, when it is added (never per query), as several texts: its name
and description in one, and each of its examples on its own. A target's score
is its best-matching text (optionally blended with the mean over its texts), plus an optional
prior from past cases. The search itself is one matrix-vector product in numpy.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import structlog
from pydantic import BaseModel, ConfigDict

from agentroute._records import TargetKind
from agentroute.embeddings._base import Embedder
from agentroute.targets._base import TargetDescriptor

__all__ = ["ScoredTarget", "TargetIndex", "descriptor_texts", "retrieval_text"]

log = structlog.get_logger(__name__)

_QUERY_CACHE = 512
_PATH_TOKEN = re.compile(r"(?<![^\s\"'(\[`])(?:~|\.{1,2})?/?[\w.@+~-]+(?:/[\w.@+~-]*)+")


def _last_part(match: re.Match[str]) -> str:
    token = match.group(0)
    if "://" in token or not re.search(r"[A-Za-z]", token):
        return token
    return token.rstrip("/").rsplit("/", 1)[-1] or token


def retrieval_text(text: str) -> str:
    """The request as retrieval sees it: file paths shortened to their last part.

    A long literal (``/tmp/pytest-of-root/.../files``) carries no meaning for choosing a
    tool but drags the similarity of every target down; ``files`` keeps what it names.
    """
    return _PATH_TOKEN.sub(_last_part, text)


class ScoredTarget(BaseModel):
    """One search hit: the target and how well it fits (cosine similarity, plus any prior)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    descriptor: TargetDescriptor
    score: float
    best_text: str = ""
    """The descriptor text that matched best (the description or one example): why it won."""


def _spoken(name: str) -> str:
    """``github.create_pull_request`` → ``create pull request (github)``."""
    server, _, tool = name.rpartition(".")
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", tool).replace("_", " ").replace("-", " ")
    return f"{words} ({server})" if server else words


def _schema_words(schema: Mapping[str, Any] | None) -> str:
    props = (schema or {}).get("properties") or {}
    parts = []
    for name, prop in props.items():
        desc = str(prop.get("description", "")).split(". ")[0] if isinstance(prop, Mapping) else ""
        parts.append(f"{_spoken(name)} ({desc})" if desc else _spoken(name))
    return ", ".join(parts)


def descriptor_texts(descriptor: TargetDescriptor) -> list[str]:
    """The texts a target is found by: its name and description, then each example alone.

    The argument names and descriptions join the summary only when there is no description:
    as extra text they attracted unrelated requests (on benchmarks/bench_tool_retrieval.py,
    300 tools: recall@1 0.57 → 0.51-0.54, recall@5 0.80 → 0.79).
    """
    summary = f"{_spoken(descriptor.name)}: {descriptor.description}".strip()
    if descriptor.domains:
        summary += f" Domains: {', '.join(descriptor.domains)}."
    if not descriptor.description.strip():
        args = _schema_words(descriptor.input_schema)
        if args:
            summary += f" Arguments: {args}."
    return [summary, *(e for e in descriptor.examples if e.strip())]


class _Matrix:
    """An immutable snapshot of the index, swapped whole on change (searches never lock)."""

    def __init__(
        self,
        descriptors: list[TargetDescriptor],
        blocks: list[npt.NDArray[np.float32]],
        texts: list[list[str]],
        dim: int,
    ) -> None:
        self.descriptors = descriptors
        self.texts = [t for block in texts for t in block]
        self.rows = np.concatenate(blocks) if blocks else np.zeros((0, dim), np.float32)
        counts = np.array([len(b) for b in blocks], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self.counts = counts.astype(np.float32)
        self.names = [d.name for d in descriptors]
        self.position = {name: i for i, name in enumerate(self.names)}
        self.kinds = np.array([d.kind.value for d in descriptors], dtype=object)


class TargetIndex:
    """Nearest targets to a text, by embedding similarity over their descriptors.

    ``mean_weight`` blends the mean similarity over a target's texts into the best one
    (``0`` = best text only): a little of it favours targets whose every example fits.
    """

    def __init__(self, embedder: Embedder, *, mean_weight: float = 0.0) -> None:
        if not 0.0 <= mean_weight <= 1.0:
            raise ValueError(f"mean_weight must be within [0, 1], got {mean_weight}")
        self.embedder = embedder
        self.mean_weight = mean_weight
        self._entries: dict[str, tuple[TargetDescriptor, npt.NDArray[np.float32], list[str]]] = {}
        self._snapshot: _Matrix | None = None
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    # ------------------------------------------------------------------ contents

    def add(self, descriptors: Iterable[TargetDescriptor]) -> None:
        """Embed and register targets (one batch); a name already present is replaced."""
        batch = list(descriptors)
        if not batch:
            return
        texts = [descriptor_texts(d) for d in batch]
        flat = [t for block in texts for t in block]
        vectors = np.asarray(self.embedder.embed(flat), dtype=np.float32)
        if vectors.shape != (len(flat), self.embedder.dim):
            raise ValueError(
                f"embedder {self.embedder.id!r} returned shape {vectors.shape}, "
                f"expected {(len(flat), self.embedder.dim)}"
            )
        with self._lock:
            at = 0
            for descriptor, block in zip(batch, texts, strict=True):
                self._entries[descriptor.name] = (descriptor, vectors[at : at + len(block)], block)
                at += len(block)
            self._snapshot = None
        log.debug("target_index.added", count=len(batch), texts=len(flat), total=len(self))

    def remove(self, name: str) -> bool:
        """Forget a target; ``False`` if it was not there."""
        with self._lock:
            found = self._entries.pop(name, None) is not None
            if found:
                self._snapshot = None
        return found

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def names(self) -> list[str]:
        return list(self._entries)

    def descriptor(self, name: str) -> TargetDescriptor:
        return self._entries[name][0]

    def _matrix(self) -> _Matrix:
        snapshot = self._snapshot
        if snapshot is None:
            with self._lock:
                entries = list(self._entries.values())
                snapshot = _Matrix(
                    [e[0] for e in entries],
                    [e[1] for e in entries],
                    [e[2] for e in entries],
                    self.embedder.dim,
                )
                self._snapshot = snapshot
        return snapshot

    # ------------------------------------------------------------------ search

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        """The query's vector, cached: the planner and the tool narrowing ask for the same clause."""
        vector = self._queries.get(text)
        if vector is None:
            vector = np.asarray(self.embedder.embed([text])[0], dtype=np.float32)
            self._queries[text] = vector
            if len(self._queries) > _QUERY_CACHE:
                self._queries.popitem(last=False)
        else:
            self._queries.move_to_end(text)
        return vector

    def search(
        self,
        text: str,
        k: int = 5,
        kinds: set[TargetKind] | None = None,
        *,
        prior: Mapping[str, float] | None = None,
    ) -> list[ScoredTarget]:
        """The ``k`` best targets for ``text``, best first.

        ``kinds`` keeps only targets of those kinds; ``prior`` adds a bonus (or, negative, a
        malus) per target name, e.g. from past cases where that target served similar tasks.
        """
        if not self._entries or k <= 0:
            return []
        return self.search_vector(self.embed_query(retrieval_text(text)), k, kinds, prior=prior)

    def search_vector(
        self,
        vector: npt.NDArray[np.float32],
        k: int = 5,
        kinds: set[TargetKind] | None = None,
        *,
        prior: Mapping[str, float] | None = None,
    ) -> list[ScoredTarget]:
        """`search` for an already embedded query."""
        m = self._matrix()
        if not m.names or k <= 0:
            return []
        sims = m.rows @ np.asarray(vector, dtype=np.float32)
        scores = np.maximum.reduceat(sims, m.starts)
        if self.mean_weight:
            means = np.add.reduceat(sims, m.starts) / m.counts
            scores = (1.0 - self.mean_weight) * scores + self.mean_weight * means
        scores = scores.astype(np.float64)
        if prior:
            for name, bonus in prior.items():
                i = m.position.get(name)
                if i is not None:
                    scores[i] += bonus
        if kinds is not None:
            allowed = np.isin(m.kinds, [TargetKind(kd).value for kd in kinds])
            scores = np.where(allowed, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        hits = []
        for i in top:
            if not np.isfinite(scores[i]):
                continue
            start, count = int(m.starts[i]), int(m.counts[i])
            best = start + int(np.argmax(sims[start : start + count]))
            hits.append(
                ScoredTarget.model_construct(
                    descriptor=m.descriptors[i], score=float(scores[i]), best_text=m.texts[best]
                )
            )
        return hits
