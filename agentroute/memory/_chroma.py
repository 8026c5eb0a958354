"""The persistent case store: chromadb on disk behind a journal every process shares.

Any number of processes open one bank (an ``agentroute chat`` beside ``agentroute run``s, the
workers of ``serve api``). A write goes to the shared journal first (``_journal``): durable and
ordered once it returns. Every process catches up on the journal's tail before it reads, so a
case written by one is recalled by the next turn of any other, and a forget or a quarantine
holds everywhere. Batches reach chromadb under the bank's apply lock, by whichever process is
due (``_write_behind`` says why one at a time). chromadb itself is imported only when something
needs it (applying a batch, a namespace with no saved index, maintenance): a run that recalls
and writes a case reads the saved index (``_snapshot``), the journal, and chromadb's SQLite
file (``agentroute._chroma_file``).

Search runs on an in-memory ``VectorIndex`` per namespace (``benchmarks/bench_case_index.py``
measures it against chromadb's HNSW), loaded on first use from its saved index or from chromadb,
never by re-embedding, and kept current by the journal's ops. Each namespace has its own
collection, named by a hash of the full namespace, so isolation never depends on a metadata
filter or a name prefix. The embedder id is recorded in every collection's metadata and checked
on open.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import partial
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
    b64,
    case_meta,
    col_meta,
    collection_name,
    parse_case,
    unb64,
    write_recorded,
)
from agentroute.memory._index import VectorIndex
from agentroute.memory._journal import Journal, JournalGap, Position
from agentroute.memory._snapshot import (
    drop_snapshots,
    load_snapshot_at,
    save_snapshot,
    snapshot_lock,
)
from agentroute.memory._store import MemoryStoreError, check_vector, embedder_mismatch
from agentroute.memory._write_behind import WriteBehind

__all__ = ["ChromaCaseStore"]

log = get_logger(__name__)

_PAGE = 1000
"""Rows per chromadb read of a first load: chromadb keeps buffers sized by the page (100k
vectors left it ~390 MB more resident in pages of 5000, ~250 MB in pages of 1000)."""

_PRUNE_AT = 4096
"""Journaled bodies held before those chromadb already has are dropped."""

Op = dict[str, Any]


def _open_chroma(path: Path) -> Any:
    """A fresh embedded client; one that failed to start (a full disk) is not left cached for
    the next session to reuse half made."""
    from agentroute._chroma_client import chroma_client

    try:
        return chroma_client(path)
    except Exception:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
        raise


class ChromaCaseStore:
    """Cases in chromadb at ``path`` (one collection per namespace), journaled writes.

    ``embedder`` may be ``None`` for maintenance only (list, show, forget, export): then no
    vector is checked and ``put``/``search`` are unavailable. Any number of stores, in this
    process or others, may hold one path. A close applies the journal to chromadb when this
    store opened chromadb anyway or more than ``defer_up_to`` ops wait; else they stay journaled
    (durable) for a later process.
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
        self._embedder_id = embedder.id if embedder is not None else ""
        self._dim = embedder.dim if embedder is not None else 0
        self._file = ChromaFile(self._path / "chroma")
        self._flush_every = flush_every
        self._defer_up_to = defer_up_to
        self._lock = threading.RLock()
        self._indexes: dict[str, VectorIndex] = {}
        self._bodies = BodyCache()
        self._tail: dict[tuple[str, str], tuple[Position, str | None]] = {}
        """The newest journaled write per (namespace, case id) chromadb may not hold yet: its
        position and the case's JSON (``None``: a delete). Reads look here first."""
        self._seen: list[Position] = []
        """Positions of the ops read since the last batch this store knows was applied."""
        self._changed: set[str] = set()
        """Namespaces whose index changed since it was loaded: their snapshot is saved at close."""
        self._reloads: dict[str, Position] = {}
        """Namespaces another store bulk loaded, with the position of its marker: a journaled
        body before it may be older than chromadb's, so it is not cached when pruned."""
        self._token = uuid.uuid4().hex
        """Marks this store's own bulk loads in the journal (its index has them already)."""
        self._journal = Journal(self._path)
        self._writes = WriteBehind(
            self._path,
            self._journal,
            _open_chroma,
            self._collection,
            flush_interval_s=flush_interval_s,
            due=lambda: bool(self._seen),
            flushed=self._after_flush,
        )
        try:
            if _check_embedder and embedder is not None:
                recorded = self.recorded_embedder(self._path)
                stored = [str(m.get("embedder", "")) for m in self._namespace_metas().values()]
                for found in [*([recorded] if recorded is not None else []), *stored]:
                    if found != embedder.id:
                        raise embedder_mismatch(str(self._path), found, embedder.id)
                write_recorded(self._path, embedder)
            with self._lock:
                self._journal.cursor = self._journal.applied()
                self._sync()
        except BaseException:
            self._writes.close()
            self._writes.release()
            self._journal.close()
            raise

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
        before = {
            (u.namespace, u.id): self._bodies_of(u.namespace, [u.id]).get(u.id) for u in updates
        }

        def ops() -> list[Op]:
            kept = []
            for other, other_vec in self._kept_vectors(updates, strict=False):
                tail = self._tail.get((other.namespace, other.id))
                now = before.get((other.namespace, other.id))
                if tail is not None and tail[1] is not None:
                    now = parse_case(tail[1], where=f"{other.namespace}/{other.id}")
                if now is not None and now.status is not other.status:  # quarantined meanwhile
                    other = other.model_copy(update={"status": now.status})
                kept.append((other, other_vec))
            return self._put_ops([*kept, (case, vec)])

        self._append(ops, {case.namespace, *(u.namespace for u in updates)})

    def update(self, case: Case) -> None:
        self.update_many([case])

    def update_many(self, cases: Sequence[Case]) -> None:
        self._append(
            lambda: self._put_ops(self._kept_vectors(cases, strict=True)),
            {c.namespace for c in cases},
        )

    def _put_ops(self, writes: list[tuple[Case, npt.NDArray[np.float32]]]) -> list[Op]:
        return [
            {
                "op": "put",
                "case": json.loads(case.model_dump_json()),
                "vec": b64(vec),
                "embedder": self._embedder_id,
            }
            for case, vec in writes
        ]

    def _append(self, build: Callable[[], list[Op]], namespaces: set[str]) -> None:
        """Journal the ops ``build`` returns, decided once every op other processes appended
        before them is applied here (a case forgotten meanwhile is seen as gone); on return
        they are durable, and applied here too. ``build`` reads only loaded indexes and
        journaled bodies (the journal's lock is held): the namespaces are loaded first."""
        with self._lock:
            while True:
                self._sync()
                for ns in namespaces:
                    self._index(ns)
                if self._journal_append(build, namespaces):
                    break
            if len(self._seen) >= self._flush_every:
                self._writes.nudge()

    def _journal_append(
        self, build: Callable[[], list[Op]], namespaces: frozenset[str] | set[str] = frozenset()
    ) -> bool:
        """Append ``build``'s ops; false (nothing written) when another process's bulk load
        unloaded one of ``namespaces`` meanwhile: load it and try again. Caller holds lock."""
        loaded = [True]

        def ops_after(theirs: list[tuple[Position, Op]]) -> list[Op]:
            self._take(theirs)
            loaded[0] = all(ns in self._indexes for ns in namespaces) or not self._dim
            return build() if loaded[0] else []

        _, mine = self._journal.append_with(ops_after)
        self._take(mine)
        return loaded[0]

    def _kept_vectors(
        self, cases: Sequence[Case], *, strict: bool
    ) -> list[tuple[Case, npt.NDArray[np.float32]]]:
        """Each stored case with its stored vector (an update keeps it); one no longer stored
        is an error when ``strict``, else dropped (never brought back). Caller holds lock."""
        writes = []
        for case in cases:
            index = self._indexes.get(case.namespace)
            vec = index.vector(case.id) if index is not None else None
            if vec is None and not strict:
                continue
            if vec is None:
                raise MemoryStoreError(f"no case {case.id!r} in namespace {case.namespace!r}")
            writes.append((case, vec))
        return writes

    def put_many(self, cases: list[Case], vectors: npt.ArrayLike, *, batch: int = 1000) -> None:
        """Bulk load (imports, benchmarks): straight into chromadb in batches, no journal; the
        journal gets one marker per namespace, so other processes reload it from chromadb.

        Durable when it returns; a crash midway leaves a prefix of the batch stored.
        """
        if not self._embedder_id:
            raise MemoryStoreError("this store was opened without an embedder: read-only use")
        mat = np.asarray(vectors, dtype=np.float32).reshape(len(cases), -1)
        if mat.shape[1] != self._dim:
            raise MemoryStoreError(
                f"vectors have dimension {mat.shape[1]}, the store expects {self._dim}"
            )
        by_ns: dict[str, list[int]] = {}
        for i, c in enumerate(cases):
            by_ns.setdefault(c.namespace, []).append(i)
        with self._lock, self._writes.engine() as session:  # (the store's lock first, always)
            self._writes.flush()
            for ns, rows in by_ns.items():
                with self._lock:
                    index = self._index(ns)
                col = self._collection(session.client, ns, create=True)
                for a in range(0, len(rows), batch):
                    chunk = rows[a : a + batch]
                    col.upsert(
                        ids=[cases[i].id for i in chunk],
                        embeddings=mat[chunk],
                        documents=[cases[i].model_dump_json() for i in chunk],
                        metadatas=[case_meta(cases[i]) for i in chunk],
                    )
                with self._lock:
                    self._sync()
                    for i in rows:
                        self._bodies.pop((ns, cases[i].id))
                        self._tail.pop((ns, cases[i].id), None)
                    index.add_many(
                        [cases[i].id for i in rows],
                        mat[rows],
                        [cases[i].status is CaseStatus.ACTIVE for i in rows],
                    )
                    self._changed.add(ns)
                    self._journal_append(
                        partial(list, [{"op": "reload", "ns": ns, "by": self._token}])
                    )
            self._writes.flush()

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            case = self._bodies_of(ns, [case_id]).get(case_id)
            if case is not None:
                return case
        return None

    def get_many(self, case_ids: Sequence[str], *, namespace: str) -> dict[str, Case]:
        return self._bodies_of(namespace, list(dict.fromkeys(case_ids)))

    def _bodies_of(self, namespace: str, ids: list[str]) -> dict[str, Case]:
        """The cases among ``ids`` that exist: journaled writes first, then the body cache,
        then chromadb (a journaled delete hides the case)."""
        found: dict[str, Case] = {}
        ask: list[str] = []
        with self._lock:
            self._sync()
            for cid in ids:
                tail = self._tail.get((namespace, cid))
                body = tail[1] if tail is not None else self._bodies.get((namespace, cid))
                if body is not None:
                    found[cid] = parse_case(body, where=f"{namespace}/{cid}")
                elif tail is None:
                    ask.append(cid)
        stored = self._stored_documents(namespace, ask) if ask else {}
        if stored:
            with self._lock:
                self._sync()
                for cid, doc in stored.items():
                    key = (namespace, cid)
                    tail = self._tail.get(key)
                    newer = tail[1] if tail is not None else self._bodies.get(key)
                    if newer is not None:  # written while chromadb was read: that is newer
                        found[cid] = parse_case(newer, where=f"{namespace}/{cid}")
                    elif tail is None:  # (not deleted meanwhile)
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
        if missing:
            with self._writes.engine() as session:
                self._writes.flush()
                col = self._collection(session.client, namespace, create=False)
                if col is not None:
                    got = col.get(ids=missing, include=["documents"])
                    found.update(
                        (str(c), str(d)) for c, d in zip(got["ids"], got["documents"], strict=True)
                    )
        return found

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None:
        with self._lock:
            self._sync()
            return self._index(namespace).vector(case_id)

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool:
        case = self.get(case_id, namespace=namespace)
        if case is None:
            return False
        gone = [False]

        def ops() -> list[Op]:
            index = self._indexes.get(case.namespace)
            if self._dim and (index is None or case_id not in index):  # deleted meanwhile
                gone[0] = True
                return []
            return [{"op": "delete", "ns": case.namespace, "id": case_id}]

        self._append(ops, {case.namespace})
        return not gone[0]

    def index(self, namespace: str) -> VectorIndex:
        """The in-memory index of ``namespace`` (loaded on first use, current with the journal)."""
        with self._lock:
            self._sync()
            return self._index(namespace)

    def nearest(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[str, float]]:
        vec = check_vector(vector, self._dim)
        with self._lock:
            self._sync()
            if (
                namespace not in self._indexes
                and not self._exists(namespace)
                and not any(ns == namespace for ns, _ in self._tail)
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
        spaces = [namespace] if namespace is not None else self.namespaces()
        for ns in spaces:
            yield from self._read_cases(ns)

    def _read_cases(self, namespace: str) -> list[Case]:
        out: list[Case] = []
        with self._writes.engine() as session:
            self._writes.flush()
            col = self._collection(session.client, namespace, create=False)
            if col is None:
                return out
            while True:
                got = col.get(include=["documents"], limit=500, offset=len(out))
                if not got["ids"]:
                    break
                for cid, doc in zip(got["ids"], got["documents"], strict=True):
                    out.append(parse_case(doc, where=f"{namespace}/{cid}"))
        return out

    def namespaces(self) -> list[str]:
        with self._lock:
            self._sync()
            journaled = {ns for (ns, _), (_, body) in self._tail.items() if body is not None}
        return sorted(set(self._namespace_metas()) | journaled)

    def find_turn(self, turn_id: str) -> Case | None:
        with self._lock:
            self._sync()
            bodies = [body for _, body in self._tail.values() if body is not None]
        for body in bodies:
            case = Case.model_validate_json(body)
            if case.turn_id == turn_id:
                return case
        with self._writes.engine() as session:
            self._writes.flush()
            for ns, col in self._all_collections(session.client).items():
                got = col.get(where={"turn_id": turn_id}, include=["documents"], limit=1)
                if got["ids"]:
                    return parse_case(got["documents"][0], where=f"{ns}/{got['ids'][0]}")
        return None

    def count(self, *, namespace: str | None = None) -> int:
        with self._writes.engine() as session:
            self._writes.flush()
            cols = self._all_collections(session.client)
            if namespace is not None:
                return int(cols[namespace].count()) if namespace in cols else 0
            return sum(int(c.count()) for c in cols.values())

    def flush(self) -> None:
        """Move every journaled write into chromadb now (the flusher does it in batches)."""
        self._writes.flush()
        with self._lock:
            self._prune()

    def _after_flush(self) -> None:
        with self._lock:
            self._prune()

    def close(self) -> None:
        writes: WriteBehind | None = getattr(self, "_writes", None)
        if writes is None or writes.closed:
            return
        writes.close()
        with self._lock:
            try:
                self._sync()
                applied = self._journal.applied()
                waiting = sum(1 for pos in self._seen if pos > applied)
                if writes.used_engine or waiting > self._defer_up_to:
                    writes.flush()
                self._save_snapshots()
            finally:
                writes.release()
                self._journal.close()
                self._file.close()

    def _save_snapshots(self) -> None:
        """Save the index of each namespace changed (or loaded without a snapshot) since open,
        at this store's journal position: the next open maps it and replays what follows."""
        if not self._dim:
            return
        for ns in sorted(self._changed):
            index = self._indexes.get(ns)
            if index is None or not len(index):
                continue
            try:
                with snapshot_lock(self._path, exclusive=True):
                    save_snapshot(
                        self._path,
                        collection_name(ns),
                        index,
                        embedder_id=self._embedder_id,
                        position=self._journal.cursor,
                    )
            except OSError as exc:  # only a slower next open
                log.warning("memory.snapshot_not_saved", namespace=ns, error=str(exc))

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
            with store._lock, store._writes.engine() as session:
                store._writes.flush()
                with snapshot_lock(store._path, exclusive=True):
                    drop_snapshots(store._path)
                cols = store._all_collections(session.client)
                total = reindex_cases(session.client, cols, embedder, batch=batch)
                write_recorded(store._path, embedder)
                with store._lock:
                    store._journal_append(lambda: [{"op": "reload", "ns": ns} for ns in cols])
                store._writes.flush()
            return total
        finally:
            store.close()

    # -- the journal's ops, applied here -------------------------------------------------------

    def _sync(self) -> None:
        """Apply what other processes journaled since this store last looked. Caller holds lock."""
        try:
            ops = self._journal.catch_up()
        except JournalGap:  # idle across two rotations: what it missed is in chromadb now
            log.info("memory.journal_gap", path=str(self._path))
            self._reset()
            ops = self._journal.catch_up()
        self._take(ops)

    def _reset(self) -> None:
        self._indexes.clear()
        self._tail.clear()
        self._reloads.clear()
        self._seen.clear()
        self._bodies = BodyCache()
        self._changed.clear()
        self._journal.cursor = self._journal.applied()

    def _take(self, ops: list[tuple[Position, Op]]) -> None:
        """Apply journal ops to this store's loaded indexes and journaled bodies, in order."""
        for pos, op in ops:
            kind = op["op"]
            if kind == "reload":
                if op.get("by") != self._token:
                    self._reloads[op["ns"]] = pos  # (a bulk load may have rewritten a case)
                    if op["ns"] in self._indexes:
                        del self._indexes[op["ns"]]
                        self._changed.discard(op["ns"])
                    self._bodies = BodyCache()
                continue
            self._seen.append(pos)
            if kind == "put":
                case = op["case"]
                ns, cid = case["namespace"], case["id"]
                self._tail[(ns, cid)] = (pos, json.dumps(case))
                index = self._indexes.get(ns)
                if index is not None and self._dim:
                    index.add(cid, unb64(op["vec"]), active=case["status"] == "active")
                    self._changed.add(ns)
            elif kind == "delete":
                ns, cid = op["ns"], op["id"]
                self._tail[(ns, cid)] = (pos, None)
                index = self._indexes.get(ns)
                if index is not None:
                    index.remove(cid)
                    self._changed.add(ns)
            else:
                continue
            self._bodies.pop((ns, cid))
        if len(self._tail) > _PRUNE_AT or len(self._seen) > _PRUNE_AT:
            self._prune()

    def _prune(self) -> None:
        """Move journaled bodies chromadb holds now into the body cache (chromadb has exactly
        them: the tail is each case's newest write). A recall of a case this process saw
        written then never reads chromadb for it: under load another worker is often applying
        a batch, the file is not current, and the read would wait for the bank's apply lock."""
        applied = self._journal.applied()
        self._seen = [pos for pos in self._seen if pos > applied]
        kept: dict[tuple[str, str], tuple[Position, str | None]] = {}
        for key, (pos, body) in sorted(self._tail.items(), key=lambda kv: kv[1][0]):
            if pos > applied:
                kept[key] = (pos, body)
            elif body is not None and pos > self._reloads.get(key[0], (-1, -1)):
                self._bodies.put(key, body)
        self._tail = kept
        self._reloads = {ns: pos for ns, pos in self._reloads.items() if pos > applied}

    def _replay(self, namespace: str, index: VectorIndex, start: Position) -> bool:
        """Lay the journal's ops for ``namespace`` from ``start`` up to this store's cursor over
        ``index``; false when they are gone or a bulk load makes ``index`` useless."""
        if start >= self._journal.cursor:
            return True
        try:
            with self._journal.locked(exclusive=False):
                ops = self._journal.read(start, self._journal.cursor)
        except JournalGap:
            return False
        for _, op in ops:
            if op["op"] == "put" and op["case"]["namespace"] == namespace:
                active = op["case"]["status"] == CaseStatus.ACTIVE.value
                index.add(op["case"]["id"], unb64(op["vec"]), active=active)
            elif op["op"] == "delete" and op["ns"] == namespace:
                index.remove(op["id"])
            elif op["op"] == "reload" and op["ns"] == namespace:
                return False
        return True

    # -- chromadb -------------------------------------------------------------------------------

    def _namespace_metas(self) -> dict[str, dict[str, Any]]:
        """Each namespace chromadb holds, with its collection's metadata (from the SQLite file
        when it reads, else through chromadb)."""
        cols = self._file.collections()
        if cols is None:
            with self._writes.engine() as session:
                return {
                    ns: dict(c.metadata or {})
                    for ns, c in self._all_collections(session.client).items()
                }
        return {
            str(c.metadata["namespace"]): c.metadata
            for c in cols.values()
            if c.metadata.get("agentroute") == MARK
            and "namespace" in c.metadata
            and not c.name.endswith("-reindex")
        }

    def _exists(self, namespace: str) -> bool:
        """Whether chromadb has a collection for ``namespace``."""
        cols = self._file.collections()
        if cols is not None:
            return collection_name(namespace) in cols
        with self._writes.engine() as session:
            return self._collection(session.client, namespace, create=False) is not None

    def _all_collections(self, client: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in client.list_collections():
            meta = col.metadata or {}
            if meta.get("agentroute") == MARK and not col.name.endswith("-reindex"):
                out[str(meta["namespace"])] = col
        return out

    def _collection(
        self, client: Any, namespace: str, *, create: bool, embedder_id: str = "", dim: int = 0
    ) -> Any:
        try:
            return client.get_collection(collection_name(namespace), embedding_function=None)
        except Exception:  # chromadb raises NotFoundError / ValueError by version
            if not create:
                return None
            meta = col_meta(namespace, None)
            meta["embedder"] = embedder_id or self._embedder_id
            meta["dim"] = dim or self._dim
            return client.create_collection(
                name=collection_name(namespace),
                embedding_function=None,
                metadata=meta,
                configuration={"hnsw": {"space": "cosine"}},
            )

    def _index(self, namespace: str) -> VectorIndex:
        """The namespace's index, loaded on first use: its snapshot or chromadb, then the
        journal's ops up to this store's cursor. Caller holds lock."""
        index = self._indexes.get(namespace)
        if index is not None:
            return index
        if not self._dim:
            return VectorIndex(0)
        name = collection_name(namespace)
        with snapshot_lock(self._path, exclusive=False):
            saved = load_snapshot_at(self._path, name, dim=self._dim, embedder_id=self._embedder_id)
        index = None
        if saved is not None and saved[1] is not None:
            at = saved[1]
            index = saved[0] if self._replay(namespace, saved[0], at) else None
            if index is not None and at < self._journal.cursor:
                self._changed.add(namespace)
        if index is None:
            index = VectorIndex(self._dim)
            start = self._journal.applied()
            if self._exists(namespace):
                with self._writes.engine() as session:
                    start = self._journal.applied()  # what chromadb holds, read under its lock
                    col = self._collection(session.client, namespace, create=False)
                    if col is not None:
                        index.add_many(*self._read_vectors(col))
            self._replay(namespace, index, start)
            self._changed.add(namespace)
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
