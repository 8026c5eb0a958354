"""The case store's chromadb SQLite file read directly, so a run that recalls never imports
chromadb (~0.5-1 s of every start, issue 14).

A store's reads need three things from chromadb: which namespaces exist (with their embedder),
how many cases one holds (to check a saved index), and the bodies of the cases a search found.
All three are plain rows of chromadb's SQLite file, read here with the standard library on a
read-only connection. A namespace is read here only while chromadb's metadata segment has
applied every logged write of it; any error, or a file laid out otherwise, answers ``None`` and
the store asks chromadb itself.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ChromaFile", "FileCollection"]


@dataclass(frozen=True)
class FileCollection:
    """A collection as the SQLite file has it."""

    name: str
    metadata: dict[str, Any]
    segment: str
    """Its metadata segment (rows, documents, metadata)."""


class ChromaFile:
    """Read-only queries on ``folder/chroma.sqlite3``; each answers ``None`` when it cannot."""

    def __init__(self, folder: Path) -> None:
        self._db = folder / "chroma.sqlite3"
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()

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

    def collections(self) -> dict[str, FileCollection] | None:
        """Every collection by name, with its metadata and metadata segment; ``{}`` when the
        file does not exist yet (no collection was ever created)."""
        if not self._db.is_file():
            return {}
        rows = self._query(
            "SELECT c.id, c.name, s.id FROM collections c JOIN segments s "
            "ON s.collection = c.id AND s.scope = 'METADATA'"
        )
        metas = self._query(
            "SELECT collection_id, key, str_value, int_value, float_value, bool_value "
            "FROM collection_metadata"
        )
        if rows is None or metas is None:
            return None
        by_id: dict[str, dict[str, Any]] = {}
        for cid, key, s, i, f, b in metas:
            value = s if s is not None else i if i is not None else f if f is not None else b
            by_id.setdefault(str(cid), {})[str(key)] = value
        out: dict[str, FileCollection] = {}
        for cid, name, segment in rows:
            if str(name) in out:  # two metadata segments: not a layout this reads
                return None
            out[str(name)] = FileCollection(str(name), by_id.get(str(cid), {}), str(segment))
        return out

    def current(self, collection: str) -> FileCollection | None:
        """``collection`` if its rows are readable here and up to date with its write log."""
        cols = self.collections()
        col = None if cols is None else cols.get(collection)
        if col is None:
            return None
        got = self._query(
            "SELECT (SELECT seq_id FROM max_seq_id WHERE segment_id = ?), "
            "(SELECT max(seq_id) FROM embeddings_queue WHERE topic LIKE '%/' || "
            "(SELECT collection FROM segments WHERE id = ?))",
            (col.segment, col.segment),
        )
        if not got:
            return None
        applied, logged = got[0]
        if logged is not None and (applied is None or int(applied) < int(logged)):
            return None
        return col

    def count(self, collection: str) -> int | None:
        col = self.current(collection)
        if col is None:
            return None
        got = self._query("SELECT count(*) FROM embeddings WHERE segment_id = ?", (col.segment,))
        return None if not got else int(got[0][0])

    def existing(self, collection: str, ids: list[str]) -> set[str] | None:
        """Which of ``ids`` the collection holds."""
        col = self.current(collection)
        if col is None:
            return None
        found: set[str] = set()
        for a in range(0, len(ids), 500):
            part = ids[a : a + 500]
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
        for a in range(0, len(ids), 500):
            part = ids[a : a + 500]
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
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
