"""Chat threads on Postgres: LangGraph's ``AsyncPostgresSaver`` over a psycopg connection pool,
shared by any number of processes, its writes made behind the turn (``_pg_writer``).

A checkpoint and a task's writes are turned into rows at once (on the loop, no hand-off to a
thread) and queued; one task commits the queue, every concurrent turn's rows in one pipelined
transaction. A read of a thread first waits for that thread's queued rows, so a turn, which
ends by reading its thread (``Agent`` reads the final state), answers only once its
checkpoints are committed, and one whose checkpoint could not be written fails loudly. Reads
take a pooled connection each, without the saver's process-wide lock (one connection's
guard, needless with a pool, which had queued every read behind every write).

The tables are made on first use, one process at a time (an advisory lock, asked for without
waiting in the server: two workers starting together would race LangGraph's migrations). The
pool checks a connection before lending it, so after the server restarts the next call
reconnects; it stops retrying in the background after ``timeout_s`` (its back-off doubles:
minutes between tries after a long outage), and a call then asks for a connection at once. A
call whose connection the server cut is asked again on another connection, once; a server
still gone raises :class:`~agentroute._postgres.PostgresError` naming the server and the
setting, never a driver's traceback, and the turn that made it fails (a turn is acknowledged
only once its last checkpoint is written: nothing acknowledged is lost).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import psycopg
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    get_serializable_checkpoint_metadata,
)
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde import types as serde_types
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from agentroute._log import get_logger
from agentroute._postgres import PostgresError, PostgresServer
from agentroute.turn._pg_rows import multi_row
from agentroute.turn._pg_writer import PgWriter, Rows

__all__ = ["PostgresThreads", "open_postgres_threads"]

log = get_logger(__name__)

_Saver = AsyncPostgresSaver
_T = TypeVar("_T")
_SETUP_LOCK = 0x61676E74_72746873  # "agntrths": one key for every process setting up threads
_CONNECTION: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
"""What LangGraph's saver expects of a connection (its own ``from_conn_string`` sets these)."""
_LOST = (psycopg.OperationalError, psycopg.InterfaceError)
"""A server gone, restarting, or a connection broken: the pool's timeout is one of them."""
_DELTA: Any = getattr(serde_types, "_DeltaSnapshot", ())
"""A delta channel's snapshot, stored as a blob (LangGraph's ``aput`` does the same)."""


def _thread_of(config: Any) -> str | None:
    thread = (config or {}).get("configurable", {}).get("thread_id")
    return None if thread is None else str(thread)


