"""The case store on a Chroma server: any number of processes and hosts share one bank.

With ``[persistence] chroma_url`` set, the cases live where the knowledge bases do. The server
serialises the writes, so there is no journal here and no index of ours: a write is durable on
the server when its call returns, and a search is the server's own HNSW query
(``benchmarks/bench_case_index.py``: at the same recall it costs about what our index costs
in-process, and an index of ours could not see other hosts' writes without a log they share).
One collection per namespace, named as on disk (``_chroma_records``); the embedder id is
recorded in each collection's metadata and checked on open.

A turn's case is on the server when ``put`` returns; the cases of a process's concurrent turns
go in one upsert (``_group_commit``: concurrent writes contend on the server). The recall counts
a turn carries for the cases it recalled are written behind it (``_pending_counts``): coalesced
per process and written into the cases' metadata (not their documents and vectors) in one
request per ``counts_interval_s`` and on ``flush``/``close``, so a crash loses at most that
interval's counts, never a case. Reads take the counts from the metadata.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute._chroma_client import ChromaServer, chroma_client
from agentroute.embeddings._base import Embedder
from agentroute.memory._case import Case, CaseStatus, RecallStats
from agentroute.memory._chroma_records import (
    MARK,
    case_meta,
    col_meta,
    collection_name,
    parse_case,
    recall_meta,
    with_meta_counts,
)
from agentroute.memory._group_commit import GroupCommit
from agentroute.memory._pending_counts import PendingCounts
from agentroute.memory._store import MemoryStoreError, check_vector, embedder_mismatch

__all__ = ["ServerCaseStore"]

_QUERY_TRIES = 4
"""A query racing another process's write can fail on the server with "Error finding id" (its
vector index holds an id its record store does not show yet, chromadb 1.5); asked again a
moment later it answers."""

EF_SEARCH = 100
"""The HNSW ``ef_search`` of a case collection (chromadb's default; the benchmark's recall@8 at
it is at least the in-process index's on both of its vector sets)."""


COUNTS_INTERVAL_S = 1.0
"""How often the recall counts of this process's turns are written (at most this long's counts
are lost on a crash; one upsert per interval instead of one per turn)."""


class ServerCaseStore:
    """Cases in collections on ``server``; ``embedder`` ``None`` for maintenance only."""

    def __init__(
        self,
        server: ChromaServer,
        embedder: Embedder | None,
        *,
        counts_interval_s: float = COUNTS_INTERVAL_S,
    ) -> None:
        self.server = server
        self.counts = PendingCounts(self._write_counts, interval_s=counts_interval_s)
        """The recall counts not yet on the server."""
        self.puts: GroupCommit[tuple[Case, npt.NDArray[np.float32]]] = GroupCommit(self._upsert)
        """The turns' cases, written together when they come together."""
        self._client = chroma_client(Path("."), server)
        self._embedder_id = embedder.id if embedder is not None else ""
        self._dim = embedder.dim if embedder is not None else 0
        self._cols: dict[str, Any] = {}
        if embedder is not None:
            for ns, col in self._all_collections().items():
                stored = str((col.metadata or {}).get("embedder", ""))
                if stored and stored != embedder.id:
                    raise embedder_mismatch(f"{server.url} (namespace {ns!r})", stored, embedder.id)

    @property
    def embedder_id(self) -> str:
        return self._embedder_id

    @property
    def dim(self) -> int:
        return self._dim

    # -- writes ---------------------------------------------------------------------------------

    def put(self, case: Case, vector: npt.ArrayLike, *, updates: Sequence[Case] = ()) -> None:
        """Write ``case`` now; of ``updates`` only their recall counts are kept, and written
        behind (``counts``)."""
        self._writable()
        vec = check_vector(vector, self._dim)
        for other in updates:
            if other.id == case.id and other.namespace == case.namespace:
                raise MemoryStoreError(f"case {case.id!r} is both put and updated")
        self.puts.submit((case, vec))
        self.counts.add(updates)

    def put_many(self, cases: list[Case], vectors: npt.ArrayLike, *, batch: int = 1000) -> None:
        self._writable()
        mat = np.asarray(vectors, dtype=np.float32).reshape(len(cases), -1)
        if mat.shape[1] != self._dim:
            raise MemoryStoreError(
                f"vectors have dimension {mat.shape[1]}, the store expects {self._dim}"
            )
        for a in range(0, len(cases), batch):
            self._upsert(list(zip(cases[a : a + batch], mat[a : a + batch], strict=True)))

    def update(self, case: Case) -> None:
        self.update_many([case])

    def update_many(self, cases: Sequence[Case]) -> None:
        self._upsert(self._stored(cases, strict=True, keep_status=False))

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool:
        case = self.get(case_id, namespace=namespace)
        if case is None:
            return False
        self.counts.drop(case.namespace, [case_id])
        col = self._collection(case.namespace, create=False)
        if col is None:
            return False
        col.delete(ids=[case_id])
        return True

    def _write_counts(self, batch: dict[str, dict[str, RecallStats]]) -> None:
        """The new counts into the cases' metadata, one update per namespace: the document and
        the vector are not rewritten (re-inserting a stored vector into the server's HNSW
        index costs milliseconds a case), and a case deleted meanwhile stays deleted (chromadb
        skips an update of a missing id)."""
        for ns, counts in batch.items():
            col = self._collection(ns, create=False)
            if col is not None:
                col.update(ids=list(counts), metadatas=[recall_meta(c) for c in counts.values()])

    def _writable(self) -> None:
        if not self._embedder_id:
            raise MemoryStoreError("this store was opened without an embedder: read-only use")

    def _stored(
        self, cases: Sequence[Case], *, strict: bool, keep_status: bool
    ) -> list[tuple[Case, npt.NDArray[np.float32]]]:
        """Each case with its stored vector; one no longer stored is an error when ``strict``,
        else dropped. With ``keep_status``, a case quarantined or retired meanwhile (by
        another process) keeps that status."""
        out = []
        by_ns: dict[str, list[Case]] = {}
        for case in cases:
            by_ns.setdefault(case.namespace, []).append(case)
        for ns, group in by_ns.items():
            col = self._collection(ns, create=False)
            got = (
                col.get(ids=[c.id for c in group], include=["embeddings", "documents"])
                if col is not None
                else {"ids": [], "embeddings": [], "documents": []}
            )
            found = {
                str(i): (np.asarray(e, dtype=np.float32), str(d))
                for i, e, d in zip(got["ids"], got["embeddings"], got["documents"], strict=True)
            }
            for case in group:
                if case.id not in found:
                    if strict:
                        raise MemoryStoreError(f"no case {case.id!r} in namespace {ns!r}")
                    continue
                vec, doc = found[case.id]
                if keep_status:
                    now = parse_case(doc, where=f"{ns}/{case.id}")
                    if now.status is not case.status:
                        case = case.model_copy(update={"status": now.status})
                out.append((case, vec))
        return out

    def _upsert(self, writes: list[tuple[Case, npt.NDArray[np.float32]]]) -> None:
        """Write whole cases (their pending counts dropped: the case as given is newer)."""
        by_ns: dict[str, list[tuple[Case, npt.NDArray[np.float32]]]] = {}
        for case, vec in writes:
            by_ns.setdefault(case.namespace, []).append((case, vec))
        for ns, group in by_ns.items():
            last = {c.id: (c, v) for c, v in group}
            self.counts.drop(ns, list(last))
            col = self._collection(ns, create=True)
            col.upsert(
                ids=list(last),
                embeddings=np.stack([v for _, v in last.values()]),
                documents=[c.model_dump_json() for c, _ in last.values()],
                metadatas=[case_meta(c) | recall_meta(c.recall) for c, _ in last.values()],
            )

    # -- reads ----------------------------------------------------------------------------------

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            col = self._collection(ns, create=False)
            if col is None:
                continue
            got = col.get(ids=[case_id], include=["documents", "metadatas"])
            if got["ids"]:
                return self._parsed(got, 0, where=f"{ns}/{case_id}")
        return None

    def get_many(self, case_ids: Sequence[str], *, namespace: str) -> dict[str, Case]:
        col = self._collection(namespace, create=False)
        ids = list(dict.fromkeys(case_ids))
        if col is None or not ids:
            return {}
        got = col.get(ids=ids, include=["documents", "metadatas"])
        return {
            str(cid): self._parsed(got, i, where=f"{namespace}/{cid}")
            for i, cid in enumerate(got["ids"])
        }

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None:
        col = self._collection(namespace, create=False)
        if col is None:
            return None
        got = col.get(ids=[case_id], include=["embeddings"])
        if not got["ids"]:
            return None
        return np.asarray(got["embeddings"][0], dtype=np.float32)

    def search(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        n: int,
        min_similarity: float | None = None,
    ) -> list[tuple[Case, float]]:
        got = self._query(vector, namespace, n, ["documents", "metadatas", "distances"])
        if got is None:
            return []
        row = {"documents": got["documents"][0], "metadatas": got["metadatas"][0]}
        out = []
        for i, (cid, dist) in enumerate(zip(got["ids"][0], got["distances"][0], strict=True)):
            sim = 1.0 - float(dist)
            if min_similarity is None or sim >= min_similarity:
                out.append((self._parsed(row, i, where=f"{namespace}/{cid}"), sim))
        return out

    def nearest(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[str, float]]:
        got = self._query(vector, namespace, n, ["distances"])
        if got is None:
            return []
        return [
            (str(cid), 1.0 - float(d))
            for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)
        ]

    def _query(
        self, vector: npt.ArrayLike, namespace: str, n: int, include: list[str]
    ) -> dict[str, Any] | None:
        vec = check_vector(vector, self._dim)
        col = self._collection(namespace, create=False)
        if col is None or n <= 0:
            return None
        for attempt in range(_QUERY_TRIES):
            try:
                got: dict[str, Any] = col.query(
                    query_embeddings=[vec],
                    n_results=n,
                    where={"status": CaseStatus.ACTIVE.value},
                    include=include,
                )
                return got
            except ConnectionError:
                raise
            except Exception as exc:
                if "error finding id" not in str(exc).lower() or attempt == _QUERY_TRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return None

    def cases(self, *, namespace: str | None = None) -> Iterator[Case]:
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            col = self._collection(ns, create=False)
            if col is None:
                continue
            offset = 0
            while True:
                got = col.get(include=["documents", "metadatas"], limit=500, offset=offset)
                if not got["ids"]:
                    break
                for i, cid in enumerate(got["ids"]):
                    yield self._parsed(got, i, where=f"{ns}/{cid}")
                offset += len(got["ids"])

    def namespaces(self) -> list[str]:
        return sorted(self._all_collections())

    def find_turn(self, turn_id: str) -> Case | None:
        for ns, col in self._all_collections().items():
            got = col.get(where={"turn_id": turn_id}, include=["documents", "metadatas"], limit=1)
            if got["ids"]:
                return self._parsed(got, 0, where=f"{ns}/{got['ids'][0]}")
        return None

    def count(self, *, namespace: str | None = None) -> int:
        cols = self._all_collections()
        if namespace is not None:
            return int(cols[namespace].count()) if namespace in cols else 0
        return sum(int(c.count()) for c in cols.values())

    def _parsed(self, got: dict[str, Any], i: int, *, where: str) -> Case:
        """Row ``i`` of a read as this process sees it: the counts from the metadata (where
        they are written behind), then those this process has not written yet."""
        case = parse_case(got["documents"][i], where=where)
        return self.counts.overlay(with_meta_counts(case, got["metadatas"][i]))

    def flush(self) -> None:
        """Write the pending recall counts (every case is on the server already)."""
        self.counts.flush()

    def close(self) -> None:
        self.counts.close()
        self._cols.clear()

    def __enter__(self) -> ServerCaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- collections ----------------------------------------------------------------------------

    def _all_collections(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in self._client.list_collections():
            meta = col.metadata or {}
            if meta.get("agentroute") == MARK and not col.name.endswith("-reindex"):
                out[str(meta["namespace"])] = col
        return out

    def _collection(self, namespace: str, *, create: bool) -> Any:
        col = self._cols.get(namespace)
        if col is not None:
            return col
        try:
            col = self._client.get_collection(collection_name(namespace), embedding_function=None)
        except ConnectionError:
            raise
        except Exception:  # chromadb raises NotFoundError / ValueError by version
            if not create:
                return None
            meta = col_meta(namespace, None)
            meta["embedder"] = self._embedder_id
            meta["dim"] = self._dim
            col = self._client.get_or_create_collection(
                name=collection_name(namespace),
                embedding_function=None,
                metadata=meta,
                configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
            )
        self._cols[namespace] = col
        return col
