"""Chat threads on Postgres: LangGraph's ``AsyncPostgresSaver`` over a psycopg connection pool,
shared by any number of processes.

The tables are made on first use, one process at a time (an advisory lock: two workers starting
together would race LangGraph's migrations). The pool checks a connection before lending it, so
after the server restarts the next call reconnects; it stops retrying in the background after
``timeout_s`` (its back-off doubles: minutes between tries after a long outage), and a call
then asks for a connection at once. A call the server drops in the middle
raises :class:`~agentroute._postgres.PostgresError` naming the server and the setting, never a
driver's traceback, and the turn that made it fails (a turn is acknowledged only once its last
checkpoint is written, so nothing acknowledged is lost).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from agentroute._postgres import PostgresError, PostgresServer

__all__ = ["PostgresThreads", "open_postgres_threads"]

_SETUP_LOCK = 0x61676E74_72746873  # "agntrths": one key for every process setting up threads
_CONNECTION = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
"""What LangGraph's saver expects of a connection (its own ``from_conn_string`` sets these)."""
_LOST = (psycopg.OperationalError, psycopg.InterfaceError)
"""A server gone, restarting, or a connection broken: the pool's timeout is one of them."""


class PostgresThreads(AsyncPostgresSaver):
    """``AsyncPostgresSaver`` whose failures of the server name it (``PostgresError``)."""

    def __init__(
        self, conn: Any, *, serde: SerializerProtocol, server: PostgresServer
    ) -> None:
        super().__init__(conn, serde=serde)
        self.server = server

    @contextmanager
    def _said(self, doing: str) -> Iterator[None]:
        try:
            yield
        except _LOST as exc:
            raise PostgresError.lost(self.server, doing, exc) from exc

    async def aget_tuple(self, config: Any) -> Any:
        with self._said("reading the thread"):
            return await super().aget_tuple(config)

    async def alist(
        self,
        config: Any,
        *,
        filter: dict[str, Any] | None = None,
        before: Any = None,
        limit: int | None = None,
    ) -> AsyncIterator[Any]:
        with self._said("listing the thread's checkpoints"):
            async for item in super().alist(config, filter=filter, before=before, limit=limit):
                yield item

    async def aput(
        self,
        config: Any,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> Any:
        with self._said("saving the turn"):
            return await super().aput(config, checkpoint, metadata, new_versions)

    async def aput_writes(
        self, config: Any, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        with self._said("saving the turn"):
            await super().aput_writes(config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        with self._said("deleting the thread"):
            await super().adelete_thread(thread_id)


async def open_postgres_threads(
    server: PostgresServer, serde: SerializerProtocol
) -> tuple[PostgresThreads, AsyncConnectionPool[Any]]:
    """``(saver, pool)``: the tables made if missing; the pool is closed by the caller.
    A server that cannot be reached now raises ``PostgresError`` (no pool is left behind)."""
    conninfo = server.conninfo()
    try:
        first = await psycopg.AsyncConnection.connect(
            conninfo, connect_timeout=max(2, round(server.timeout_s)), **_CONNECTION
        )
    except _LOST as exc:
        raise PostgresError.unreachable(server, exc) from None
    try:
        async with first:
            await first.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
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
