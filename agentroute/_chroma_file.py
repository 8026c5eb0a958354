"""chromadb's SQLite file read directly, so a run that only reads a knowledge base or recalls
cases never imports chromadb (~0.5-1 s of every start, issue 14).

What a reader needs — which collections exist with their metadata, how many records one holds,
which ids it has, their documents, whether its rows are up to date with its write log, and a
fingerprint that moves with every write — are plain rows of ``chroma.sqlite3``. This is the one
place that knows their layout: it reads them with the standard library on a read-only
connection. Any error, or a file laid out otherwise, answers ``None``; the caller then asks
chromadb itself.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["ChromaFile", "CollectionState", "FileCollection"]

_SQLITE = "chroma.sqlite3"
_BATCH = 500
"""Ids per ``IN (...)`` query (SQLite's bound-parameter limit is 999 in old builds)."""

Meta = dict[str, Any]


@dataclass(frozen=True)
class FileCollection:
    """A collection as the SQLite file has it."""

    id: str
    name: str
    metadata: Meta
    segment: str
    """Its metadata segment (rows, documents, metadata)."""


@dataclass(frozen=True)
class CollectionState:
    """A collection as the SQLite file has it now, with a fingerprint of every write to it."""

    collection_id: str
    metadata: Meta
    count: int
    fingerprint: str


def _value(s: Any, i: Any, f: Any, b: Any) -> Any:
    """A metadata value from chromadb's one-column-per-type row."""
    return s if s is not None else i if i is not None else f if f is not None else b


class ChromaFile:
    """Read-only queries on ``folder/chroma.sqlite3``; each answers ``None`` when it cannot."""

    def __init__(self, folder: Path) -> None:
        self._db = folder / _SQLITE
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> ChromaFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any] | None:
        with self._lock:
            try:
                if self._con is None:
                    if not self._db.is_file():
                        return None
                    self._con = sqlite3.connect(
                        f"file:{self._db}?mode=ro", uri=True, timeout=10.0, check_same_thread=False
                    )
                return self._con.execute(sql, args).fetchall()
            except sqlite3.Error:
                return None

    def _collections(self, name: str | None) -> dict[str, FileCollection] | None:
        """The collections (all, or the one called ``name``) with a metadata segment, by name;
        ``None`` when one has two metadata segments (not a layout this reads)."""
        where, args = ("WHERE c.name = ?", (name,)) if name is not None else ("", ())
        rows = self._query(
            "SELECT c.id, c.name, s.id FROM collections c JOIN segments s "
            f"ON s.collection = c.id AND s.scope = 'METADATA' {where}",
            args,
        )
        metas = self._query(
            "SELECT m.collection_id, m.key, m.str_value, m.int_value, m.float_value, "
            "m.bool_value FROM collection_metadata m JOIN collections c "
            f"ON c.id = m.collection_id {where}",
            args,
        )
        if rows is None or metas is None:
            return None
        by_id: dict[str, Meta] = {}
        for cid, key, s, i, f, b in metas:
            by_id.setdefault(str(cid), {})[str(key)] = _value(s, i, f, b)
        out: dict[str, FileCollection] = {}
        for cid, col_name, segment in rows:
            if str(col_name) in out:
                return None
            out[str(col_name)] = FileCollection(
                str(cid), str(col_name), by_id.get(str(cid), {}), str(segment)
            )
        return out

    def collections(self) -> dict[str, FileCollection] | None:
        """Every collection by name, with its metadata and metadata segment; ``{}`` when the
        file does not exist yet (no collection was ever created)."""
        if not self._db.is_file():
            return {}
        return self._collections(None)

    def _sequences(self, col: FileCollection) -> tuple[Any, Any] | None:
        """The last write its metadata segment applied, and the last one logged for it."""
        got = self._query(
            "SELECT (SELECT seq_id FROM max_seq_id WHERE segment_id = ?), "
            "(SELECT max(seq_id) FROM embeddings_queue WHERE topic LIKE ?)",
            (col.segment, f"%/{col.id}"),
        )
        return None if not got else (got[0][0], got[0][1])

    def _count(self, col: FileCollection) -> int | None:
        got = self._query("SELECT count(*) FROM embeddings WHERE segment_id = ?", (col.segment,))
        return None if not got else int(got[0][0])

    def state(self, collection: str) -> CollectionState | None:
        """``collection``'s id, metadata, record count and fingerprint. The metadata segment's
        applied sequence and the log's last one move with every write (``add``, ``delete``, a
        metadata change, a rebuild under the same name); the vector segment's moves when
        chromadb persists its HNSW files, which changes nothing, so it is left out."""
        found = self._collections(collection)
        col = None if found is None else found.get(collection)
        if col is None:
            return None
        seqs = self._sequences(col)
        count = self._count(col)
        if seqs is None or count is None:
            return None
        applied, logged = seqs
        seen = [col.id, sorted(col.metadata.items()), count, logged, [col.segment], [applied]]
        try:
            digest = hashlib.sha256(json.dumps(seen, default=str).encode()).hexdigest()
        except (ValueError, TypeError):
            return None
        return CollectionState(col.id, col.metadata, count, digest)

    def current(self, collection: str) -> FileCollection | None:
        """``collection`` if its rows are readable here and up to date with its write log."""
        cols = self.collections()
        col = None if cols is None else cols.get(collection)
        if col is None:
            return None
        seqs = self._sequences(col)
        if seqs is None:
            return None
        applied, logged = seqs
        if logged is not None and (applied is None or int(applied) < int(logged)):
            return None
        return col

    def count(self, collection: str) -> int | None:
        """How many records ``collection`` holds (only while it is current)."""
        col = self.current(collection)
        return None if col is None else self._count(col)

    def existing(self, collection: str, ids: list[str]) -> set[str] | None:
        """Which of ``ids`` the collection holds."""
        col = self.current(collection)
        if col is None:
            return None
        found: set[str] = set()
        for a in range(0, len(ids), _BATCH):
            part = ids[a : a + _BATCH]
            got = self._query(
                "SELECT embedding_id FROM embeddings WHERE segment_id = ? AND embedding_id IN "
                f"({','.join('?' * len(part))})",
                (col.segment, *part),
            )
            if got is None:
                return None
            found.update(str(r[0]) for r in got)
        return found

    def documents(self, collection: str, ids: list[str]) -> dict[str, str] | None:
        """The stored document of each of ``ids`` the collection holds."""
        col = self.current(collection)
        if col is None:
            return None
        found: dict[str, str] = {}
        for a in range(0, len(ids), _BATCH):
            part = ids[a : a + _BATCH]
            got = self._query(
                "SELECT e.embedding_id, m.string_value FROM embeddings e JOIN embedding_metadata m "
                "ON m.id = e.id AND m.key = 'chroma:document' WHERE e.segment_id = ? AND "
                f"e.embedding_id IN ({','.join('?' * len(part))})",
                (col.segment, *part),
            )
            if got is None:
                return None
            found.update((str(cid), str(doc)) for cid, doc in got if doc is not None)
        return found

    def close(self) -> None:
        """Close the connection (a later query opens it again)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
