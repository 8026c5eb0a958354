"""Chat threads on Postgres: LangGraph's ``AsyncPostgresSaver`` over a psycopg connection pool,
shared by any number of processes.

The tables are made on first use, one process at a time (an advisory lock, asked for without
waiting in the server: two workers starting together would race LangGraph's migrations). The pool checks a connection before lending it, so
after the server restarts the next call reconnects; it stops retrying in the background after
``timeout_s`` (its back-off doubles: minutes between tries after a long outage), and a call
then asks for a connection at once. A call whose connection the server cut is asked again on
another connection, once; a server still gone raises :class:`~agentroute._postgres.PostgresError`
naming the server and the setting, never a driver's traceback, and the turn that made it fails
(a turn is acknowledged only once its last checkpoint is written: nothing acknowledged is
lost).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import psycopg
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from agentroute._log import get_logger
from agentroute._postgres import PostgresError, PostgresServer

__all__ = ["PostgresThreads", "open_postgres_threads"]

log = get_logger(__name__)

_Saver = AsyncPostgresSaver
_T = TypeVar("_T")
_SETUP_LOCK = 0x61676E74_72746873  # "agntrths": one key for every process setting up threads
_CONNECTION: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
"""What LangGraph's saver expects of a connection (its own ``from_conn_string`` sets these)."""
_LOST = (psycopg.OperationalError, psycopg.InterfaceError)
"""A server gone, restarting, or a connection broken: the pool's timeout is one of them."""


class PostgresThreads(AsyncPostgresSaver):
    """``AsyncPostgresSaver`` that survives a connection the server cut (a restart) by asking
    the pool for another, once, and whose other failures of the server name it
    (``PostgresError``). A call asked twice is safe: LangGraph writes by upsert, keyed by the
    checkpoint and the task."""

    def __init__(self, conn: Any, *, serde: SerializerProtocol, server: PostgresServer) -> None:
        super().__init__(conn, serde=serde)
        self.server = server

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

    async def aget_tuple(self, config: Any) -> Any:
        return await self._twice("reading the thread", lambda: _Saver.aget_tuple(self, config))

    async def alist(
        self,
        config: Any,
        *,
        filter: dict[str, Any] | None = None,
        before: Any = None,
        limit: int | None = None,
    ) -> AsyncIterator[Any]:
        try:
            async for item in _Saver.alist(self, config, filter=filter, before=before, limit=limit):
                yield item
        except _LOST as exc:
            raise PostgresError.lost(self.server, "listing the thread's checkpoints", exc) from exc

    async def aput(
        self,
        config: Any,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> Any:
        return await self._twice(
            "saving the turn", lambda: _Saver.aput(self, config, checkpoint, metadata, new_versions)
        )

    async def aput_writes(
        self, config: Any, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        await self._twice(
            "saving the turn",
            lambda: _Saver.aput_writes(self, config, writes, task_id, task_path),
        )

    async def adelete_thread(self, thread_id: str) -> None:
        await self._twice("deleting the thread", lambda: _Saver.adelete_thread(self, thread_id))


async def open_postgres_threads(
    server: PostgresServer, serde: SerializerProtocol
) -> tuple[PostgresThreads, AsyncConnectionPool[Any]]:
    """``(saver, pool)``: the tables made if missing; the pool is closed by the caller.
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
    return PostgresThreads(pool, serde=serde, server=server), pool


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
