"""The persistent case store: chromadb on disk behind a write-ahead journal.

Writes go to the journal first (``_write_behind`` says why, and how they reach chromadb in
batches). chromadb itself is imported only when something needs it (applying a batch, a
namespace with no saved index, maintenance): a run that recalls and writes a case reads the
saved index (``_snapshot``), the journal, and chromadb's SQLite file
(``agentroute._chroma_file``).

Search runs on an in-memory ``VectorIndex`` per namespace, loaded on first use from its saved
index or from chromadb, never by re-embedding. Each namespace has its own collection, named by a hash of the full
namespace, so isolation never depends on a metadata filter or a name prefix. The embedder id is
recorded in every collection's metadata and checked on open.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute._chroma_file import ChromaFile
from agentroute._log import get_logger
from agentroute.embeddings._base import Embedder
from agentroute.memory._body_cache import BodyCache
from agentroute.memory._case import Case, CaseStatus
from agentroute.memory._chroma_records import (
    MARK,
    apply_ops,
    b64,
    case_meta,
    col_meta,
    collection_name,
    parse_case,
    unb64,
    write_recorded,
)
from agentroute.memory._index import VectorIndex
from agentroute.memory._snapshot import (
    drop_snapshot,
    drop_snapshots,
    load_snapshot,
    save_snapshot,
)
from agentroute.memory._store import MemoryStoreError, check_vector, embedder_mismatch
from agentroute.memory._write_behind import WriteBehind

__all__ = ["ChromaCaseStore"]

log = get_logger(__name__)

_PAGE = 1000
"""Rows per chromadb read of a first load: chromadb keeps buffers sized by the page (100k
vectors left it ~390 MB more resident in pages of 5000, ~250 MB in pages of 1000)."""

_OPEN_HERE: set[Path] = set()
"""Stores this process holds the lock of: a second opener here is told to close the first
(an flock conflicts between two opens in one process too), not blamed on another process."""


class ChromaCaseStore:
    """Cases in chromadb at ``path`` (one collection per namespace), journaled writes.

    ``embedder`` may be ``None`` for maintenance only (list, show, forget, export): then no
    vector is checked and ``put``/``search`` are unavailable. One process owns a store at a
    time (an exclusive lock file); a second opener gets a clear error. A close applies the
    journal to chromadb when chromadb was opened anyway or more than ``defer_up_to`` ops wait;
    else they stay journaled (durable) for a later process.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        embedder: Embedder | None,
        *,
        flush_every: int = 1024,
        flush_interval_s: float = 10.0,
        defer_up_to: int = 256,
        _check_embedder: bool = True,
    ) -> None:
        self._path = Path(path)
        self._path.mkdir(parents=True, exist_ok=True)
        self._lockfile = (self._path / "lock").open("a")
        try:
            fcntl.flock(self._lockfile, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._lockfile.close()
            where = (
                "already open in this process (close the Agent or CaseBank holding it first)"
                if self._path.resolve() in _OPEN_HERE
                else "open in another process"
            )
            raise MemoryStoreError(
                f"case store at {self._path} is {where} (lock {self._path / 'lock'})"
            ) from exc
        _OPEN_HERE.add(self._path.resolve())
        self._embedder_id = embedder.id if embedder is not None else ""
        self._dim = embedder.dim if embedder is not None else 0
        self._chroma: Any = None
        self._file = ChromaFile(self._path / "chroma")
        self._defer_up_to = defer_up_to
        self._lock = threading.RLock()
        self._collections: dict[str, Any] = {}
        self._indexes: dict[str, VectorIndex] = {}
        self._bodies = BodyCache()
        self._dirty: set[str] = set()
        """Namespaces written since open: their snapshot is gone, to be saved again on close."""
        if _check_embedder and embedder is not None:
            recorded = self.recorded_embedder(self._path)
            stored_ids = [str(m.get("embedder", "")) for m in self._namespace_metas().values()]
            for stored in [*([recorded] if recorded is not None else []), *stored_ids]:
                if stored != embedder.id:
                    self._unlock()
                    raise embedder_mismatch(str(self._path), stored, embedder.id)
        if embedder is not None and _check_embedder:
            write_recorded(self._path, embedder)
        self._writes = WriteBehind(
            self._path,
            self._apply,
            self._lock,
            embedder_id=self._embedder_id,
            flush_every=flush_every,
            flush_interval_s=flush_interval_s,
            eager=lambda: self._chroma is not None,
        )

    @property
    def _client(self) -> Any:
        """The chromadb client, opened on first use."""
        if self._chroma is None:
            import chromadb  # ~0.5-1 s: only when a batch is applied or a read needs chromadb
            from chromadb.config import Settings

            self._chroma = chromadb.PersistentClient(
                path=str(self._path / "chroma"), settings=Settings(anonymized_telemetry=False)
            )
        return self._chroma

    # -- protocol -----------------------------------------------------------------------------

    @property
    def embedder_id(self) -> str:
        return self._embedder_id

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def path(self) -> Path:
        return self._path

    def put(self, case: Case, vector: npt.ArrayLike, *, updates: Sequence[Case] = ()) -> None:
        if not self._embedder_id:
            raise MemoryStoreError("this store was opened without an embedder: read-only use")
        vec = check_vector(vector, self._dim)
        for other in updates:
            if other.id == case.id and other.namespace == case.namespace:
                raise MemoryStoreError(f"case {case.id!r} is both put and updated")
        with self._lock:
            self._record([*self._kept_vectors(updates, strict=False), (case, vec)])

    def _record(self, writes: list[tuple[Case, npt.NDArray[np.float32]]]) -> None:
        """Journal the writes (durable together, one sync), then show them to reads."""
        if not writes:
            return
        with self._lock:
            for ns in {case.namespace for case, _ in writes}:
                self._touch(ns)
            bodies = [case.model_dump_json() for case, _ in writes]
            self._writes.record(
                [
                    ({"op": "put", "case": json.loads(body), "vec": b64(vec)}, body)
                    for (_, vec), body in zip(writes, bodies, strict=True)
                ]
            )
            for (case, vec), body in zip(writes, bodies, strict=True):
                self._index(case.namespace).add(
                    case.id, vec, active=case.status is CaseStatus.ACTIVE
                )
                self._bodies.put((case.namespace, case.id), body)
            self._writes.nudge()

    def put_many(self, cases: list[Case], vectors: npt.ArrayLike, *, batch: int = 1000) -> None:
        """Bulk load (imports, benchmarks): straight into chromadb in batches, no journal.

        Durable when it returns; a crash midway leaves a prefix of the batch stored.
        """
        if not self._embedder_id:
            raise MemoryStoreError("this store was opened without an embedder: read-only use")
        mat = np.asarray(vectors, dtype=np.float32).reshape(len(cases), -1)
        if mat.shape[1] != self._dim:
            raise MemoryStoreError(
                f"vectors have dimension {mat.shape[1]}, the store expects {self._dim}"
            )
        self.flush()
        by_ns: dict[str, list[int]] = {}
        for i, c in enumerate(cases):
            by_ns.setdefault(c.namespace, []).append(i)
        for ns, rows in by_ns.items():
            with self._lock:
                index = self._index(ns)
                col = self._collection(ns, create=True)
            with self._lock:
                self._touch(ns)
                for i in rows:
                    self._bodies.pop((ns, cases[i].id))
            for a in range(0, len(rows), batch):
                chunk = rows[a : a + batch]
                col.upsert(
                    ids=[cases[i].id for i in chunk],
                    embeddings=mat[chunk],
                    documents=[cases[i].model_dump_json() for i in chunk],
                    metadatas=[case_meta(cases[i]) for i in chunk],
                )
            with self._lock:
                index.add_many(
                    [cases[i].id for i in rows],
                    mat[rows],
                    [cases[i].status is CaseStatus.ACTIVE for i in rows],
                )

    def update(self, case: Case) -> None:
        self.update_many([case])

    def update_many(self, cases: Sequence[Case]) -> None:
        with self._lock:
            self._record(self._kept_vectors(cases, strict=True))

    def _kept_vectors(
        self, cases: Sequence[Case], *, strict: bool
    ) -> list[tuple[Case, npt.NDArray[np.float32]]]:
        """Each stored case with its stored vector (an update keeps it); one no longer stored
        is an error when ``strict``, else dropped (never brought back). Caller holds lock."""
        writes = []
        for case in cases:
            vec = self.vector(case.id, namespace=case.namespace)
            if vec is None and not strict:
                continue
            if vec is None:
                raise MemoryStoreError(f"no case {case.id!r} in namespace {case.namespace!r}")
            writes.append((case, vec))
        return writes

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            case = self._bodies_of(ns, [case_id]).get(case_id)
            if case is not None:
                return case
        return None

    def _bodies_of(self, namespace: str, ids: list[str]) -> dict[str, Case]:
        """The cases among ``ids`` that exist: pending writes first, then the body cache, then
        chromadb (a pending delete hides the case)."""
        found: dict[str, Case] = {}
        ask: list[str] = []
        with self._lock:
            for cid in ids:
                pend = self._writes.pending.get((namespace, cid))
                body = pend[1] if pend is not None else self._bodies.get((namespace, cid))
                if body is not None:
                    found[cid] = parse_case(body, where=f"{namespace}/{cid}")
                elif pend is None:
                    ask.append(cid)
        stored = self._stored_documents(namespace, ask) if ask else {}
        if stored:
            with self._lock:
                for cid, doc in stored.items():
                    key = (namespace, cid)
                    pend = self._writes.pending.get(key)
                    newer = pend[1] if pend is not None else self._bodies.get(key)
                    if newer is not None:  # written while chromadb was read: that is newer
                        found[cid] = parse_case(newer, where=f"{namespace}/{cid}")
                    elif pend is None:  # (not deleted meanwhile)
                        found[cid] = parse_case(doc, where=f"{namespace}/{cid}")
                        self._bodies.put(key, str(doc))
        return found

    def _stored_documents(self, namespace: str, ids: list[str]) -> dict[str, str]:
        """The bodies chromadb holds for ``ids``: from its SQLite file, else through it (also
        for an id the file lacks that the namespace's index holds: its body must exist)."""
        read = self._file.documents(collection_name(namespace), ids)
        found = read or {}
        index = self._indexes.get(namespace)
        missing = [
            cid
            for cid in ids
            if cid not in found and (read is None or (index is not None and cid in index))
        ]
        col = self._collection(namespace, create=False) if missing else None
        if col is not None:
            got = col.get(ids=missing, include=["documents"])
            found.update(
                (str(c), str(d)) for c, d in zip(got["ids"], got["documents"], strict=True)
            )
        return found

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None:
        with self._lock:
            return self._index(namespace).vector(case_id)

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool:
        case = self.get(case_id, namespace=namespace)
        if case is None:
            return False
        with self._lock:
            self._touch(case.namespace)
            self._index(case.namespace).remove(case_id)
            self._writes.record([({"op": "delete", "ns": case.namespace, "id": case_id}, None)])
            self._bodies.pop((case.namespace, case_id))
        return True

    def index(self, namespace: str) -> VectorIndex:
        """The in-memory index of ``namespace`` (loaded on first use)."""
        with self._lock:
            return self._index(namespace)

    def collection(self, namespace: str) -> Any:
        """The chromadb collection of ``namespace`` (``None`` if it has none yet)."""
        return self._collection(namespace, create=False)

    def nearest(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[str, float]]:
        vec = check_vector(vector, self._dim)
        with self._lock:
            if (
                namespace not in self._indexes
                and not self._exists(namespace)
                and namespace not in self._writes.namespaces()
            ):
                return []
            return self._index(namespace).search(vec, n)

    def search(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        n: int,
        min_similarity: float | None = None,
    ) -> list[tuple[Case, float]]:
        hits = self.nearest(vector, namespace=namespace, n=n)
        if min_similarity is not None:
            hits = [(cid, sim) for cid, sim in hits if sim >= min_similarity]
        if not hits:
            return []
        found = self._bodies_of(namespace, [cid for cid, _ in hits])
        return [(found[cid], sim) for cid, sim in hits if cid in found]

    def cases(self, *, namespace: str | None = None) -> Iterator[Case]:
        self.flush()
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            col = self._collection(ns, create=False)
            if col is None:
                continue
            offset = 0
            while True:
                got = col.get(include=["documents"], limit=500, offset=offset)
                if not got["ids"]:
                    break
                for cid, doc in zip(got["ids"], got["documents"], strict=True):
                    yield parse_case(doc, where=f"{ns}/{cid}")
                offset += len(got["ids"])

    def namespaces(self) -> list[str]:
        return sorted(set(self._namespace_metas()) | self._writes.namespaces())

    def find_turn(self, turn_id: str) -> Case | None:
        pending = self._writes.find_turn(turn_id)
        if pending is not None:
            return pending
        self.flush()
        for ns, col in self._all_collections().items():
            got = col.get(where={"turn_id": turn_id}, include=["documents"], limit=1)
            if got["ids"]:
                return parse_case(got["documents"][0], where=f"{ns}/{got['ids'][0]}")
        return None

    def count(self, *, namespace: str | None = None) -> int:
        self.flush()
        cols = self._all_collections()
        if namespace is not None:
            return cols[namespace].count() if namespace in cols else 0
        return sum(c.count() for c in cols.values())

    def flush(self) -> None:
        """Move every journaled write into chromadb now (the flusher does it in batches)."""
        self._writes.flush()

    def close(self) -> None:
        writes: WriteBehind | None = getattr(self, "_writes", None)
        if writes is not None and not writes.closed:
            writes.close(apply=self._chroma is not None or writes.queued > self._defer_up_to)
            self._save_snapshots()
        self._file.close()
        self._unlock()

    def _save_snapshots(self) -> None:
        """Save the index of each namespace written (or loaded without a snapshot) since open:
        the next open maps it instead of reading every vector from chromadb."""
        if not self._dim:
            return
        for ns, index in self._indexes.items():
            name = collection_name(ns)
            if not len(index) or (ns not in self._dirty and self._has_snapshot(name)):
                continue
            try:
                save_snapshot(self._path, name, index, embedder_id=self._embedder_id)
            except OSError as exc:  # only a slower next open
                log.warning("memory.snapshot_not_saved", namespace=ns, error=str(exc))

    def _has_snapshot(self, name: str) -> bool:
        return (self._path / "index" / f"{name}.json").exists()

    def _touch(self, namespace: str) -> None:
        """Before the first write to ``namespace`` since open: its snapshot is outdated by it,
        so it goes first (durably). Caller holds lock."""
        if namespace not in self._dirty:
            self._index(namespace)  # loaded from the snapshot while it is still current
            drop_snapshot(self._path, collection_name(namespace))
            self._dirty.add(namespace)

    def _unlock(self) -> None:
        if self._lockfile.closed:  # a second close
            return
        fcntl.flock(self._lockfile, fcntl.LOCK_UN)
        self._lockfile.close()
        _OPEN_HERE.discard(self._path.resolve())

    def __enter__(self) -> ChromaCaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def recorded_embedder(path: str | os.PathLike[str]) -> str | None:
        """The id of the embedder the store at ``path`` was written with (``None``: new store)."""
        meta = Path(path) / "store.json"
        if not meta.exists():
            return None
        return str(json.loads(meta.read_text(encoding="utf-8"))["embedder"])

    # -- re-indexing ----------------------------------------------------------------------------

    @classmethod
    def reindex(cls, path: str | os.PathLike[str], embedder: Embedder, *, batch: int = 256) -> int:
        """Re-embed every case's task with ``embedder``; returns the number of cases."""
        from agentroute.memory._reindex import reindex_cases

        store = cls(path, None, _check_embedder=False)
        try:
            store.flush()
            drop_snapshots(store._path)
            total = reindex_cases(store._client, store._all_collections(), embedder, batch=batch)
            write_recorded(store._path, embedder)
            return total
        finally:
            store.close()

    # -- internals ------------------------------------------------------------------------------

    def _apply(self, ops: list[dict[str, Any]]) -> None:
        apply_ops(ops, self._collection)

    def _namespace_metas(self) -> dict[str, dict[str, Any]]:
        """Each namespace chromadb holds, with its collection's metadata (from the SQLite file
        when it reads, else through chromadb)."""
        cols = self._file.collections()
        if cols is None:
            return {ns: dict(c.metadata or {}) for ns, c in self._all_collections().items()}
        return {
            str(c.metadata["namespace"]): c.metadata
            for c in cols.values()
            if c.metadata.get("agentroute") == MARK
            and "namespace" in c.metadata
            and not c.name.endswith("-reindex")
        }

    def _exists(self, namespace: str) -> bool:
        """Whether chromadb has a collection for ``namespace``."""
        if namespace in self._collections:
            return True
        cols = self._file.collections()
        if cols is not None:
            return collection_name(namespace) in cols
        return self._collection(namespace, create=False) is not None

    def _logical_count(self, namespace: str) -> int | None:
        """How many cases ``namespace`` holds, chromadb and the journal together (what a saved
        index must hold to be current); ``None`` when chromadb's file cannot say."""
        name = collection_name(namespace)
        base = self._file.count(name)
        if base is None:
            return None
        final: dict[str, bool] = {}
        for op in self._writes.unapplied():
            if op["op"] == "put" and op["case"]["namespace"] == namespace:
                final[op["case"]["id"]] = True
            elif op["op"] == "delete" and op["ns"] == namespace:
                final[op["id"]] = False
        if not final:
            return base
        had = self._file.existing(name, list(final))
        if had is None:
            return None
        return (
            base
            + sum(1 for cid, kept in final.items() if kept and cid not in had)
            - sum(1 for cid, kept in final.items() if not kept and cid in had)
        )

    def _overlay(self, namespace: str, index: VectorIndex) -> None:
        """Lay the journal's unapplied ops for ``namespace`` over an index read from chromadb."""
        for op in self._writes.unapplied():
            if op["op"] == "put" and op["case"]["namespace"] == namespace:
                active = op["case"].get("status") == CaseStatus.ACTIVE.value
                index.add(op["case"]["id"], unb64(op["vec"]), active=active)
            elif op["op"] == "delete" and op["ns"] == namespace:
                index.remove(op["id"])

    def _all_collections(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in self._client.list_collections():
            meta = col.metadata or {}
            if meta.get("agentroute") == MARK and not col.name.endswith("-reindex"):
                out[str(meta["namespace"])] = col
        return out

    def _collection(
        self, namespace: str, *, create: bool, embedder_id: str = "", dim: int = 0
    ) -> Any:
        col = self._collections.get(namespace)
        if col is not None:
            return col
        try:
            col = self._client.get_collection(collection_name(namespace), embedding_function=None)
        except Exception:  # chromadb raises NotFoundError / ValueError by version
            if not create:
                return None
            meta = col_meta(namespace, None)
            meta["embedder"] = embedder_id or self._embedder_id
            meta["dim"] = dim or self._dim
            col = self._client.create_collection(
                name=collection_name(namespace),
                embedding_function=None,
                metadata=meta,
                configuration={"hnsw": {"space": "cosine"}},
            )
        self._collections[namespace] = col
        return col

    def _index(self, namespace: str) -> VectorIndex:
        index = self._indexes.get(namespace)
        if index is not None:
            return index
        exists = self._exists(namespace)
        index = None
        if exists and self._dim:
            count = self._logical_count(namespace)
            if count is not None:
                index = load_snapshot(
                    self._path,
                    collection_name(namespace),
                    dim=self._dim,
                    embedder_id=self._embedder_id,
                    count=count,
                )
        if index is None:
            index = VectorIndex(self._dim)
            col = self._collection(namespace, create=False) if exists else None
            if col is not None:
                index.add_many(*self._read_vectors(col))
            if self._dim:
                self._overlay(namespace, index)
        self._indexes[namespace] = index
        return index

    def _read_vectors(self, col: Any) -> tuple[list[str], npt.NDArray[np.float32], list[bool]]:
        """Every id, vector and active flag of ``col``, paged into one preallocated float32
        matrix (one unbounded get of 100k rows overflows SQLite's variable limit; a list of
        float64 pages concatenated at the end held the vectors three times over)."""
        total = col.count()
        mat = np.empty((total, self._dim), dtype=np.float32)
        ids: list[str] = []
        act: list[bool] = []
        while len(ids) < total:
            got = col.get(include=["embeddings", "metadatas"], limit=_PAGE, offset=len(ids))
            if not got["ids"]:
                break
            mat[len(ids) : len(ids) + len(got["ids"])] = np.asarray(got["embeddings"])
            ids.extend(got["ids"])
            act.extend(m.get("status") == CaseStatus.ACTIVE.value for m in got["metadatas"])
        return ids, mat[: len(ids)], act
