"""Recall counts written behind a turn: coalesced per process, flushed in one write per interval.

Why: on a Chroma server a turn's case upserted together with the recall counts of the (up to 4)
cases it recalled is a 5-case upsert, each re-inserting its vector into the server's HNSW index;
under load (``benchmarks/bench_load.py --backend postgres``) those upserts queued on the server
and set the turns' p95. The turn's own case is still written when the turn returns; the counts
of the cases it recalled are only statistics that rank later recalls, so they wait here, the
latest value per case, and a background thread writes them all in one go every interval and on
close. A crash loses at most one interval's counts, never a case.

Reads of this process see the counts it has not written yet (``overlay``), so two turns of one
process counting the same case do not undo each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from agentroute._log import get_logger
from agentroute.memory._case import Case, RecallStats

__all__ = ["PendingCounts"]

log = get_logger(__name__)

Batch = dict[str, dict[str, RecallStats]]
"""Counts by namespace, then case id."""


class PendingCounts:
    """The recall counts not yet written; ``write`` stores a batch (one write per namespace)."""

    def __init__(self, write: Callable[[Batch], None], *, interval_s: float) -> None:
        self._write = write
        self._interval = interval_s
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pending: Batch = {}
        self._in_flight: Batch = {}
        self.flushes = 0
        """Batches written so far (what the tests count)."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, cases: Iterable[Case]) -> None:
        """Keep the counts of ``cases`` (the latest per case wins) for the next flush."""
        with self._lock:
            for case in cases:
                self._pending.setdefault(case.namespace, {})[case.id] = case.recall.model_copy()
            if self._thread is None and self._pending:
                self._thread = threading.Thread(
                    target=self._run, name="recall-count-flush", daemon=True
                )
                self._thread.start()

    def overlay(self, case: Case) -> Case:
        """``case`` as read, with the counts this process has not written yet."""
        with self._lock:
            stats = self._pending.get(case.namespace, {}).get(case.id) or self._in_flight.get(
                case.namespace, {}
            ).get(case.id)
        if stats is not None:
            case.recall = stats.model_copy()
        return case

    def drop(self, namespace: str, ids: Sequence[str]) -> None:
        """Forget the pending counts of ``ids`` (their case is being written whole, or
        deleted); when a flush is writing one of them, wait for it, so it cannot overwrite
        the newer write."""
        with self._lock:
            bucket = self._pending.get(namespace, {})
            for cid in ids:
                bucket.pop(cid, None)
            flying = self._in_flight.get(namespace, {})
            wait = any(cid in flying for cid in ids)
        if wait:
            with self._flushing:
                pass

    def flush(self) -> int:
        """Write every pending count now; the number of cases written."""
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, {}
                self._in_flight = batch
            n = sum(len(b) for b in batch.values())
            try:
                if n:
                    self._write(batch)
                    self.flushes += 1
            except Exception:
                with self._lock:  # kept for the next round unless counted again meanwhile
                    for ns, bucket in batch.items():
                        newer = self._pending.setdefault(ns, {})
                        for cid, stats in bucket.items():
                            newer.setdefault(cid, stats)
                raise
            finally:
                with self._lock:
                    self._in_flight = {}
            return n

    def close(self) -> None:
        """Stop the flusher and write what is pending (a second call writes nothing)."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join()
        try:
            self.flush()
        except Exception:  # only counts are lost: every case was written when put
            log.exception("memory.count_flush_failed", at="close")

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.flush()
            except Exception:  # the counts are kept and retried next round
                log.exception("memory.count_flush_failed")
