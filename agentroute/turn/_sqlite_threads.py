"""Chat threads in a SQLite file: checkpoints written behind the turn, in order, on a thread of
their own; a turn's last read waits for them.

LangGraph's ``AsyncSqliteSaver`` (over aiosqlite) holds one ``asyncio.Lock`` per operation
across several round trips between the event loop and aiosqlite's thread (set-up check,
cursor, execute, commit: each a future the loop must wake for), and LangGraph waits for each
checkpoint before it sends the next (``_checkpointer_put_after_previous``): ~20 sequential
operations a turn. On a loaded machine each wake-up waits for a CPU, and at 50 sessions the
turns spent most of their time in that chain, while the SQLite work itself kept its thread
busy ~10% of the time.

Here every operation is LangGraph's synchronous ``SqliteSaver`` method (same tables, same
serializer: files are interchangeable) run on one dedicated thread, whose FIFO queue keeps the
order LangGraph relies on. A write (``aput``, ``aput_writes``) is queued and returns at once;
a read (``aget_tuple``, ``alist``) is queued behind every earlier write, so it sees them, and
it raises the first write of its thread that failed since that thread was last read. A turn
ends with a read of its thread (``Agent`` reads the final state), so a turn that returns has
every checkpoint on disk, and one whose checkpoint could not be written fails loudly. A process
killed mid-turn loses the writes still queued: its thread goes on from an earlier checkpoint,
as it would from the last one written.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.sqlite import SqliteSaver

from agentroute._log import get_logger

__all__ = ["SqliteThreads", "open_sqlite_threads"]

log = get_logger(__name__)

_T = TypeVar("_T")


def _thread_of(config: RunnableConfig | None) -> str | None:
    if config is None:
        return None
    thread = config.get("configurable", {}).get("thread_id")
    return None if thread is None else str(thread)


class SqliteThreads(SqliteSaver):
    """``SqliteSaver`` on a thread of its own: writes queued, reads after them."""

    def __init__(self, conn: sqlite3.Connection, *, serde: SerializerProtocol) -> None:
        super().__init__(conn, serde=serde)
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="agentroute-threads-sqlite")
        self._failed: dict[str | None, BaseException] = {}
        """The first failed write of each chat thread not read since."""
        self._failed_lock = threading.Lock()

    # -- the worker ---------------------------------------------------------------------

    def _write(self, thread: str | None, call: Callable[..., Any], *args: Any) -> None:
        def run() -> None:
            try:
                call(*args)
            except Exception as exc:
                log.error("threads.write_failed", thread=thread, error=repr(exc))
                with self._failed_lock:
                    self._failed.setdefault(thread, exc)

        self._worker.submit(run)

    async def _read(self, thread: str | None, call: Callable[..., _T], *args: Any) -> _T:
        def run() -> _T:
            with self._failed_lock:
                failed = self._failed.pop(thread, None) if thread is not None else None
            if failed is not None:
                raise RuntimeError(f"a checkpoint of thread {thread!r} was not written") from failed
            return call(*args)

        return await asyncio.get_running_loop().run_in_executor(self._worker, run)

    # -- LangGraph's async interface ----------------------------------------------------

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return await self._read(_thread_of(config), self.get_tuple, config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        # Read whole on the worker: the sync generator holds the saver's lock between items.
        def read() -> list[CheckpointTuple]:
            return list(self.list(config, filter=filter, before=before, limit=limit))

        for item in await self._read(_thread_of(config), read):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        self._write(_thread_of(config), self.put, config, checkpoint, metadata, new_versions)
        return {  # what ``put`` returns
            "configurable": {
                "thread_id": config["configurable"]["thread_id"],
                "checkpoint_ns": config["configurable"]["checkpoint_ns"],
                "checkpoint_id": checkpoint["id"],
            }
        }

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self._write(_thread_of(config), self.put_writes, config, list(writes), task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        await self._read(thread_id, self.delete_thread, thread_id)

    async def aget_delta_channel_history(self, *args: Any, **kwargs: Any) -> Any:
        return await self._read(None, partial(self.get_delta_channel_history, *args, **kwargs))

    # -- the connection -----------------------------------------------------------------

    async def execute(self, statement: str) -> None:
        """One statement on the store's connection (a ``PRAGMA``), after the queued writes."""

        def run() -> None:
            with self.lock:
                self.conn.execute(statement)

        await asyncio.get_running_loop().run_in_executor(self._worker, run)

    async def close(self) -> None:
        """Finish the queued writes, close the connection, then the worker."""
        await asyncio.get_running_loop().run_in_executor(self._worker, self.conn.close)
        self._worker.shutdown(wait=True)
        for thread, exc in self._failed.items():
            log.error("threads.write_lost", thread=thread, error=repr(exc))


async def open_sqlite_threads(path: Path, serde: SerializerProtocol, timeout_s: float) -> Any:
    """The store of ``path`` (WAL mode, its tables made); a writer that finds the file busy
    waits up to ``timeout_s``."""
    try:
        conn = await asyncio.to_thread(
            sqlite3.connect, str(path), timeout=timeout_s, check_same_thread=False
        )
    except sqlite3.OperationalError as exc:
        raise _unwritable(path, exc) from exc
    store = SqliteThreads(conn, serde=serde)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    try:
        while True:
            try:
                await loop.run_in_executor(store._worker, store.setup)
                break
            except sqlite3.OperationalError as exc:
                # Two processes opening a new store at once: switching it to WAL can fail at
                # once with "locked" (SQLite skips the busy wait where waiting could
                # deadlock); the tables are made idempotently, so try again until the timeout.
                if "locked" not in str(exc) or loop.time() >= deadline:
                    raise
                await asyncio.sleep(_SETUP_RETRY_S)
    except sqlite3.OperationalError as exc:  # a full disk, a read-only file: not a bad file
        await store.close()
        if "locked" in str(exc):  # busy for longer than the timeout: said as it is
            raise
        raise _unwritable(path, exc) from exc
    except sqlite3.DatabaseError as exc:  # 'file is not a database' named no file
        await store.close()
        said = f"the thread store {path}: {exc} (nothing was written to it; move it aside to "
        raise sqlite3.DatabaseError(said + "start without its threads)") from exc
    except BaseException:
        await store.close()
        raise
    return store


def _unwritable(path: Path, exc: sqlite3.OperationalError) -> sqlite3.OperationalError:
    """SQLite's own words ('unable to open database file', 'disk I/O error') name no file."""
    return sqlite3.OperationalError(
        f"the thread store {path} cannot be opened or written: {exc} (check that it is a file "
        "in a folder this user may write, and that the disk is not full)"
    )


_SETUP_RETRY_S = 0.05
