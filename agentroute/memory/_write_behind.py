"""Moving the shared journal's ops into chromadb: one process at a time, in batches.

Why batches: a single chromadb ``add`` costs 30–50 ms here (it updates its HNSW and SQLite
segments per call), over the 20 ms budget for writing a case, and importing chromadb at all costs
~0.5-1 s, most of a one-shot run's start (issue 14). A case is durable once the journal holds it
(``_journal``); chromadb gets it with the next batch.

Why one process at a time, each with a fresh client: embedded chromadb keeps its HNSW segment
in the memory of the process that opened it and does not see another process's writes (a
reader opened before them counts the old rows, and its ``get`` fails on ids it never loaded; a
writer with a stale segment would persist it over the other's). So every use of chromadb —
applying a batch, loading a namespace with no saved index, maintenance — is an
:class:`EngineSession`: the bank's ``apply.lock`` held exclusively, a client opened for the
session and closed at its end. Whoever needs chromadb applies what the journal holds past
``applied`` (puts and deletes are idempotent upserts and deletes, so a batch applied twice after
a crash changes nothing), moves ``applied`` on, and rotates the journal.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agentroute._log import get_logger
from agentroute.memory._chroma_records import apply_ops
from agentroute.memory._journal import Journal

__all__ = ["EngineSession", "WriteBehind"]

log = get_logger(__name__)


class EngineSession:
    """chromadb opened for one use under the bank's apply lock (the client on first use)."""

    def __init__(self, path: Path, opener: Callable[[Path], Any]) -> None:
        self._path = path
        self._opener = opener
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._opener(self._path)
        return self._client

    @property
    def opened(self) -> bool:
        return self._client is not None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class WriteBehind:
    """The apply lock of a bank, its sessions with chromadb, and the thread that flushes."""

    def __init__(
        self,
        root: Path,
        journal: Journal,
        opener: Callable[[Path], Any],
        collection: Callable[..., Any],
        *,
        flush_interval_s: float,
        due: Callable[[], bool],
        flushed: Callable[[], None],
    ) -> None:
        self._root = root
        self._journal = journal
        self._opener = opener
        self._collection = collection
        self._lockfile = (root / "apply.lock").open("a")
        self._session_lock = threading.RLock()
        self._session: EngineSession | None = None
        self._depth = 0
        self.used_engine = False
        """Whether this process opened chromadb for the bank (a close then applies the rest)."""
        self._interval = flush_interval_s
        self._due = due
        self._flushed = flushed
        """Called after the flusher's batch, outside every session (the store prunes)."""
        self._closed = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._flusher, name="case-store-flush", daemon=True)
        self._thread.start()

    @contextmanager
    def engine(self) -> Iterator[EngineSession]:
        """A session with chromadb (re-entrant within this store)."""
        with self._session_lock:
            if self._depth == 0:
                fcntl.flock(self._lockfile, fcntl.LOCK_EX)
                self._session = EngineSession(self._root / "chroma", self._opener)
            self._depth += 1
            assert self._session is not None
            try:
                yield self._session
            finally:
                self._depth -= 1
                if self._depth == 0:
                    session, self._session = self._session, None
                    try:
                        if session is not None:
                            self.used_engine |= session.opened
                            session.close()
                    finally:
                        fcntl.flock(self._lockfile, fcntl.LOCK_UN)

    def flush(self) -> int:
        """Apply every op the journal holds past ``applied``; the number applied."""
        with self.engine() as session:
            start = self._journal.applied()
            with self._journal.locked(exclusive=False):
                end = self._journal.end()
                ops = self._journal.read(start, end) if start < end else []
            writes = [op for _, op in ops if op["op"] in ("put", "delete")]
            if writes:
                apply_ops(writes, lambda ns, **kw: self._collection(session.client, ns, **kw))
            if start < end:
                self._journal.set_applied(end)
            self._journal.rotate()
            return len(writes)

    def nudge(self) -> None:
        """Wake the flusher (a batch is due)."""
        self._wake.set()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop the flusher (a second call is a no-op); sessions stay possible until
        ``release``."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def release(self) -> None:
        """Close the apply lock's file (after ``close``: no session after this)."""
        self._lockfile.close()

    def _flusher(self) -> None:
        while not self._stop.is_set():
            woken = self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set() or not (woken or (self.used_engine and self._due())):
                continue
            try:
                self.flush()
                self._flushed()
            except Exception:  # the journal still holds every write; retried next round
                log.exception("memory.flush_failed", path=str(self._root))
