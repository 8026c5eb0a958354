"""The saved search index of a namespace, so opening a big bank reads no vectors from chromadb.

Loading 100k vectors through chromadb's paged ``get`` took ~20 s, and chromadb kept ~400 MB
of its own after it. A store closed cleanly leaves each loaded namespace's index here (the
vectors as a ``.npy`` file, opened as a read-only memory map; the ids, flags and IVF lists as
JSON); the next open maps it in milliseconds.

A snapshot is only ever trusted whole and current: a store deletes a namespace's snapshot
(and syncs the folder) before its first write to that namespace, so any snapshot on disk
matches chromadb; a crash after that leaves none, and the next open reads chromadb once
again. A journal left to replay deletes them all. A snapshot that does not match the store
(embedder, dimension, case count) is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import structlog

from agentroute.memory._index import IndexState, VectorIndex

__all__ = ["drop_snapshot", "drop_snapshots", "load_snapshot", "save_snapshot"]

log = structlog.get_logger(__name__)

_FOLDER = "index"


def _files(root: Path, name: str) -> tuple[Path, Path, Path]:
    folder = root / _FOLDER
    return folder / f"{name}.json", folder / f"{name}.vecs.npy", folder / f"{name}.cents.npy"


def save_snapshot(root: Path, name: str, index: VectorIndex, *, embedder_id: str) -> None:
    """Write ``index`` as the snapshot ``name`` (its JSON last: it is what makes it valid)."""
    meta_path, vecs_path, cents_path = _files(root, name)
    meta_path.parent.mkdir(exist_ok=True)
    state = index.export()
    for path, arr in ((vecs_path, state.vecs), (cents_path, state.centroids)):
        if arr is None:
            path.unlink(missing_ok=True)
            continue
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            np.save(f, np.ascontiguousarray(arr, dtype=np.float32))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    meta = {
        "embedder": embedder_id,
        "dim": index.dim,
        "ids": state.ids,
        "inactive": np.flatnonzero(~state.active).tolist(),
        "packed": state.packed,
        "starts": state.starts.tolist(),
    }
    tmp = meta_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, separators=(",", ":")), encoding="utf-8")
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, meta_path)


def load_snapshot(
    root: Path, name: str, *, dim: int, embedder_id: str, count: int
) -> VectorIndex | None:
    """The saved index ``name`` if it matches the store (``count`` cases), else ``None``."""
    meta_path, vecs_path, cents_path = _files(root, name)
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        ids = meta["ids"]
        if meta["embedder"] != embedder_id or meta["dim"] != dim or len(ids) != count:
            log.info("memory.snapshot_stale", snapshot=str(meta_path))
            return None
        vecs = np.load(vecs_path, mmap_mode="r")
        if vecs.shape != (len(ids), dim) or vecs.dtype != np.float32:
            return None
        active = np.ones(len(ids), dtype=bool)
        active[np.asarray(meta["inactive"], dtype=np.int64)] = False
        packed = int(meta["packed"])
        cents = np.load(cents_path) if packed and cents_path.exists() else None
        state = IndexState(
            ids=ids,
            vecs=vecs,
            active=active,
            packed=packed if cents is not None else 0,
            starts=np.asarray(meta["starts"], dtype=np.int64),
            centroids=cents,
        )
        return VectorIndex.restore(dim, state)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("memory.snapshot_unreadable", snapshot=str(meta_path), error=str(exc))
        return None


def drop_snapshot(root: Path, name: str) -> None:
    """Delete snapshot ``name`` durably (before the first write that would outdate it)."""
    meta_path = _files(root, name)[0]
    if not meta_path.exists():
        return
    meta_path.unlink()
    fd = os.open(meta_path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def drop_snapshots(root: Path) -> None:
    """Delete every snapshot (a journal replay or a re-embedding outdates them all)."""
    folder = root / _FOLDER
    if not folder.is_dir():
        return
    for meta_path in folder.glob("*.json"):
        drop_snapshot(root, meta_path.stem)
