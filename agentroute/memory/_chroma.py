"""The persistent case store: chromadb on disk behind a write-ahead journal.

Why the journal: a single chromadb ``add`` costs 30–50 ms here (it updates its HNSW and SQLite
segments per call), over the 20 ms budget for writing a case. A case is first appended to a
journal file and fsync'ed (a few ms) — from then on it is durable, a killed process loses it
not — and a background thread moves journal batches into chromadb. Opening a store replays
whatever journal is left (puts and deletes are idempotent upserts/deletes).

Search runs on an in-memory ``VectorIndex`` per namespace, loaded from chromadb on first use,
never by re-embedding. Each namespace has its own collection, named by a hash of the full
namespace, so isolation never depends on a metadata filter or a name prefix. The embedder id is
recorded in every collection's metadata and checked on open.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
import numpy.typing as npt
import structlog
from chromadb.config import Settings

from agentroute.embeddings._base import Embedder
from agentroute.memory._case import Case, CaseStatus
from agentroute.memory._chroma_records import (
    MARK,
    apply_ops,
    b64,
    case_meta,
    col_meta,
    collection_name,
    parse_case,
    write_recorded,
)
from agentroute.memory._index import VectorIndex
from agentroute.memory._journal import Journal
from agentroute.memory._store import EmbedderMismatchError, MemoryStoreError, check_vector

__all__ = ["ChromaCaseStore"]

log = structlog.get_logger(__name__)

_PAGE = 5000


class ChromaCaseStore:
    """Cases in chromadb at ``path`` (one collection per namespace), journaled writes.

    ``embedder`` may be ``None`` for maintenance only (list, show, forget, export): then no
    vector is checked and ``put``/``search`` are unavailable. One process owns a store at a
    time (an exclusive lock file); a second opener gets a clear error.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        embedder: Embedder | None,
        *,
        flush_every: int = 64,
        flush_interval_s: float = 0.5,
        _check_embedder: bool = True,
    ) -> None:
        self._path = Path(path)
        self._path.mkdir(parents=True, exist_ok=True)
        self._lockfile = (self._path / "lock").open("a")
        try:
            fcntl.flock(self._lockfile, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._lockfile.close()
            raise MemoryStoreError(
                f"case store at {self._path} is open in another process (lock {self._path / 'lock'})"
            ) from exc
        self._embedder_id = embedder.id if embedder is not None else ""
        self._dim = embedder.dim if embedder is not None else 0
        self._client = chromadb.PersistentClient(
            path=str(self._path / "chroma"), settings=Settings(anonymized_telemetry=False)
        )
        self._lock = threading.RLock()
        self._flush_lock = threading.Lock()
        self._collections: dict[str, Any] = {}
        self._indexes: dict[str, VectorIndex] = {}
        self._pending: dict[tuple[str, str], tuple[int, Case | None]] = {}
        self._ops: list[dict[str, Any]] = []
        self._flush_every = flush_every
        self._replay_journal()
        if _check_embedder and embedder is not None:
            for ns, col in self._all_collections().items():
                stored = str((col.metadata or {}).get("embedder", ""))
                if stored != embedder.id:
                    fcntl.flock(self._lockfile, fcntl.LOCK_UN)
                    self._lockfile.close()
                    raise EmbedderMismatchError(str(self._path), stored, embedder.id)
                self._collections[ns] = col
        if embedder is not None and _check_embedder:
            write_recorded(self._path, embedder)
        self._journal = Journal(self._path)
        self._closed = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._interval = flush_interval_s
        self._thread = threading.Thread(target=self._flusher, name="case-store-flush", daemon=True)
        self._thread.start()

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

    def put(self, case: Case, vector: npt.ArrayLike) -> None:
        if not self._embedder_id:
            raise MemoryStoreError("this store was opened without an embedder: read-only use")
        vec = check_vector(vector, self._dim)
        with self._lock:
            index = self._index(case.namespace)
            seq = self._log({"op": "put", "case": case.model_dump(mode="json"), "vec": b64(vec)})
            self._pending[(case.namespace, case.id)] = (seq, case.model_copy(deep=True))
            index.add(case.id, vec, active=case.status is CaseStatus.ACTIVE)
            if len(self._ops) >= self._flush_every:
                self._wake.set()

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
        with self._lock:
            vec = self.vector(case.id, namespace=case.namespace)
            if vec is None:
                raise MemoryStoreError(f"no case {case.id!r} in namespace {case.namespace!r}")
            self.put(case, vec)

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            with self._lock:
                pend = self._pending.get((ns, case_id))
            if pend is not None:
                return pend[1].model_copy(deep=True) if pend[1] is not None else None
            col = self._collection(ns, create=False)
            if col is None:
                continue
            got = col.get(ids=[case_id], include=["documents"])
            if got["ids"]:
                return parse_case(got["documents"][0], where=f"{ns}/{case_id}")
        return None

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None:
        with self._lock:
            return self._index(namespace).vector(case_id)

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool:
        case = self.get(case_id, namespace=namespace)
        if case is None:
            return False
        with self._lock:
            self._index(case.namespace).remove(case_id)
            seq = self._log({"op": "delete", "ns": case.namespace, "id": case_id})
            self._pending[(case.namespace, case_id)] = (seq, None)
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
            if namespace not in self._indexes and self._collection(namespace, create=False) is None:
                return []
            return self._index(namespace).search(vec, n)

    def search(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[Case, float]]:
        vec = check_vector(vector, self._dim)
        with self._lock:
            if namespace not in self._indexes and self._collection(namespace, create=False) is None:
                return []
            hits = self._index(namespace).search(vec, n)
            found: dict[str, Case] = {}
            missing: list[str] = []
            for cid, _ in hits:
                pend = self._pending.get((namespace, cid))
                if pend is not None and pend[1] is not None:
                    found[cid] = pend[1].model_copy(deep=True)
                else:
                    missing.append(cid)
        if missing:
            col = self._collection(namespace, create=False)
            got = col.get(ids=missing, include=["documents"]) if col is not None else None
            for cid, doc in zip(got["ids"], got["documents"], strict=True) if got else []:
                found[cid] = parse_case(doc, where=f"{namespace}/{cid}")
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
        names = set(self._all_collections())
        with self._lock:
            names.update(ns for (ns, _), (_, c) in self._pending.items() if c is not None)
        return sorted(names)

    def find_turn(self, turn_id: str) -> Case | None:
        with self._lock:
            for (_, _), (_, case) in self._pending.items():
                if case is not None and case.turn_id == turn_id:
                    return case.model_copy(deep=True)
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
        with self._flush_lock:
            with self._lock:
                ops, self._ops = self._ops, []
                if not ops:
                    return
                seg = self._journal.rotate(ops[-1]["seq"])
            self._apply(ops)
            seg.unlink()
            with self._lock:
                for op in ops:
                    key = (
                        (op["case"]["namespace"], op["case"]["id"])
                        if op["op"] == "put"
                        else (
                            op["ns"],
                            op["id"],
                        )
                    )
                    if self._pending.get(key, (None,))[0] == op["seq"]:
                        del self._pending[key]

    def close(self) -> None:
        if getattr(self, "_closed", True) is False:
            self._closed = True
            self._stop.set()
            self._wake.set()
            self._thread.join()
            self.flush()
            self._journal.close()
        fcntl.flock(self._lockfile, fcntl.LOCK_UN)
        self._lockfile.close()

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
            total = reindex_cases(store._client, store._all_collections(), embedder, batch=batch)
            write_recorded(store._path, embedder)
            return total
        finally:
            store.close()

    # -- internals ------------------------------------------------------------------------------

    def _log(self, op: dict[str, Any]) -> int:
        """Journal one op (durable on return); returns its sequence number."""
        op["embedder"] = self._embedder_id
        self._ops.append(self._journal.append(op))
        return int(op["seq"])

    def _flusher(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # the journal still holds every write; retried next round
                log.exception("memory.flush_failed", path=str(self._path))

    def _replay_journal(self) -> None:
        ops, segs = Journal.replay(self._path)
        if ops:
            self._apply(ops)
            log.info("memory.journal_replayed", path=str(self._path), ops=len(ops))
        for seg in segs:
            seg.unlink()

    def _apply(self, ops: list[dict[str, Any]]) -> None:
        apply_ops(ops, self._collection)

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
        index = VectorIndex(self._dim)
        col = self._collection(namespace, create=False)
        if col is not None:
            # Paged: one unbounded get of 100k rows overflows SQLite's variable limit.
            ids: list[str] = []
            vecs: list[Any] = []
            act: list[bool] = []
            while True:
                got = col.get(include=["embeddings", "metadatas"], limit=_PAGE, offset=len(ids))
                if not got["ids"]:
                    break
                ids.extend(got["ids"])
                vecs.append(np.asarray(got["embeddings"], np.float32))
                act.extend(m.get("status") == CaseStatus.ACTIVE.value for m in got["metadatas"])
            if ids:
                index.add_many(ids, np.concatenate(vecs), act)
        self._indexes[namespace] = index
        return index
