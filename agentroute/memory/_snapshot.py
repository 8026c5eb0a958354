"""The saved search index of a namespace, so opening a big bank reads no vectors from chromadb.

Loading 100k vectors through chromadb's paged ``get`` took ~20 s, and chromadb kept ~250 MB
more of its own after it. A store closed cleanly leaves each loaded namespace's index in
``index/``: the IVF-packed vectors as ``NAME.packed-TOKEN.npy`` (opened as a read-only memory
map, so pages come in as searches touch them; rewritten only after a rebuild), the centroids
and the small flat tail as ``.npy`` files, and the ids, flags and lists as ``NAME.json``.

A snapshot is the index as it stood at a position of the shared journal (``_journal``), saved
by whichever process closes last with the namespace loaded; an opener loads it and replays the
journal's ops after that position, so a snapshot older than the bank's latest writes (another
process's, or a killed one's) is brought up to date instead of hiding them. One whose journal
segment is gone, or that does not match the store (embedder, dimension), is ignored and the
namespace is read from chromadb once. ``index/lock`` keeps a save and a load from crossing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agentroute._durable import write_bytes, write_npy
from agentroute._log import get_logger
from agentroute.memory._index import IndexState, VectorIndex

__all__ = [
    "drop_snapshot",
    "drop_snapshots",
    "load_snapshot",
    "load_snapshot_at",
    "save_snapshot",
    "snapshot_lock",
]

log = get_logger(__name__)

_FOLDER = "index"


@contextlib.contextmanager
def snapshot_lock(root: Path, *, exclusive: bool) -> Iterator[None]:
    """The snapshots' lock (shared to load, exclusive to save or drop)."""
    folder = root / _FOLDER
    folder.mkdir(exist_ok=True)
    with (folder / "lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield


def save_snapshot(
    root: Path,
    name: str,
    index: VectorIndex,
    *,
    embedder_id: str,
    position: tuple[int, int] | None = None,
) -> None:
    """Write ``index`` as the snapshot ``name``; its JSON last, as that is what makes it valid.

    The packed rows (nearly all of a big namespace) are written only when they changed since
    they were mapped (a rebuild): closing after a few writes rewrites the tail and flags."""
    folder = root / _FOLDER
    folder.mkdir(exist_ok=True)
    state = index.export()
    packed_file = None
    if state.centroids is not None and state.packed_ids:
        source = index.packed_source()
        if source is not None and Path(source).resolve().parent == folder.resolve():
            packed_file = Path(source).name
        else:
            packed_file = f"{name}.packed-{uuid.uuid4().hex[:12]}.npy"
            write_npy(folder / packed_file, state.packed_vecs)
        write_npy(folder / f"{name}.cents.npy", state.centroids)
    write_npy(folder / f"{name}.tail.npy", state.tail_vecs.reshape(-1, index.dim))
    meta = {
        "embedder": embedder_id,
        "journal": list(position) if position is not None else None,
        "dim": index.dim,
        "count": len(index),
        "packed_file": packed_file,
        "packed_ids": state.packed_ids if packed_file else [],
        "dead": np.flatnonzero(~state.packed_alive).tolist() if packed_file else [],
        "inactive": np.flatnonzero(~state.packed_active).tolist() if packed_file else [],
        "starts": state.starts.tolist() if packed_file else [0],
        "tail_ids": state.tail_ids,
        "tail_inactive": np.flatnonzero(~state.tail_active).tolist(),
    }
    write_bytes(folder / f"{name}.json", json.dumps(meta, separators=(",", ":")).encode())
    for old in folder.glob(f"{name}.packed-*.npy"):
        if old.name != packed_file:
            old.unlink(missing_ok=True)


def load_snapshot(
    root: Path, name: str, *, dim: int, embedder_id: str, count: int | None = None
) -> VectorIndex | None:
    """The saved index ``name`` if it matches the store (and holds ``count`` cases)."""
    got = load_snapshot_at(root, name, dim=dim, embedder_id=embedder_id, count=count)
    return None if got is None else got[0]


def load_snapshot_at(
    root: Path, name: str, *, dim: int, embedder_id: str, count: int | None = None
) -> tuple[VectorIndex, tuple[int, int] | None] | None:
    """The saved index ``name`` and the journal position it stands at, if it matches."""
    folder = root / _FOLDER
    meta_path = folder / f"{name}.json"
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            meta["embedder"] != embedder_id
            or meta["dim"] != dim
            or (count is not None and meta["count"] != count)
        ):
            log.info("memory.snapshot_stale", snapshot=str(meta_path))
            return None
        packed_ids: list[str] = meta["packed_ids"]
        packed = np.zeros((0, dim), dtype=np.float32)
        cents = None
        if meta["packed_file"]:
            packed = np.load(folder / meta["packed_file"], mmap_mode="r")
            cents = np.load(folder / f"{name}.cents.npy")
        tail = np.load(folder / f"{name}.tail.npy")
        tail_ids: list[str] = meta["tail_ids"]
        if packed.shape != (len(packed_ids), dim) or tail.shape != (len(tail_ids), dim):
            return None

        def mask(n: int, off: list[int]) -> npt.NDArray[np.bool_]:
            out = np.ones(n, dtype=bool)
            out[np.asarray(off, dtype=np.int64)] = False
            return out

        state = IndexState(
            packed_ids=packed_ids,
            packed_vecs=packed,
            packed_alive=mask(len(packed_ids), meta["dead"]),
            packed_active=mask(len(packed_ids), meta["inactive"]),
            starts=np.asarray(meta["starts"], dtype=np.int64),
            centroids=cents,
            tail_ids=tail_ids,
            tail_vecs=tail,
            tail_active=mask(len(tail_ids), meta["tail_inactive"]),
        )
        index = VectorIndex.restore(dim, state)
        if len(index) != meta["count"]:
            return None
        pos = meta.get("journal")
        return index, (int(pos[0]), int(pos[1])) if pos else None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("memory.snapshot_unreadable", snapshot=str(meta_path), error=str(exc))
        return None


def drop_snapshot(root: Path, name: str) -> None:
    """Delete snapshot ``name`` durably (before the first write that would outdate it); its
    packed rows stay, for the next save to reuse while they are unchanged."""
    meta_path = root / _FOLDER / f"{name}.json"
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
