"""A graph knowledge base: entities and relations in a networkx ``MultiDiGraph``, answered by
finding the entities a query names and walking k hops around them.

The search itself (entity lookup, neighbourhoods, path ranking) is ``_graph_search``; this
module is the routing target around it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from agentroute._log import get_logger
from agentroute.embeddings import Embedder
from agentroute.knowledge._documents import quote_passages
from agentroute.knowledge._graph_search import GraphRetrieval
from agentroute.knowledge._triples import (
    EntityMatch,
    GraphPath,
    Triple,
    TriplesFileError,
    read_triples_file,
)
from agentroute.types import Health, Observation, Probe, Source, TargetDescriptor, TargetKind

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EntityMatch", "GraphKnowledgeBase", "GraphPath", "Triple", "TriplesFileError"]

log = get_logger(__name__)


class GraphKnowledgeBase(GraphRetrieval):
    """Entity lookup (exact name or alias, else embedding similarity over entity names) plus
    k-hop neighbourhood retrieval, returned as readable triples ``A —capital_of→ B`` with the
    source of each edge. Paths are ranked by how well their relations match the query."""

    def __init__(
        self,
        name: str,
        graph: nx.MultiDiGraph[str] | None = None,
        *,
        embedder: Embedder | None = None,
        description: str = "",
        domains: Sequence[str] = (),
        examples: Sequence[str] = (),
        hops: int = 2,
        top_k: int = 10,
        keep_within: float = 0.2,
        min_entity_similarity: float = 0.8,
        min_path_score: float = 0.35,
        max_paths: int = 5000,
        relations: Mapping[str, str] | None = None,
    ) -> None:
        if hops < 1:
            raise ValueError(f"hops must be >= 1, got {hops}")
        self.name = name
        self._graph: nx.MultiDiGraph[str] | None = graph
        self._pending: tuple[dict[str, dict[str, Any]], list[Triple]] | None = None
        self._graph_lock = threading.Lock()
        self._embedder = embedder
        self.hops = hops
        self.top_k = top_k
        self.keep_within = keep_within
        self.min_entity_similarity = min_entity_similarity
        self.min_path_score = min_path_score
        """Paths scoring below this do not answer the question (e.g. an entity mentioned in
        passing, "What time is it in Tokyo?" → ``Tokyo —capital_of→ Japan`` at 0.18)."""
        self.max_paths = max_paths
        self.relations = dict(relations or {})
        """How each relation reads as a sentence (``{subject} is the capital of {object}``):
        the answer says what a path says in words; a relation without one shows its arrow."""
        self._descriptor = TargetDescriptor(
            name=name,
            kind=TargetKind.KNOWLEDGE,
            description=description or f"Knowledge graph {name!r} of entities and relations.",
            domains=list(domains),
            examples=list(examples),
        )
        self._lock = threading.Lock()
        self._names: dict[str, str] | None = None  # normalised name or alias -> node
        self._entity_vectors: tuple[list[str], npt.NDArray[np.float32]] | None = None
        self._relation_vectors: dict[str, npt.NDArray[np.float32]] = {}

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_file(cls, name: str, path: str | Path, **kwargs: Any) -> GraphKnowledgeBase:
        """Load ``{"entities": {name: {"aliases": [...], ...}}, "triples": [...], "relations":
        {relation: "{subject} ... {object}"}}`` where each triple is ``[subject, relation,
        object]``, ``[s, r, o, source]`` or an object with ``subject``/``relation``/``object``/
        ``source``. A bare list of triples also works."""
        path = Path(path)
        loaded = read_triples_file(path)  # a bad file fails here, not at first use
        kwargs["relations"] = {**loaded.relations, **(kwargs.get("relations") or {})}
        kb = cls(name, **kwargs)
        kb._pending = (loaded.entities, loaded.triples)
        log.debug("graph_kb.loaded", kb=name, path=str(path), entities=len(loaded.entities))
        return kb

    # -- Target protocol ----------------------------------------------------------------

    @property
    def descriptor(self) -> TargetDescriptor:
        return self._descriptor

    def estimate_cost(self, query: str) -> float:
        return 0.0

    async def health(self) -> Health:
        n = self.graph.number_of_edges()
        return Health(ok=n > 0, detail=f"{self.graph.number_of_nodes()} entities, {n} relations")

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        args = args or {}
        text = str(args.get("query") or query)
        k = int(args.get("k", self.top_k))
        obs = Observation(
            step_id=step_id, target=self.name, kind=TargetKind.KNOWLEDGE, query=text, ok=False
        )
        t0 = time.perf_counter()
        matches, paths = await asyncio.to_thread(self.search, text, k)
        why = self._why_not(matches, paths)
        if why:
            obs.error = why
        else:
            obs.ok = True
            obs.result = quote_passages(
                self.name,
                [(f"path (score {p.score:.2f})", _render_with_sources(p)) for p in paths],
            )
            obs.sources = [
                Source(
                    kind=TargetKind.KNOWLEDGE,
                    name=self.name,
                    ref=p.triples[0].subject,
                    excerpt=p.render(),
                )
                for p in paths
            ]
            obs.data = {
                "entities": [m.model_dump() for m in matches],
                "paths": [p.model_dump() for p in paths],
                "answer": _answer(max(paths, key=lambda p: p.score), matches),
            }
            said = [p.sentences(self.relations) for p in paths]
            if all(said):  # the answer reads these words; later steps read the paths
                obs.data["readable"] = "\n".join(dict.fromkeys(s for s in said if s))
        obs.latency_s = time.perf_counter() - t0
        return obs

    def probe(self, query: str, vector: Any = None) -> Probe:
        """How well this graph would answer ``query`` (its best path's score), without
        answering: what the planner routes by. ``vector``: the query's, if already embedded."""
        matches, paths = self.search(query, self.top_k, embed_names=False, vector=vector)
        why = self._why_not(matches, paths)
        best = max((p.score for p in paths), default=0.0)
        if why:
            return Probe(target=self.name, answers=False, similarity=best, reason=why)
        top = max(paths, key=lambda p: p.score)
        return Probe(
            target=self.name,
            answers=True,
            similarity=best,
            passage=top.render()[:300],
            reason=f"best path (score {best:.2f})",
        )

    def _why_not(self, matches: Sequence[EntityMatch], paths: Sequence[GraphPath]) -> str:
        """Why the entities and paths found do not answer the query ("" when they do)."""
        if not matches:
            return f"no relevant passage: no entity of the query is known to graph {self.name!r}"
        if not paths:
            return f"no relevant passage: {', '.join(m.entity for m in matches)} has no relations"
        best = max(p.score for p in paths)
        if best < self.min_path_score:
            return (
                f"no relevant passage: no relation of {', '.join(m.entity for m in matches)} "
                f"answers the question (best path score {best:.2f})"
            )
        return ""


def _answer(path: GraphPath, matches: Sequence[EntityMatch]) -> str:
    """The entity the best path leads to from the query's own entities ("Which river does Cairo
    lie on?" → ``Cairo —lies_on_river→ Nile`` → "Nile"): what a later step that refers to this
    one ("that river") is about, rather than the whole quoted passage."""
    seeds = {m.entity for m in matches}
    nodes: list[str] = []
    for t in path.triples:
        nodes += [e for e in (t.subject, t.object) if e not in nodes]
    if nodes and nodes[0] not in seeds and nodes[-1] in seeds:
        nodes.reverse()  # walked against the stored direction: the seed is the last node
    return next((e for e in reversed(nodes) if e not in seeds), "")


def _render_with_sources(path: GraphPath) -> str:
    sources = sorted({t.source for t in path.triples if t.source})
    return path.render() + (f" (source: {', '.join(sources)})" if sources else "")
