"""Entity lookup and k-hop path retrieval over a networkx graph, ranked against the query.

Why apart from ``_graph_kb``: how a graph is searched (names, aliases, typos, embeddings,
relation relevance) stands on its own; :class:`GraphKnowledgeBase` adds the target around it
(descriptor, health, ``invoke`` with timeouts and quoted results).
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from agentroute.embeddings import Embedder, default_embedder
from agentroute.knowledge._triples import EntityMatch, GraphPath, Triple
from agentroute.text import STOP_WORDS

if TYPE_CHECKING:  # imported when a graph is first built: ~75 ms a turn that never asks it skips
    import networkx as nx

__all__ = ["GraphRetrieval"]

_HOP_COST = 0.55
_LEXICAL_BONUS = 0.3
_WORD = re.compile(r"\w+", re.UNICODE)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _relation_text(relation: str) -> str:
    return relation.replace("_", " ")


def _stems(text: str) -> set[str]:
    """Lower-cased words with a plural/verb ``s`` dropped: "flows" and "flow" meet."""
    words = _WORD.findall(text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words} - STOP_WORDS


def _add_entity(
    graph: nx.MultiDiGraph[str], entity: str, *, aliases: Sequence[str] = (), **attrs: Any
) -> None:
    graph.add_node(entity, aliases=list(aliases), **attrs)


def _add_triple(graph: nx.MultiDiGraph[str], triple: Triple) -> None:
    for node in (triple.subject, triple.object):
        if node not in graph:
            graph.add_node(node, aliases=[])
    graph.add_edge(triple.subject, triple.object, relation=triple.relation, source=triple.source)


class GraphRetrieval:
    """The graph and how to search it: add entities and triples, find the entities a query
    names (exact name or alias, else typo or embedding similarity), walk ``hops`` around
    them and rank the paths by how well their relations match the query.

    A base class: the knowledge base that derives from it sets these attributes.
    """

    name: str
    hops: int
    top_k: int
    keep_within: float
    min_entity_similarity: float
    max_paths: int
    _embedder: Embedder | None
    _lock: threading.Lock
    _graph: nx.MultiDiGraph[str] | None
    _pending: tuple[dict[str, dict[str, Any]], list[Triple]] | None
    _graph_lock: threading.Lock
    _names: dict[str, str] | None
    _entity_vectors: tuple[list[str], npt.NDArray[np.float32]] | None
    _relation_vectors: dict[str, npt.NDArray[np.float32]]

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The graph, built at its first use from what was loaded (``_pending``): a turn whose
        clauses no graph is asked about never imports networkx."""
        if self._graph is None:
            with self._graph_lock:
                if self._graph is None:
                    import networkx as nx

                    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
                    entities, triples = self._pending or ({}, [])
                    for entity, attrs in entities.items():
                        _add_entity(graph, entity, **attrs)
                    for triple in triples:
                        _add_triple(graph, triple)
                    self._graph, self._pending = graph, None
        return self._graph

    def add_entity(self, entity: str, *, aliases: Sequence[str] = (), **attrs: Any) -> None:
        _add_entity(self.graph, entity, aliases=aliases, **attrs)
        self._invalidate()

    def add_triple(self, triple: Triple) -> None:
        _add_triple(self.graph, triple)
        self._invalidate()

    def _invalidate(self) -> None:
        self._names = None
        self._entity_vectors = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def vocabulary(self) -> list[str]:
        """The graph's own words: entity names, their aliases and the relations' words
        ("capital of"), what a misspelt argument is read against (``agentroute.turn``)."""
        words = [str(node) for node in self.graph.nodes]
        for _, data in self.graph.nodes(data=True):
            words += data.get("aliases", [])
        words += sorted({_relation_text(r) for *_, r in self.graph.edges(data="relation") if r})
        return words

    # -- entity lookup ------------------------------------------------------------------

    def _name_index(self) -> dict[str, str]:
        with self._lock:
            if self._names is None:
                names: dict[str, str] = {}
                for node, data in self.graph.nodes(data=True):
                    for alias in data.get("aliases", []):
                        names.setdefault(_norm(alias), node)
                for node in self.graph.nodes:  # canonical names win over aliases
                    names[_norm(node)] = node
                self._names = {k: v for k, v in names.items() if k}
            return self._names

    def find_entities(
        self, query: str, *, fuzzy: bool = True, embed: bool = True
    ) -> list[EntityMatch]:
        """Entities the query names: longest exact name/alias matches first (case-insensitive,
        whole words); if none, close spellings, then (``embed``) word n-grams compared with
        entity names by embedding."""
        names = self._name_index()
        longest = max((len(k.split()) for k in names), default=0)
        words = _WORD.findall(query.lower())
        found: list[EntityMatch] = []
        used = [False] * len(words)
        for n in range(min(longest, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                if any(used[i : i + n]):
                    continue
                surface = " ".join(words[i : i + n])
                node = names.get(surface)
                if node is not None and all(m.entity != node for m in found):
                    found.append(EntityMatch(entity=node, surface=surface, score=1.0))
                    used[i : i + n] = [True] * n
        if found or not fuzzy or not words:
            return found
        return self._fuzzy_entities(words, names, embed=embed)

    def _fuzzy_entities(
        self, words: list[str], names: dict[str, str], *, embed: bool = True
    ) -> list[EntityMatch]:
        grams = sorted(
            {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        )
        best: dict[str, EntityMatch] = {}
        # Typos first ("Frnace"): close spellings of a name or alias with as many words. A
        # gram that starts or ends on a function word names nothing ("of frnace").
        by_words: dict[int, list[str]] = {}
        for key in names:
            by_words.setdefault(len(key.split()), []).append(key)
        for gram in grams:
            parts = gram.split()
            if len(gram) < 4 or parts[0] in STOP_WORDS or parts[-1] in STOP_WORDS:
                continue
            keys = by_words.get(len(parts), [])
            for close in difflib.get_close_matches(gram, keys, n=1, cutoff=0.8):
                node = names[close]
                ratio = difflib.SequenceMatcher(None, gram, close).ratio()
                if node not in best or best[node].score < ratio:
                    best[node] = EntityMatch(entity=node, surface=gram, score=ratio)
        if best or not embed:
            return sorted(best.values(), key=lambda m: -m.score)
        # Then other wordings of a name ("mt everest", "danube river"), by embedding.
        nodes, matrix = self._entity_matrix()
        if not nodes:
            return []
        sims = self.embedder.embed(grams) @ matrix.T
        for gi, row in enumerate(sims):
            j = int(row.argmax())
            score = float(row[j])
            if score >= self.min_entity_similarity and (
                nodes[j] not in best or best[nodes[j]].score < score
            ):
                best[nodes[j]] = EntityMatch(entity=nodes[j], surface=grams[gi], score=score)
        return sorted(best.values(), key=lambda m: -m.score)

    def _entity_matrix(self) -> tuple[list[str], npt.NDArray[np.float32]]:
        with self._lock:
            if self._entity_vectors is None:
                nodes = list(self.graph.nodes)
                matrix = (
                    self.embedder.embed(nodes)
                    if nodes
                    else np.zeros((0, self.embedder.dim), dtype=np.float32)
                )
                self._entity_vectors = (nodes, matrix)
            return self._entity_vectors

    # -- neighbourhood retrieval --------------------------------------------------------

    def neighbourhood(self, entity: str, hops: int | None = None) -> list[list[Triple]]:
        """Every simple path of 1..``hops`` edges starting at ``entity``, walking edges in
        either direction (capped at ``max_paths``)."""
        hops = self.hops if hops is None else hops
        if entity not in self.graph:
            raise KeyError(f"unknown entity {entity!r} in graph {self.name!r}")
        paths: list[list[Triple]] = []
        frontier: list[tuple[str, list[Triple], frozenset[str]]] = [
            (entity, [], frozenset([entity]))
        ]
        for _ in range(hops):
            nxt: list[tuple[str, list[Triple], frozenset[str]]] = []
            for node, path, seen in frontier:
                for triple, other in self._incident(node):
                    if other in seen:
                        continue
                    new_path = [*path, triple]
                    paths.append(new_path)
                    if len(paths) >= self.max_paths:
                        return paths
                    nxt.append((other, new_path, seen | {other}))
            frontier = nxt
        if hops >= 2:
            # Paths through the entity: "Paris —capital_of→ France —on_continent→ Europe" when
            # the query names France. Incoming edges first, so the chain reads left to right.
            incident = sorted(self._incident(entity), key=lambda to: to[0].object != entity)
            for i, (t1, a) in enumerate(incident):
                for t2, b in incident[i + 1 :]:
                    if a == b:
                        continue
                    paths.append([t1, t2])
                    if len(paths) >= self.max_paths:
                        return paths
        return paths

    def _incident(self, node: str) -> list[tuple[Triple, str]]:
        """Every edge touching ``node``, as a triple and the node at its other end."""

        def triple(subject: str, obj: str, data: dict[str, Any]) -> Triple:
            return Triple(
                subject=subject, relation=data["relation"], object=obj, source=data.get("source")
            )

        out = [(triple(node, obj, d), obj) for _, obj, d in self.graph.out_edges(node, data=True)]
        out += [
            (triple(subj, node, d), subj) for subj, _, d in self.graph.in_edges(node, data=True)
        ]
        return out

    def _relation_similarities(self, query: str, vector: Any = None) -> dict[str, float]:
        relations = sorted({d["relation"] for _, _, d in self.graph.edges(data=True)})
        missing = [r for r in relations if r not in self._relation_vectors]
        if missing:
            vectors = self.embedder.embed([_relation_text(r) for r in missing])
            for r, v in zip(missing, vectors, strict=True):
                self._relation_vectors[r] = v
        q = self.embedder.embed([query])[0] if vector is None else np.asarray(vector)
        words = _stems(query)
        sims: dict[str, float] = {}
        for r in relations:
            rel_words = _stems(_relation_text(r))
            lexical = _LEXICAL_BONUS * len(words & rel_words) / max(len(rel_words), 1)
            sims[r] = float(self._relation_vectors[r] @ q) + lexical
        return sims

    def _score(
        self,
        path: list[Triple],
        rel_sim: dict[str, float],
        entity: EntityMatch,
        mentioned: set[str],
    ) -> float:
        """Each distinct relation adds its relevance above ``_HOP_COST``; a hop that repeats a
        relation or is irrelevant costs. So a two-hop path beats one hop only when both of its
        relations answer something the query asked."""
        score = _HOP_COST
        seen: set[str] = set()
        for t in path:
            gain = rel_sim[t.relation] if t.relation not in seen else 0.0
            score += gain - _HOP_COST
            seen.add(t.relation)
        nodes = {t.subject for t in path} | {t.object for t in path}
        score += 0.15 * (len(nodes & mentioned) - 1)  # paths linking entities the query names
        return entity.score * score

    def search(
        self, query: str, k: int | None = None, *, embed_names: bool = True, vector: Any = None
    ) -> tuple[list[EntityMatch], list[GraphPath]]:
        """The entities the query names and the ``k`` best paths around them; without
        ``embed_names`` only names, aliases and their close spellings are looked up (cheap
        enough to probe while planning)."""
        k = self.top_k if k is None else k
        matches = self.find_entities(query, embed=embed_names)
        if not matches:
            return [], []
        rel_sim = self._relation_similarities(query, vector)
        mentioned = {m.entity for m in matches}
        scored: dict[tuple[Triple, ...], float] = {}
        for m in matches:
            for path in self.neighbourhood(m.entity):
                key = tuple(path)
                if key not in scored:
                    scored[key] = self._score(path, rel_sim, m, mentioned)
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        if not ranked:
            return matches, []
        # Keep the paths close to the best one (a list question gets all its answers, a
        # single-answer question is not padded with loosely related facts).
        floor = ranked[0][1] - self.keep_within
        best = [(p, sc) for p, sc in ranked[:k] if sc >= floor]
        return matches, [GraphPath(triples=list(p), score=sc) for p, sc in best]
