"""Semantic retrieval over target descriptors: which targets fit this text?

The semantic planner routes each clause to the best target with it, and with hundreds of MCP
tools registered it narrows the candidates to a short list before any planner sees a schema.
Every target is embedded once, when it is added (never per query), as several texts: its name
and description in one, and each of its examples on its own. Targets are ranked by:

* each text's match with the request word piece by word piece (late interaction over MiniLM's
  token vectors, when the embedder offers them; else the sentence cosine), the best text
  counting (optionally blended with the mean over its texts);
* plus a share of the mean over the target's MCP server, so the right server's tools rise
  together;
* plus a small bonus for each kind of value the request carries that one of the target's
  arguments takes (a file name for a ``path``; a time zone and a clock time), and the request is embedded with such values' kinds spelled
  out (``file config.yaml``);
* plus an optional prior from past cases.

Each hit's ``score`` stays the sentence cosine (plus the prior): thresholds keep their scale.
On benchmarks/bench_tool_retrieval.py (300 tools) this took recall@5 from 0.80 to 0.86. The
search itself is two matrix products in numpy; with thousands of tools it is two-stage (the
sentence cosine picks the candidates, only they go through token matching), so its cost grows
with the pool no faster than one matrix-vector product (benchmarks/bench_preselection.py).
Optionally a share of BM25 over the targets' words joins the rank (`agentroute.text._bm25`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from agentroute._log import get_logger
from agentroute.embeddings import Embedder, top_k
from agentroute.embeddings._minilm import limit_blas_threads
from agentroute.embeddings._vector_cache import CachedVectors, TextVectorCache, through_cache
from agentroute.targets._texts import _schema_words, _spoken, descriptor_texts, retrieval_text
from agentroute.targets._tokens import TokenEmbedder, content_tokens, token_match
from agentroute.text import argument_kinds, typed_request, value_kinds
from agentroute.text._bm25 import LexicalIndex
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["EncodedQuery", "ScoredTarget", "TargetIndex", "descriptor_texts", "retrieval_text"]

log = get_logger(__name__)

_QUERY_CACHE = 512


class ScoredTarget(BaseModel):
    """One search hit: the target and how well it fits.

    ``score`` stays a cosine similarity (of the best text's sentence vectors, plus any prior)
    so that thresholds such as the semantic planner's keep their meaning; hits are ordered by
    ``rank_score``, which adds token matching, the server mean and the argument bonus and has
    no fixed scale.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    descriptor: TargetDescriptor
    score: float
    best_text: str = ""
    """The descriptor text that matched best (the description or one example): why it won."""
    rank_score: float = 0.0
    """What the hits are ordered by (equal to ``score`` with every ranking aid switched off)."""


@dataclass(frozen=True)
class EncodedQuery:
    """A request as the index searches with it: embedded once, reusable across searches."""

    text: str
    vector: npt.NDArray[np.float32]
    tokens: npt.NDArray[np.float32] | None = None
    """Normalised token vectors (rows), when the embedder gives them."""
    kinds: frozenset[str] = frozenset()
    """Kinds of value the request carries (`agentroute.text.value_kinds`)."""


@dataclass(frozen=True)
class _Scored:
    """One query against one snapshot: what hits are ranked by and built from."""

    ranks: npt.NDArray[np.float64]
    """Per target, the rank score (``-inf``: excluded by kind or by the first stage)."""
    sims: npt.NDArray[np.float32]
    """Per text, the similarity the best text is chosen by (token matching blended in)."""
    cosines: npt.NDArray[np.float32]
    """Per text, the sentence cosine (what a hit's ``score`` reports)."""


class _Entry:
    __slots__ = ("descriptor", "kinds", "texts", "tokens", "vectors")

    def __init__(
        self,
        descriptor: TargetDescriptor,
        vectors: npt.NDArray[np.float32],
        texts: list[str],
        tokens: list[npt.NDArray[np.float32]] | None,
    ) -> None:
        self.descriptor = descriptor
        self.vectors = vectors
        self.texts = texts
        self.tokens = tokens
        self.kinds = argument_kinds(descriptor.input_schema)


class _Matrix:
    """An immutable snapshot of the index, swapped whole on change (searches never lock)."""

    def __init__(self, entries: list[_Entry], dim: int) -> None:
        self.descriptors = [e.descriptor for e in entries]
        self.texts = [t for e in entries for t in e.texts]
        blocks = [e.vectors for e in entries]
        self.rows = np.concatenate(blocks) if blocks else np.zeros((0, dim), np.float32)
        counts = np.array([len(b) for b in blocks], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self.counts = counts.astype(np.float32)
        self.names = [d.name for d in self.descriptors]
        self.writes = np.array([d.writes for d in self.descriptors], dtype=bool)
        self.position = {name: i for i, name in enumerate(self.names)}
        self.kinds = np.array([d.kind.value for d in self.descriptors], dtype=object)
        self.arg_kinds = [e.kinds for e in entries]
        # Per kind of value, which targets take one: the argument bonus without a loop.
        self.kind_masks: dict[str, npt.NDArray[np.bool_]] = {}
        for i, taken in enumerate(self.arg_kinds):
            for kind in taken:
                self.kind_masks.setdefault(kind, np.zeros(len(entries), dtype=bool))[i] = True
        self.text_counts = counts
        self._lexical: LexicalIndex | None = None
        self._server_lexical: LexicalIndex | None = None
        self._name_lexical: LexicalIndex | None = None
        self._lexical_lock = threading.Lock()
        # Targets served by the same server form a group; one without a server is its own.
        keys = [(d.kind.value, d.server) if d.server else (d.name,) for d in self.descriptors]
        group_of: dict[tuple[str, ...], int] = {}
        self.groups = np.array([group_of.setdefault(k, len(group_of)) for k in keys], np.int64)
        self.group_sizes = np.bincount(self.groups).astype(np.float64)
        # Token rows of every text, one after another; only when every target has them.
        self.tokens: npt.NDArray[np.float32] | None = None
        if entries and all(e.tokens is not None for e in entries):
            per_text = [t for e in entries for t in (e.tokens or [])]
            lengths = np.array([len(t) for t in per_text], dtype=np.int64)
            self.tokens = np.concatenate(per_text)
            self.token_starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
            self.token_counts = lengths.astype(np.float32)

    @property
    def lexical(self) -> LexicalIndex:
        """BM25 over each target's texts and argument names, built on first use."""
        if self._lexical is None:
            with self._lexical_lock:
                if self._lexical is None:
                    self._lexical = LexicalIndex([
                        " ".join([*e_texts, _schema_words(d.input_schema)])
                        for d, e_texts in zip(self.descriptors, self._texts_per_target(), strict=True)
                    ])  # fmt: skip
        return self._lexical

    @property
    def server_lexical(self) -> LexicalIndex:
        """BM25 over one document per group (`groups`): the server's name and every one of its
        targets' spoken names and descriptions, built on first use. A request that names what
        two tools of one provider do matches that provider's document better than either
        tool's alone."""
        if self._server_lexical is None:
            with self._lexical_lock:
                if self._server_lexical is None:
                    docs: list[list[str]] = [[] for _ in range(len(self.group_sizes))]
                    for d, group in zip(self.descriptors, self.groups, strict=True):
                        words = docs[int(group)]
                        if not words and d.server:
                            words.append(d.server)
                        words += [_spoken(d.name.rpartition(".")[2]), d.description]
                    self._server_lexical = LexicalIndex([" ".join(w) for w in docs])
        return self._server_lexical

    @property
    def name_lexical(self) -> LexicalIndex:
        """BM25 over the targets' spoken names alone (``get_channel_clips`` → "get channel
        clips"), built on first use: a request naming what a tool is called matches its name
        more surely than its description's many words dilute it."""
        if self._name_lexical is None:
            with self._lexical_lock:
                if self._name_lexical is None:
                    self._name_lexical = LexicalIndex(
                        [_spoken(name.rpartition(".")[2]) for name in self.names]
                    )
        return self._name_lexical

    def _texts_per_target(self) -> list[list[str]]:
        ends = self.starts + self.text_counts
        return [self.texts[int(a) : int(b)] for a, b in zip(self.starts, ends, strict=True)]


class TargetIndex:
    """Nearest targets to a text, by embedding similarity over their descriptors (hits are
    ordered by `ScoredTarget.rank_score`; their ``score`` is a cosine similarity).

    ``mean_weight`` blends the mean similarity over a target's texts into the best one
    (``0`` = best text only): a little of it favours targets whose every example fits.
    ``token_weight`` blends late interaction into each text's cosine similarity (``1`` = token
    matching only, the default; ignored for embedders without token vectors): the mean, over
    the request's tokens, of each one's best match among the text's, averaged with the same
    the other way round (``token_symmetry`` of it). ``argument_bonus`` is added to targets, once per
    kind of value the request carries that one of their arguments takes (file name, URL,
    e-mail, host, time zone or city, date, clock time). ``server_weight`` adds that share of the mean score of the
    target's server (all the tools of one MCP server), so the right server's tools rise
    together. ``lexical_weight`` adds that share of the target's BM25 score over its texts
    and argument names, scaled by the best target's (`agentroute.text._bm25`): it helps
    long multi-sentence requests naming a provider or a rare word (0.1: recall@5 +3.5 points
    at 1,000 tools of bench_preselection.py's train split) but costs short requests their
    first hit (bench_tool_retrieval.py's tuning half: recall@1 0.61 -> 0.54), so it is off
    by default.
    ``candidates`` > 0 makes the search two-stage: the sentence cosine (plus the lexical
    share) picks that many candidates among all targets, and only their texts go through the
    costly token matching (``0``, or no more targets than that: every target does); the
    server mean then counts the other targets at their cosine, shifted by the candidates'
    median gap between the two. Defaults chosen on the tuning halves of
    benchmarks/bench_tool_retrieval.py and benchmarks/bench_preselection.py.
    ``cache`` keeps the texts' vectors on disk across restarts.
    """

    def __init__(
        self,
        embedder: Embedder,
        *,
        mean_weight: float = 0.0,
        token_weight: float = 1.0,
        token_symmetry: float = 0.5,
        argument_bonus: float = 0.06,
        server_weight: float = 0.1,
        lexical_weight: float = 0.0,
        candidates: int = 64,
        cache: TextVectorCache | None = None,
    ) -> None:
        for name, value in (
            ("mean_weight", mean_weight),
            ("token_weight", token_weight),
            ("token_symmetry", token_symmetry),
            ("server_weight", server_weight),
            ("lexical_weight", lexical_weight),
        ):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {value}")
        if argument_bonus < 0.0:
            raise ValueError(f"argument_bonus must be >= 0, got {argument_bonus}")
        if candidates < 0:
            raise ValueError(f"candidates must be >= 0, got {candidates}")
        self.embedder = embedder
        self.mean_weight = mean_weight
        self.token_weight = token_weight
        self.token_symmetry = token_symmetry
        self.argument_bonus = argument_bonus
        self.server_weight = server_weight
        self.lexical_weight = lexical_weight
        self.candidates = candidates
        self.cache = cache
        self._entries: dict[str, _Entry] = {}
        self._snapshot: _Matrix | None = None
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, EncodedQuery] = OrderedDict()

    @property
    def _uses_tokens(self) -> bool:
        return self.token_weight > 0.0 and isinstance(self.embedder, TokenEmbedder)

    # ------------------------------------------------------------------ contents

    def add(self, descriptors: Iterable[TargetDescriptor]) -> None:
        """Embed and register targets (one batch); a name already present is replaced."""
        batch = list(descriptors)
        if not batch:
            return
        texts = [descriptor_texts(d) for d in batch]
        flat = [t for block in texts for t in block]
        vectors, tokens = self._embed_texts(flat)
        with self._lock:
            at = 0
            for descriptor, block in zip(batch, texts, strict=True):
                end = at + len(block)
                self._entries[descriptor.name] = _Entry(
                    descriptor, vectors[at:end], block, None if tokens is None else tokens[at:end]
                )
                at = end
            self._snapshot = None
        log.debug("target_index.added", count=len(batch), texts=len(flat), total=len(self))

    def _embed_texts(
        self, flat: list[str]
    ) -> tuple[npt.NDArray[np.float32], list[npt.NDArray[np.float32]] | None]:
        """Every text's sentence vector (and content-token vectors), from the cache when it
        has them; only the others go through the embedder."""
        with_tokens = self._uses_tokens

        def compute(todo: list[str]) -> dict[str, CachedVectors]:
            if with_tokens:
                vectors, pieces = self.embedder.embed_with_tokens(todo)  # type: ignore[attr-defined]
                toks: list[npt.NDArray[np.float32] | None] = [
                    content_tokens(words, vecs) for words, vecs in pieces
                ]
            else:
                vectors = self.embedder.embed(todo)
                toks = [None] * len(todo)
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.shape != (len(todo), self.embedder.dim):
                raise ValueError(
                    f"embedder {self.embedder.id!r} returned shape {vectors.shape}, "
                    f"expected {(len(todo), self.embedder.dim)}"
                )
            return {t: (vectors[i], toks[i]) for i, t in enumerate(todo)}

        found = through_cache(self.cache, self.embedder.id, flat, compute, with_tokens=with_tokens)
        matrix = np.empty((len(flat), self.embedder.dim), dtype=np.float32)
        for i, text in enumerate(flat):
            matrix[i] = found[text][0]
        if not with_tokens:
            return matrix, None
        token_rows = [found[text][1] for text in flat]
        return matrix, [t if t is not None else matrix[i : i + 1] for i, t in enumerate(token_rows)]

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
        return self._entries[name].descriptor

    def _matrix(self) -> _Matrix:
        snapshot = self._snapshot
        if snapshot is None:
            with self._lock:
                snapshot = _Matrix(list(self._entries.values()), self.embedder.dim)
                self._snapshot = snapshot
        return snapshot

    # ------------------------------------------------------------------ search

    def encode_query(self, text: str) -> EncodedQuery:
        """The request as the index searches with it, cached: the planner and the tool
        narrowing ask for the same clause."""
        query = self._queries.get(text)
        if query is not None:
            self._queries.move_to_end(text)
            return query
        seen = retrieval_text(typed_request(text))
        tokens = None
        if self._uses_tokens:
            vectors, pieces = self.embedder.embed_with_tokens([seen])  # type: ignore[attr-defined]
            tokens = np.asarray(pieces[0][1], dtype=np.float32)
        else:
            vectors = self.embedder.embed([seen])
        query = EncodedQuery(
            text=text,
            vector=np.asarray(vectors[0], dtype=np.float32),
            tokens=tokens if tokens is not None and len(tokens) else None,
            kinds=value_kinds(text),
        )
        self._queries[text] = query
        if len(self._queries) > _QUERY_CACHE:
            self._queries.popitem(last=False)
        return query

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        """The query's pooled vector (cached), for callers that compare it themselves."""
        return self.encode_query(text).vector

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
        return self.search_encoded(self.encode_query(text), k, kinds, prior=prior)

    def search_vector(
        self,
        vector: npt.NDArray[np.float32],
        k: int = 5,
        kinds: set[TargetKind] | None = None,
        *,
        prior: Mapping[str, float] | None = None,
    ) -> list[ScoredTarget]:
        """`search` for an already embedded query: cosine similarity only (no token
        matching, no argument bonus, which need the request itself)."""
        query = EncodedQuery(text="", vector=np.asarray(vector, dtype=np.float32))
        return self.search_encoded(query, k, kinds, prior=prior)

    def search_encoded(
        self,
        query: EncodedQuery,
        k: int = 5,
        kinds: set[TargetKind] | None = None,
        *,
        prior: Mapping[str, float] | None = None,
    ) -> list[ScoredTarget]:
        """`search` for a request already encoded with `encode_query`."""
        m = self._matrix()
        if not m.names or k <= 0:
            return []
        scored = self._scored(m, query, k, kinds, prior)
        return self._hits(m, scored, top_k(scored.ranks, k), prior)

    def _scored(
        self,
        m: _Matrix,
        query: EncodedQuery,
        k: int,
        kinds: set[TargetKind] | None,
        prior: Mapping[str, float] | None,
        lexical_weight: float | None = None,
    ) -> _Scored:
        """Every target's rank score (``-inf`` where excluded) and every text's similarity;
        ``lexical_weight`` overrides the index's BM25 share for this query."""
        weight = self.lexical_weight if lexical_weight is None else lexical_weight
        # One BLAS thread: on a busy 2-core machine OpenBLAS's threads spin against each other
        # (the gemv over 2,479 texts took 2-30 ms with them, 0.07 ms without).
        with limit_blas_threads(1):
            return self._score_all(m, query, k, kinds, prior, weight)

    def _score_all(
        self,
        m: _Matrix,
        query: EncodedQuery,
        k: int,
        kinds: set[TargetKind] | None,
        prior: Mapping[str, float] | None,
        lexical_weight: float,
    ) -> _Scored:
        # BLAS gemv, not `similarities`' einsum: ~0.02 ms against ~0.11 ms for 1,600 texts.
        cosines = m.rows @ query.vector
        lexical = self._lexical_share(m, query, lexical_weight)
        sims = cosines
        eligible: npt.NDArray[np.bool_] | None = None
        if query.tokens is not None and m.tokens is not None and self.token_weight > 0.0:
            wanted = max(self.candidates, 4 * k)
            if self.candidates and len(m.names) > wanted:
                sims, eligible = self._two_stage(m, query, cosines, lexical_weight, lexical, wanted)
            else:
                late = token_match(
                    m.tokens, m.token_starts, m.token_counts, query.tokens, self.token_symmetry
                )
                sims = (1.0 - self.token_weight) * sims + self.token_weight * late
        scores = np.maximum.reduceat(sims, m.starts)
        if self.mean_weight:
            means = np.add.reduceat(sims, m.starts) / m.counts
            scores = (1.0 - self.mean_weight) * scores + self.mean_weight * means
        scores = scores.astype(np.float64)
        if self.server_weight:
            means = np.bincount(m.groups, weights=scores) / m.group_sizes
            scores += self.server_weight * means[m.groups]
        if lexical is not None:
            scores += lexical_weight * lexical
        if query.kinds and self.argument_bonus:
            # per kind taken: of two time tools, the one that also takes the clock time given
            # ("14:30 UTC in Tokyo") fits better than the one taking only the zone
            fits = np.zeros(len(m.names), dtype=np.float64)
            for kind in query.kinds:
                if kind in m.kind_masks:
                    fits += m.kind_masks[kind]
            scores += self.argument_bonus * fits
        if prior:
            for name, bonus in prior.items():
                i = m.position.get(name)
                if i is not None:
                    scores[i] += bonus
        if kinds is not None:
            allowed = np.isin(m.kinds, [TargetKind(kd).value for kd in kinds])
            scores = np.where(allowed, scores, -np.inf)
        if eligible is not None:
            scores = np.where(eligible, scores, -np.inf)
        return _Scored(scores, sims, cosines)

    def _hits(
        self,
        m: _Matrix,
        scored: _Scored,
        order: Iterable[int],
        prior: Mapping[str, float] | None,
    ) -> list[ScoredTarget]:
        """The targets at ``order`` (positions, best first) as hits; excluded ones dropped."""
        scores, sims, cosines = scored.ranks, scored.sims, scored.cosines
        hits = []
        for i in order:
            if not np.isfinite(scores[i]):
                continue
            start, count = int(m.starts[i]), int(m.counts[i])
            best = start + int(np.argmax(sims[start : start + count]))
            similarity = float(cosines[best])
            if self.mean_weight:
                mean = float(cosines[start : start + count].mean())
                similarity = (1.0 - self.mean_weight) * similarity + self.mean_weight * mean
            bonus = prior.get(m.names[i], 0.0) if prior else 0.0
            hits.append(
                ScoredTarget.model_construct(
                    descriptor=m.descriptors[i],
                    score=similarity + bonus,
                    best_text=m.texts[best],
                    rank_score=float(scores[i]),
                )
            )
        return hits

    def _lexical_share(
        self, m: _Matrix, query: EncodedQuery, weight: float
    ) -> npt.NDArray[np.float64] | None:
        """Each target's BM25 score for the request over the best one's (None when off)."""
        if not weight or not query.text:
            return None
        bm25 = m.lexical.scores(retrieval_text(query.text))
        top = float(bm25.max()) if len(bm25) else 0.0
        return bm25 / top if top > 0.0 else None

    def _two_stage(
        self,
        m: _Matrix,
        query: EncodedQuery,
        cosines: npt.NDArray[np.float32],
        lexical_weight: float,
        lexical: npt.NDArray[np.float64] | None,
        wanted: int,
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
        """Every text's similarity with token matching run on the ``wanted`` best targets by
        cosine only, and which targets those are; the others' texts keep their cosine,
        shifted by the candidates' median gap (so the server mean stays on one scale)."""
        assert m.tokens is not None and query.tokens is not None
        first = np.maximum.reduceat(cosines, m.starts).astype(np.float64)
        if lexical is not None:
            first += lexical_weight * lexical
        chosen = np.sort(top_k(first, wanted, ordered=False))
        # The chosen targets' texts, then those texts' token rows, gathered without a loop.
        text_ids = _ranges(m.starts[chosen], m.text_counts[chosen])
        counts = m.token_counts[text_ids].astype(np.int64)
        rows = m.tokens[_ranges(m.token_starts[text_ids], counts)]
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        late = token_match(rows, starts, counts.astype(np.float32), query.tokens,
                           self.token_symmetry)  # fmt: skip
        blended = (1.0 - self.token_weight) * cosines[text_ids] + self.token_weight * late
        gap = float(np.median(blended - cosines[text_ids]))
        sims = (cosines + gap).astype(np.float32)
        sims[text_ids] = blended
        eligible = np.zeros(len(m.names), dtype=bool)
        eligible[chosen] = True
        return sims, eligible


def _ranges(starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``concatenate([arange(s, s + c) for s, c in zip(starts, counts)])``, vectorised."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.asarray(starts, dtype=np.int64) - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)
