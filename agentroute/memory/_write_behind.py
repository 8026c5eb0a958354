"""Case writes that are durable in the journal but not yet in chromadb, and their flusher.

Why it exists: a single chromadb ``add`` costs 30–50 ms here (it updates its HNSW and SQLite
segments per call), over the 20 ms budget for writing a case, and importing chromadb at all costs
~0.5-1 s, most of a one-shot run's start (issue 14). A case is first appended to a journal file
and fsync'ed (a few ms) — from then on it is durable, a killed process loses it not — and is
moved into chromadb in batches: by a background thread once ``flush_every`` ops are queued (or on
its interval while chromadb is open anyway), and at close only when more than the store lets a
close leave behind. Until a write is applied, ``WriteBehind.pending`` holds it so reads see it.
Opening a store adopts whatever journal is left (``Journal.adopt``): its ops are pending again,
and applied with the next batch (puts and deletes are idempotent upserts/deletes).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentroute._log import get_logger
from agentroute.memory._case import Case
from agentroute.memory._journal import Journal

__all__ = ["ApplyOps", "WriteBehind"]

log = get_logger(__name__)

ApplyOps = Callable[[list[dict[str, Any]]], None]
"""Applies journal ops to chromadb, in order (``apply_ops`` bound to a store's collections)."""


def _key(op: dict[str, Any]) -> tuple[str, str]:
    """The (namespace, case id) a journal op writes."""
    if op["op"] == "put":
        return op["case"]["namespace"], op["case"]["id"]
    return op["ns"], op["id"]


class WriteBehind:
    """The journal of a store, its unflushed writes and the thread that applies them.

    ``lock`` is the store's own lock: it guards ``pending`` and the op queue together with the
    store's indexes, so a write reaches the journal, the overlay and the index as one step.
    """

    def __init__(
        self,
        path: Path,
        apply: ApplyOps,
        lock: threading.RLock,
        *,
        embedder_id: str,
        flush_every: int,
        flush_interval_s: float,
        eager: Callable[[], bool] = lambda: True,
    ) -> None:
        self._path = path
        self._apply = apply
        self._lock = lock
        self._flush_lock = threading.Lock()
        self._embedder_id = embedder_id
        self._flush_every = flush_every
        self._interval = flush_interval_s
        self.pending: dict[tuple[str, str], tuple[int, str | None]] = {}
        """The newest unapplied write per (namespace, case id): its sequence number and the
        case's JSON (``None``: a delete). Read and written under ``lock``."""
        self._inflight: list[dict[str, Any]] = []
        """Ops being applied right now (still pending until they are)."""
        self._eager = eager
        """Whether the interval flush may run (chromadb is open: applying costs no import)."""
        self._ops, self._adopted, last_seq = Journal.adopt(path)
        for op in self._ops:
            self.pending[_key(op)] = (
                int(op["seq"]),
                json.dumps(op["case"]) if op["op"] == "put" else None,
            )
        self._journal = Journal(path, start_seq=last_seq)
        self._closed = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._flusher, name="case-store-flush", daemon=True)
        self._thread.start()

    def record(self, writes: list[tuple[dict[str, Any], str | None]]) -> None:
        """Journal ops (durable together on return, one sync) and hold each one's case JSON as
        pending (``None`` for a delete); caller holds lock."""
        ops = [op for op, _ in writes]
        for op in ops:
            op["embedder"] = self._embedder_id
        self._ops.extend(self._journal.append(ops))
        for op, body in writes:
            self.pending[_key(op)] = (int(op["seq"]), body)

    def nudge(self) -> None:
        """Wake the flusher early once a batch worth of ops is queued; caller holds lock."""
        if len(self._ops) >= self._flush_every:
            self._wake.set()

    def namespaces(self) -> set[str]:
        """The namespaces with a pending put (their collection may not exist yet)."""
        with self._lock:
            return {ns for (ns, _), (_, body) in self.pending.items() if body is not None}

    def find_turn(self, turn_id: str) -> Case | None:
        """The pending case written for ``turn_id`` (``None``: none is pending)."""
        with self._lock:
            bodies = [body for _, body in self.pending.values() if body is not None]
        for body in bodies:
            case = Case.model_validate_json(body)
            if case.turn_id == turn_id:
                return case
        return None

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def queued(self) -> int:
        """Ops journaled but not yet applied to chromadb."""
        with self._lock:
            return len(self._ops)

    def unapplied(self) -> list[dict[str, Any]]:
        """Every op not yet in chromadb, in order (what a reader of chromadb lays over it)."""
        with self._lock:
            return [*self._inflight, *self._ops]

    def flush(self) -> None:
        """Move every journaled write into chromadb now (the flusher does it in batches)."""
        with self._flush_lock:
            with self._lock:
                ops, self._ops = self._ops, []
                self._inflight = ops
                adopted, self._adopted = self._adopted, []
                if not ops:
                    for old in adopted:
                        old.unlink(missing_ok=True)
                    return
                sealed = self._journal.rotate(ops[-1]["seq"])
                segs = [*adopted, *([sealed] if sealed is not None else [])]
            try:
                self._apply(ops)
            except BaseException:
                with self._lock:  # still journaled: applied with the next batch
                    self._inflight = []
                    self._ops[:0] = ops
                    self._adopted[:0] = segs
                raise
            for seg in segs:
                seg.unlink(missing_ok=True)
            with self._lock:
                self._inflight = []
                for op in ops:
                    key = _key(op)
                    if self.pending.get(key, (None,))[0] == op["seq"]:
                        del self.pending[key]

    def close(self, *, apply: bool = True) -> None:
        """Stop the flusher, apply what is left (unless ``apply`` is false: it stays journaled
        for a later process) and close the journal (a second call is a no-op)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._wake.set()
        self._thread.join()
        if apply:
            self.flush()
        self._journal.close()

    def _flusher(self) -> None:
        while not self._stop.is_set():
            woken = self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set() or not (woken or self._eager()):
                continue
            try:
                self.flush()
            except Exception:  # the journal still holds every write; retried next round
                log.exception("memory.flush_failed", path=str(self._path))
