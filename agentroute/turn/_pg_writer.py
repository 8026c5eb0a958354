"""Checkpoint rows written behind the turn to Postgres, many turns' in one transaction.

LangGraph's ``AsyncPostgresSaver`` writes each checkpoint and each task's writes as it comes:
~20 transactions a turn (each a WAL flush on the server), every one behind one lock per
process and a hand-off to a thread to serialize; at 50 sessions a turn spent seconds waiting
in that queue. Here the rows are queued as the saver makes them and one task on the event
loop writes whatever has queued, from every turn of the process, in one pipelined
transaction: one commit (one flush) and one round trip per batch, however many turns it
holds. A batch is written as soon as a reader waits for it (a turn ends by reading its
thread), else once its oldest row has waited ``linger_s``: a turn's ~20 checkpoints take one
or two commits, and a process killed mid-turn loses at most that long's progress.

Rows keep their order per statement; the statements of a batch run one after another in
one transaction (a checkpoint's row and its blobs land together or not at all). A reader
waits, before it reads a thread, until every row of that thread queued before it is
committed (:meth:`PgWriter.settled`), and is told of a write of the thread that failed since
the thread was last read. After such a failure the thread's later rows are dropped until it
is read: what is committed stays a prefix of what was written, so a thread never points at
blobs that were lost. A process killed mid-turn loses the rows still queued: the thread goes
on from an earlier checkpoint, as it would from the last one written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from agentroute._log import get_logger

__all__ = ["LINGER_S", "PgWriter", "Rows"]

log = get_logger(__name__)

LINGER_S = 0.2
"""The longest a queued row waits for a batch when no reader needs it yet."""


@dataclass(frozen=True)
class Rows:
    """One statement's rows, for one chat thread."""

    thread: str
    sql: str
    rows: Sequence[Sequence[Any]]


Commit = Callable[[list[tuple[str, list[Sequence[Any]]]]], Awaitable[None]]
"""Runs ``(statement, rows)`` pairs in one transaction, in order; raises if it did not commit."""


class PgWriter:
    """The queue of rows not yet committed, and the task that commits them in batches."""

    def __init__(
        self,
        commit: Commit,
        *,
        failed: Callable[[BaseException], BaseException],
        linger_s: float = LINGER_S,
    ) -> None:
        self._commit = commit
        self._linger_s = linger_s
        self._failed_as = failed
        """What a reader of a thread whose write failed is raised (given the driver's error)."""
        self._queue: list[tuple[int, Rows]] = []
        self._queued = 0
        """Number of the last rows queued; ``_taken`` the last in a batch, ``_done`` the last
        whose fate is known."""
        self._taken = 0
        self._done = 0
        self._last: dict[str, int] = {}
        """Each thread's last queued rows, while not yet done."""
        self._failed: dict[str, BaseException] = {}
        self._wake = asyncio.Event()
        self._needed = asyncio.Event()
        """A reader waits for rows not yet in a batch."""
        self._progress = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    def submit(self, rows: Sequence[Rows]) -> None:
        """Queue ``rows`` (all of one call: they are committed together)."""
        if self._closed:
            raise RuntimeError("the thread store is closed")
        for item in rows:
            if not item.rows or item.thread in self._failed:
                continue
            self._queued += 1
            self._queue.append((self._queued, item))
            self._last[item.thread] = self._queued
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()

    async def settled(self, thread: str | None) -> None:
        """Wait until ``thread``'s queued rows (every thread's for ``None``) are committed;
        raise the failure of a write of ``thread`` since it was last read."""
        target = self._queued if thread is None else self._last.get(thread, 0)
        if self._done < target:
            if self._taken < target:
                self._needed.set()
            async with self._progress:
                await self._progress.wait_for(lambda: self._done >= target)
        if thread is not None and thread in self._failed:
            raise self._failed.pop(thread)

    async def close(self) -> None:
        """Commit what is queued, then stop the task."""
        await self.settled(None)
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for thread, exc in self._failed.items():
            log.error("threads.write_lost", thread=thread, error=str(exc))

    async def _run(self) -> None:
        while True:
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
            if not self._needed.is_set():
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._needed.wait(), self._linger_s)
            self._needed.clear()
            batch, self._queue = self._queue, []
            if not batch:
                continue
            self._taken = batch[-1][0]
            await self._write(batch)
            self._done = self._taken
            for thread, last in list(self._last.items()):
                if last <= self._done:
                    del self._last[thread]
            async with self._progress:
                self._progress.notify_all()

    async def _write(self, batch: list[tuple[int, Rows]]) -> None:
        """Commit ``batch`` in one transaction; when it fails, each thread's rows on their
        own, so one thread's bad row fails only that thread."""
        items = [item for _, item in batch if item.thread not in self._failed]
        try:
            await self._commit(_by_statement(items))
            return
        except Exception as exc:
            threads = list(dict.fromkeys(item.thread for item in items))
            if len(threads) == 1:
                self._fail(threads[0], exc)
                return
            log.info("threads.batch_failed", threads=len(threads), error=str(exc))
        for thread in threads:
            own = [item for item in items if item.thread == thread]
            try:
                await self._commit(_by_statement(own))
            except Exception as exc:
                self._fail(thread, exc)

    def _fail(self, thread: str, exc: BaseException) -> None:
        log.error("threads.write_failed", thread=thread, error=str(exc))
        if thread not in self._failed:
            self._failed[thread] = self._failed_as(exc)


def _by_statement(items: Sequence[Rows]) -> list[tuple[str, list[Sequence[Any]]]]:
    """The rows of each statement, statements in order of first use, rows in queue order.

    Running each statement's rows together is safe: rows of different statements touch
    different tables, or (a task's writes, upserted or inserted-if-new) end the same in either
    order: an upsert's value wins over an insert-if-new of the same key whichever comes
    first."""
    grouped: dict[str, list[Sequence[Any]]] = {}
    for item in items:
        grouped.setdefault(item.sql, []).extend(item.rows)
    return list(grouped.items())
