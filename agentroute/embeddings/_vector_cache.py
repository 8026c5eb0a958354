"""Embedded texts kept on disk, so a restart does not embed hundreds of tools again.

Embedding 300 tool descriptions (sentence and token vectors) is most of an agent's start-up,
and embedding a knowledge base's passages most of its first one. The texts rarely change
between runs (or between one user's data directories), so their vectors are stored in SQLite, keyed by the
embedder's id and the text itself: a changed description or another model is simply a miss.
It is a cache and nothing more: a file that cannot be read is set aside and started afresh,
and any error while reading or writing it only costs a forward pass.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agentroute._log import get_logger

__all__ = ["CachedVectors", "TextVectorCache", "through_cache"]

log = get_logger(__name__)

CachedVectors = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32] | None]
"""A text's sentence vector and, when the embedder gives them, its content-token vectors."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS text_vectors (
    key TEXT PRIMARY KEY,
    embedder TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    tokens BLOB,
    token_rows INTEGER NOT NULL DEFAULT 0,
    used REAL NOT NULL
)
"""
_VERSION = 2
"""Bumped when what is stored for a text changes (e.g. which tokens are kept)."""


def _key(embedder_id: str, text: str, with_tokens: bool) -> str:
    raw = json.dumps([_VERSION, embedder_id, with_tokens, text], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


class TextVectorCache:
    """Vectors of target texts in one SQLite file, shared safely by threads and processes.

    ``max_entries`` bounds the file (a text with its token vectors takes ~15 KB): the least
    recently used texts are dropped beyond it. A file another process keeps locked longer than
    ``lock_timeout_s`` is skipped for this run.
    """

    def __init__(
        self, path: str | Path, *, max_entries: int = 50_000, lock_timeout_s: float = 10.0
    ) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self.lock_timeout_s = lock_timeout_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._connect()
        except (OSError, sqlite3.OperationalError) as exc:  # locked, read-only, no space: not ours
            log.warning("vector_cache.disabled", path=str(self.path), error=str(exc))
            return None
        except sqlite3.DatabaseError as exc:  # not a database, or a malformed one
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.warning(
                "vector_cache.unreadable",
                path=str(self.path),
                error=str(exc),
                moved_to=str(aside),
                hint="only a cache: tool texts are embedded again",
            )
            try:
                self.path.replace(aside)
                return self._connect()
            except (OSError, sqlite3.Error) as again:
                log.warning("vector_cache.disabled", path=str(self.path), error=str(again))
                return None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, timeout=self.lock_timeout_s)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            conn.execute("SELECT COUNT(*) FROM text_vectors").fetchone()
            conn.commit()
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def get_many(
        self, embedder_id: str, texts: Sequence[str], *, with_tokens: bool
    ) -> dict[str, CachedVectors]:
        """The cached vectors of those ``texts`` that are cached (others are absent)."""
        if self._conn is None or not texts:
            return {}
        keys = {_key(embedder_id, t, with_tokens): t for t in dict.fromkeys(texts)}
        found: dict[str, CachedVectors] = {}
        try:
            with self._lock:
                rows: list[tuple[str, int, bytes, bytes | None, int]] = []
                listed = list(keys)
                for at in range(0, len(listed), 500):  # SQLite's bound on host parameters
                    part = listed[at : at + 500]
                    marks = ",".join("?" * len(part))
                    rows += self._conn.execute(
                        f"SELECT key, dim, vector, tokens, token_rows FROM text_vectors "
                        f"WHERE key IN ({marks})",
                        part,
                    ).fetchall()
                self._conn.executemany(
                    "UPDATE text_vectors SET used = ? WHERE key = ?",
                    [(time.time(), r[0]) for r in rows],
                )
                self._conn.commit()
        except sqlite3.Error as exc:
            log.warning("vector_cache.read_failed", path=str(self.path), error=str(exc))
            return {}
        for key, dim, vector, tokens, token_rows in rows:
            vec = np.frombuffer(vector, dtype=np.float32)
            if vec.shape != (dim,):
                continue  # a torn or foreign row: embed the text again
            toks = None
            if with_tokens:
                if tokens is None:
                    continue
                toks = np.frombuffer(tokens, dtype=np.float32)
                if toks.size != token_rows * dim:
                    continue
                toks = toks.reshape(token_rows, dim)
            found[keys[key]] = (vec, toks)
        return found

    def put_many(
        self, embedder_id: str, items: dict[str, CachedVectors], *, with_tokens: bool
    ) -> None:
        """Store vectors (best effort: a failure is logged, never raised)."""
        if self._conn is None or not items:
            return
        now = time.time()
        rows = []
        for text, (vec, toks) in items.items():
            vec = np.ascontiguousarray(vec, dtype=np.float32)
            tok_bytes = None
            tok_rows = 0
            if with_tokens and toks is not None:
                arr = np.ascontiguousarray(toks, dtype=np.float32)
                tok_bytes, tok_rows = arr.tobytes(), int(arr.shape[0])
            key = _key(embedder_id, text, with_tokens)
            rows.append(
                (key, embedder_id, int(vec.shape[0]), vec.tobytes(), tok_bytes, tok_rows, now)
            )
        try:
            with self._lock:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO text_vectors "
                    "(key, embedder, dim, vector, tokens, token_rows, used) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                (count,) = self._conn.execute("SELECT COUNT(*) FROM text_vectors").fetchone()
                if count > self.max_entries:
                    self._conn.execute(
                        "DELETE FROM text_vectors WHERE key IN (SELECT key FROM text_vectors "
                        "ORDER BY used LIMIT ?)",
                        (count - self.max_entries,),
                    )
                self._conn.commit()
        except sqlite3.Error as exc:
            log.warning("vector_cache.write_failed", path=str(self.path), error=str(exc))

    def __len__(self) -> int:
        if self._conn is None:
            return 0
        with self._lock:
            (count,) = self._conn.execute("SELECT COUNT(*) FROM text_vectors").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def through_cache(
    cache: TextVectorCache | None,
    embedder_id: str,
    texts: Sequence[str],
    compute: Callable[[list[str]], dict[str, CachedVectors]],
    *,
    with_tokens: bool,
) -> dict[str, CachedVectors]:
    """Every distinct text's vectors: the cached ones read back, only the others ``compute``d
    (and stored). With no cache, everything is computed."""
    known = cache.get_many(embedder_id, texts, with_tokens=with_tokens) if cache else {}
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    if todo:
        fresh = compute(todo)
        if cache is not None:
            cache.put_many(embedder_id, fresh, with_tokens=with_tokens)
        known.update(fresh)
    return known
