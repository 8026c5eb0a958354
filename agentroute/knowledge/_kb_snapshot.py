"""A knowledge base's read snapshot: its passages and vectors in plain files, so a run that only
reads a base never imports chromadb (~0.5-1 s of every start, issue 14).

The snapshot is written from the collection (through chromadb) when a read finds none that is
current, and is trusted only while the collection is exactly as it was then: its state is read
straight from chromadb's SQLite file with the standard library (``agentroute._chroma_file``, a
few milliseconds) and its fingerprint — collection id, metadata, record count, the sequence
numbers of its write log and of its metadata segment — must equal the one recorded with the
snapshot. Any write through chromadb
(``add``, ``delete``, a metadata change, a rebuild under the same name) changes it, so a stale
snapshot is never read; a SQLite file chromadb lays out otherwise gives no state, and the base
then reads through chromadb as before.

Search over a snapshot is exact cosine similarity over a memory map, for bases of up to
``SNAPSHOT_MAX_PASSAGES`` passages (where chromadb's HNSW with ``ef_search`` 100 is exact too);
a bigger base is searched by chromadb.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute._durable import write_bytes, write_npy
from agentroute.embeddings._minilm import limit_blas_threads

__all__ = [
    "LEXICAL_VERSION",
    "SNAPSHOT_MAX_PASSAGES",
    "KbSnapshot",
    "load_kb_snapshot",
    "load_lexical",
    "patch_kb_snapshot",
    "save_kb_snapshot",
    "save_lexical",
]

SNAPSHOT_MAX_PASSAGES = 20_000
"""Above this many passages a base is searched by chromadb (an exact scan of 20k MiniLM vectors
takes a few milliseconds; the snapshot's JSON of passages stays a few MB)."""

_FOLDER = "snapshot"
LEXICAL_VERSION = "counts-1"
"""What the lexical file beside a snapshot holds (the passages' term counts, BM25's postings
made from them on load) and how it was made: another tokenizer is another file."""

Meta = dict[str, Any]


@dataclass(frozen=True)
class KbSnapshot:
    """Every passage of a base with its metadata, and the unit vectors, row for row."""

    fingerprint: str
    ids: list[str]
    documents: list[str]
    metadatas: list[Meta]
    vectors: npt.NDArray[np.float32]

    def similarities(self, query: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """Every row's cosine similarity to ``query``."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        # One BLAS thread: a few thousand rows are too few for OpenBLAS's threads to pay, and
        # on a shared machine their spinning cost 8 ms of CPU per search against 0.2 ms.
        with limit_blas_threads(1):
            return np.asarray(self.vectors @ q, dtype=np.float32)

    def nearest(self, query: npt.ArrayLike, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows closest to ``query`` by cosine similarity, best first."""
        sims = self.similarities(query)
        k = min(k, len(sims))
        if k <= 0:
            return []
        top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        order = top[np.argsort(-sims[top], kind="stable")]
        return [(int(i), float(sims[i])) for i in order]


def _unit(vectors: npt.ArrayLike, dim: int) -> npt.NDArray[np.float32]:
    mat = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    return mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-12)


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
    write_npy(folder / vectors_file, unit)
    meta = {
        "fingerprint": fingerprint,
        "dim": dim,
        "vectors_file": vectors_file,
        "ids": ids,
        "documents": documents,
        "metadatas": metadatas,
    }
    write_bytes(folder / f"{collection}.json", json.dumps(meta).encode())
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


def patch_kb_snapshot(
    path: Path,
    collection: str,
    fingerprint: str,
    base: KbSnapshot,
    *,
    keep: list[int],
    ids: list[str],
    documents: list[str],
    metadatas: list[Meta],
    vectors: npt.ArrayLike,
    dim: int,
) -> KbSnapshot:
    """Write the snapshot of ``fingerprint`` as ``base``'s rows ``keep`` followed by the given
    new rows: what a write that knows its own changes records, instead of reading the whole
    collection back through chromadb (an edit of one document in a 3,700-passage base reread
    every passage and vector). The caller checks the result against the collection."""
    added = _unit(vectors, dim)
    return save_kb_snapshot(
        path,
        collection,
        fingerprint,
        ids=[base.ids[i] for i in keep] + ids,
        documents=[base.documents[i] for i in keep] + documents,
        metadatas=[base.metadatas[i] for i in keep] + metadatas,
        vectors=np.concatenate([np.asarray(base.vectors[keep], dtype=np.float32), added]),
        dim=dim,
    )


def save_lexical(
    path: Path, collection: str, fingerprint: str, arrays: dict[str, npt.NDArray[Any]]
) -> None:
    """Write the lexical arrays (the passages' term counts) of the snapshot taken of
    ``fingerprint`` beside it: a restart reads them instead of tokenising every passage again,
    an edit patches them."""
    folder = path / _FOLDER
    folder.mkdir(exist_ok=True)
    buffer = io.BytesIO()
    stamp = np.asarray([f"{LEXICAL_VERSION}:{fingerprint}"], dtype=np.str_)
    np.savez(buffer, **{"stamp": stamp, **arrays})  # type: ignore[arg-type]
    write_bytes(folder / f"{collection}.bm25.npz", buffer.getvalue())


def load_lexical(
    path: Path, collection: str, fingerprint: str
) -> dict[str, npt.NDArray[Any]] | None:
    """The lexical arrays saved for exactly ``fingerprint`` (and this tokenizer), else
    ``None``."""
    try:
        with np.load(path / _FOLDER / f"{collection}.bm25.npz") as data:
            if str(data["stamp"][0]) != f"{LEXICAL_VERSION}:{fingerprint}":
                return None
            return {k: data[k] for k in data.files if k != "stamp"}
    except (OSError, ValueError, KeyError, TypeError):
        return None