class PostgresThreads(AsyncPostgresSaver):
    """``AsyncPostgresSaver`` whose writes are queued and committed in batches behind the
    turn, whose reads wait for their thread's queued writes, that survives a connection the
    server cut (a restart) by asking the pool for another, once, and whose other failures of
    the server name it (``PostgresError``). A call asked twice is safe: LangGraph writes by
    upsert, keyed by the checkpoint and the task."""

    def __init__(self, conn: Any, *, serde: SerializerProtocol, server: PostgresServer) -> None:
        super().__init__(conn, serde=serde)
        self.server = server
        self.writer = PgWriter(self._commit, failed=self._write_failed)

    async def _twice(self, doing: str, call: Callable[[], Awaitable[_T]]) -> _T:
        try:
            return await call()
        except PoolTimeout as exc:  # no connection within timeout_s: the server is down
            raise PostgresError.lost(self.server, doing, exc) from exc
        except _LOST as exc:
            log.info("threads.reconnect", server=self.server.where(), error=str(exc))
        try:
            return await call()
        except _LOST as exc:
            raise PostgresError.lost(self.server, doing, exc) from exc

    # -- reads: after the thread's queued writes ------------------------------------------

    async def aget_tuple(self, config: Any) -> Any:
        await self.writer.settled(_thread_of(config))
        return await self._twice("reading the thread", lambda: _Saver.aget_tuple(self, config))

    async def alist(
        self,
        config: Any,
        *,
        filter: dict[str, Any] | None = None,
        before: Any = None,
        limit: int | None = None,
    ) -> AsyncIterator[Any]:
        await self.writer.settled(_thread_of(config))
        try:
            async for item in _Saver.alist(self, config, filter=filter, before=before, limit=limit):
                yield item
        except _LOST as exc:
            raise PostgresError.lost(self.server, "listing the thread's checkpoints", exc) from exc

    async def aget_delta_channel_history(
        self, *, config: Any, channels: Sequence[str]
    ) -> Mapping[str, Any]:
        await self.writer.settled(_thread_of(config))
        return await self._twice(
            "reading the thread",
            lambda: _Saver.aget_delta_channel_history(self, config=config, channels=channels),
        )

    async def adelete_thread(self, thread_id: str) -> None:
        await self.writer.settled(str(thread_id))
        await self._twice("deleting the thread", lambda: _Saver.adelete_thread(self, thread_id))

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        await self.writer.settled(None)
        await self._twice(
            "pruning threads", lambda: _Saver.aprune(self, thread_ids, strategy=strategy)
        )

    @asynccontextmanager
    async def _cursor(self, *, pipeline: bool = False) -> AsyncIterator[Any]:
        """LangGraph's cursor, without its lock when connections come from the pool."""
        if not isinstance(self.conn, AsyncConnectionPool):
            async with _Saver._cursor(self, pipeline=pipeline) as cur:
                yield cur
            return
        async with self.conn.connection() as conn:
            if pipeline:
                async with conn.pipeline(), conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur
            else:
                async with conn.cursor(binary=True, row_factory=dict_row) as cur:
                    yield cur

    # -- writes: rows queued, committed behind the turn -------------------------------------

    async def aput(
        self,
        config: Any,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> Any:
        """LangGraph's rows of ``aput`` (primitive values inline, others as blobs), queued."""
        configurable = config["configurable"]
        thread = str(configurable["thread_id"])
        namespace = configurable["checkpoint_ns"]
        copy = checkpoint.copy()
        copy["channel_values"] = dict(copy["channel_values"])
        blobs: dict[str, Any] = {}
        for key, value in checkpoint["channel_values"].items():
            if isinstance(value, _DELTA):
                blobs[key] = copy["channel_values"].pop(key)
                copy["channel_values"][key] = True
            elif value is None or isinstance(value, str | int | float | bool):
                continue
            else:
                blobs[key] = copy["channel_values"].pop(key)
        versions = {k: v for k, v in new_versions.items() if k in blobs}
        row = (
            thread,
            namespace,
            checkpoint["id"],
            configurable.get("checkpoint_id"),
            Jsonb(copy),
            Jsonb(get_serializable_checkpoint_metadata(config, metadata)),
        )
        self.writer.submit(
            [
                Rows(
                    thread,
                    self.UPSERT_CHECKPOINT_BLOBS_SQL,
                    self._dump_blobs(thread, namespace, blobs, versions),
                ),
                Rows(thread, self.UPSERT_CHECKPOINTS_SQL, [row]),
            ]
        )
        return {
            "configurable": {
                "thread_id": configurable["thread_id"],
                "checkpoint_ns": namespace,
                "checkpoint_id": checkpoint["id"],
            }
        }

    async def aput_writes(
        self, config: Any, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        """LangGraph's rows of ``aput_writes``, queued."""
        configurable = config["configurable"]
        sql = (
            self.UPSERT_CHECKPOINT_WRITES_SQL
            if all(w[0] in WRITES_IDX_MAP for w in writes)
            else self.INSERT_CHECKPOINT_WRITES_SQL
        )
        rows = self._dump_writes(
            str(configurable["thread_id"]),
            configurable["checkpoint_ns"],
            configurable["checkpoint_id"],
            task_id,
            task_path,
            writes,
        )
        self.writer.submit([Rows(str(configurable["thread_id"]), sql, rows)])

    async def _commit(self, statements: list[tuple[str, list[Sequence[Any]]]]) -> None:
        """``statements`` in one pipelined transaction on a pooled connection, each sent once
        with all its rows (not prepared: their text varies with the number of rows)."""

        async def once() -> None:
            assert isinstance(self.conn, AsyncConnectionPool)
            async with (
                self.conn.connection() as conn,
                conn.pipeline(),
                conn.transaction(),
                conn.cursor(binary=True) as cur,
            ):
                for sql, rows in statements:
                    for statement, params in multi_row(sql, rows):
                        await cur.execute(statement, params, prepare=False)

        await self._twice("saving the turn", once)

    def _write_failed(self, exc: BaseException) -> BaseException:
        if isinstance(exc, PostgresError):
            return exc
        return PostgresError(
            f"a checkpoint could not be written to the Postgres server at "
            f"{self.server.where()} ({self.server.setting}): {' '.join(str(exc).split())}; "
            "this turn did not complete (the thread keeps its last saved state)"
        )

    async def close(self) -> None:
        """Commit the queued writes, then close the pool."""
        try:
            await self.writer.close()
        finally:
            if isinstance(self.conn, AsyncConnectionPool):
                await self.conn.close()


async def open_postgres_threads(
    server: PostgresServer, serde: SerializerProtocol
) -> tuple[PostgresThreads, PostgresThreads]:
    """``(saver, saver)``: the tables made if missing; the caller closes the saver (its queued
    writes committed, then its pool).
    A server that cannot be reached now raises ``PostgresError`` (no pool is left behind)."""
    conninfo = server.conninfo()
    try:
        first = await psycopg.AsyncConnection.connect(
            conninfo,
            connect_timeout=max(2, round(server.timeout_s)),
            autocommit=True,
            prepare_threshold=0,
            row_factory=dict_row,
        )
    except _LOST as exc:
        raise PostgresError.unreachable(server, exc) from None
    try:
        async with first:
            await _take_setup_lock(first, server)
            await PostgresThreads(first, serde=serde, server=server).setup()
    except _LOST as exc:
        raise PostgresError.lost(server, "making the thread tables", exc) from None
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        conninfo,
        min_size=1,
        max_size=server.pool_size,
        kwargs=dict(_CONNECTION),
        check=AsyncConnectionPool.check_connection,
        timeout=server.timeout_s,
        reconnect_timeout=server.timeout_s,
        open=False,
        name="agentroute-threads",
    )
    await pool.open()
    saver = PostgresThreads(pool, serde=serde, server=server)
    return saver, saver


async def _take_setup_lock(conn: psycopg.AsyncConnection[Any], server: PostgresServer) -> None:
    """The setup's advisory lock (released with ``conn``), asked for until it is free: waiting
    inside ``pg_advisory_lock`` would deadlock with the holder's ``CREATE INDEX CONCURRENTLY``,
    which waits for every open statement to end."""
    deadline = time.monotonic() + server.timeout_s
    while True:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s) AS taken", (_SETUP_LOCK,))
        row: Any = await cursor.fetchone()
        if row is not None and row["taken"]:
            return
        if time.monotonic() > deadline:
            raise PostgresError(
                f"the thread tables on the Postgres server at {server.where()} "
                f"({server.setting}) have been being made by another process for over "
                f"{server.timeout_s:g} s"
            )
        await asyncio.sleep(0.05)
