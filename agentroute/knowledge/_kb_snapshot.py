"""A knowledge base's read snapshot: its passages and vectors in plain files, so a run that only
reads a base never imports chromadb (~0.5-1 s of every start, issue 14).

The snapshot is written from the collection (through chromadb) when a read finds none that is
current, and is trusted only while the collection is exactly as it was then: its state is read
straight from chromadb's SQLite file with the standard library (a few milliseconds) and its
fingerprint — collection id, metadata, record count, the sequence numbers of its write log and
of its metadata segment — must equal the one recorded with the snapshot. Any write through chromadb
(``add``, ``delete``, a metadata change, a rebuild under the same name) changes it, so a stale
snapshot is never read; a SQLite file chromadb lays out otherwise gives no state, and the base
then reads through chromadb as before.

Search over a snapshot is exact cosine similarity over a memory map, for bases of up to
``SNAPSHOT_MAX_PASSAGES`` passages (where chromadb's HNSW with ``ef_search`` 100 is exact too);
a bigger base is searched by chromadb.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "SNAPSHOT_MAX_PASSAGES",
    "CollectionState",
    "KbSnapshot",
    "load_kb_snapshot",
    "read_collection_state",
    "save_kb_snapshot",
]

SNAPSHOT_MAX_PASSAGES = 20_000
"""Above this many passages a base is searched by chromadb (an exact scan of 20k MiniLM vectors
takes a few milliseconds; the snapshot's JSON of passages stays a few MB)."""

_FOLDER = "snapshot"
_SQLITE = "chroma.sqlite3"

Meta = dict[str, Any]


@dataclass(frozen=True)
class CollectionState:
    """A collection as chromadb's SQLite file has it now."""

    collection_id: str
    metadata: Meta
    count: int
    fingerprint: str


def read_collection_state(path: Path, collection: str) -> CollectionState | None:
    """The state of ``collection`` in the chromadb directory ``path``, read-only and without
    chromadb; ``None`` when there is no such collection or the file is not laid out as expected
    (the caller then asks chromadb)."""
    db = path / _SQLITE
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error:
        return None
    try:
        rows = con.execute("SELECT id FROM collections WHERE name = ?", (collection,)).fetchall()
        if len(rows) != 1:
            return None
        cid = str(rows[0][0])
        meta: Meta = {}
        for key, s, i, f, b in con.execute(
            "SELECT key, str_value, int_value, float_value, bool_value "
            "FROM collection_metadata WHERE collection_id = ?",
            (cid,),
        ):
            meta[str(key)] = (
                s if s is not None else i if i is not None else f if f is not None else b
            )
        segments = con.execute(
            "SELECT s.id, s.scope, m.seq_id FROM segments s LEFT JOIN max_seq_id m "
            "ON m.segment_id = s.id WHERE s.collection = ? ORDER BY s.id",
            (cid,),
        ).fetchall()
        metadata_segments = [str(sid) for sid, scope, _ in segments if scope == "METADATA"]
        if len(metadata_segments) != 1:
            return None
        (count,) = con.execute(
            "SELECT count(*) FROM embeddings WHERE segment_id = ?", (metadata_segments[0],)
        ).fetchone()
        (logged,) = con.execute(
            "SELECT max(seq_id) FROM embeddings_queue WHERE topic LIKE ?", (f"%/{cid}",)
        ).fetchone()
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()
    # The metadata segment's applied sequence and the log's last one move with every write;
    # the vector segment's moves when chromadb persists its HNSW files, which changes nothing.
    applied = [seq for _, scope, seq in segments if scope == "METADATA"]
    seen = [cid, sorted(meta.items()), int(count), logged, metadata_segments, applied]
    digest = hashlib.sha256(json.dumps(seen, default=str).encode()).hexdigest()
    return CollectionState(cid, meta, int(count), digest)


@dataclass(frozen=True)
class KbSnapshot:
    """Every passage of a base with its metadata, and the unit vectors, row for row."""

    fingerprint: str
    ids: list[str]
    documents: list[str]
    metadatas: list[Meta]
    vectors: npt.NDArray[np.float32]

    def nearest(self, query: npt.ArrayLike, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows closest to ``query`` by cosine similarity, best first."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        sims = self.vectors @ q
        k = min(k, len(sims))
        if k <= 0:
            return []
        top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        order = top[np.argsort(-sims[top], kind="stable")]
        return [(int(i), float(sims[i])) for i in order]


def _unit(vectors: npt.ArrayLike, dim: int) -> npt.NDArray[np.float32]:
    mat = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    return mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-12)


def _sync_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save_kb_snapshot(
    path: Path,
    collection: str,
    fingerprint: str,
    *,
    ids: list[str],
    documents: list[str],
    metadatas: list[Meta],
    vectors: npt.ArrayLike,
    dim: int,
) -> KbSnapshot:
    """Write the snapshot of ``collection`` (vectors first, the JSON that makes it valid last)
    and return it. ``fingerprint`` is the state read *before* the rows were read, so rows newer
    than it make the snapshot look stale, never the other way round."""
    folder = path / _FOLDER
    folder.mkdir(exist_ok=True)
    unit = _unit(vectors, dim)
    vectors_file = f"{collection}.vectors-{uuid.uuid4().hex[:12]}.npy"
    tmp = folder / (vectors_file + ".tmp")
    with tmp.open("wb") as f:
        np.save(f, unit)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / vectors_file)
    meta = {
        "fingerprint": fingerprint,
        "dim": dim,
        "vectors_file": vectors_file,
        "ids": ids,
        "documents": documents,
        "metadatas": metadatas,
    }
    _sync_write(folder / f"{collection}.json", json.dumps(meta).encode())
    for old in folder.glob(f"{collection}.vectors-*.npy"):
        if old.name != vectors_file:
            old.unlink(missing_ok=True)
    return KbSnapshot(fingerprint, ids, documents, metadatas, unit)


def load_kb_snapshot(path: Path, collection: str, fingerprint: str, dim: int) -> KbSnapshot | None:
    """The snapshot of ``collection`` if it was taken of exactly ``fingerprint``, else ``None``."""
    folder = path / _FOLDER
    meta_path = folder / f"{collection}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["fingerprint"] != fingerprint or meta["dim"] != dim:
            return None
        vectors = np.load(folder / meta["vectors_file"], mmap_mode="r")
        ids, docs, metas = meta["ids"], meta["documents"], meta["metadatas"]
        if vectors.shape != (len(ids), dim) or not len(ids) == len(docs) == len(metas):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return KbSnapshot(fingerprint, ids, docs, metas, vectors)
