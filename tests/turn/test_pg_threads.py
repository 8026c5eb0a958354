"""The Postgres thread store writes checkpoints behind the turn, on a real server: the rows of
concurrent calls go in one transaction, a read comes after its thread's queued rows, a write
that failed is raised by the next read of its thread only (and the thread's later rows are
not written before that read), and closing the store commits what is queued."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from agentroute._postgres import PostgresError, PostgresServer
from agentroute.turn._pg_threads import PostgresThreads, open_postgres_threads
from tests.postgres_server import database_for_test


def _config(thread: str) -> Any:
    return {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}


def _checkpoint(value: str) -> Any:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"said": value, "notes": [value]}  # inline, and a blob
    checkpoint["channel_versions"] = {"said": "1", "notes": value}  # a new blob each time
    return checkpoint


async def _put(store: PostgresThreads, thread: str, value: str) -> None:
    await store.aput(_config(thread), _checkpoint(value), {}, {"said": "1", "notes": value})


async def _said(store: PostgresThreads, thread: str) -> tuple[str, list[str]] | None:
    got = await store.aget_tuple(_config(thread))
    if got is None:
        return None
    values = got.checkpoint["channel_values"]
    return values["said"], values["notes"]


def _store(url: str) -> Any:
    return open_postgres_threads(PostgresServer(url=url, timeout_s=5), JsonPlusSerializer())


@pytest.fixture
def db(postgres_url: str) -> str:
    return database_for_test(postgres_url)


def test_a_read_sees_its_threads_writes_queued_before_it(db: str) -> None:
    async def run() -> list[tuple[str, list[str]] | None]:
        store, _ = await _store(db)
        try:
            seen = []
            for i in range(12):
                await _put(store, "t", f"v{i}")
                seen.append(await _said(store, "t"))
            return seen
        finally:
            await store.close()

    assert asyncio.run(run()) == [(f"v{i}", [f"v{i}"]) for i in range(12)]


def test_concurrent_calls_are_committed_in_one_transaction(db: str) -> None:
    """Rows queued together (ten threads' checkpoints and writes) share one transaction id:
    one commit, not one per call."""

    async def run() -> None:
        store, _ = await _store(db)
        try:
            for n in range(10):
                await _put(store, f"t{n}", f"v{n}")
                await store.aput_writes(
                    {"configurable": {**_config(f"t{n}")["configurable"], "checkpoint_id": "c"}},
                    [("said", f"w{n}")],
                    task_id="task",
                )
            for n in range(10):
                assert await _said(store, f"t{n}") == (f"v{n}", [f"v{n}"])
        finally:
            await store.close()

    asyncio.run(run())
    with psycopg.connect(db) as conn:
        rows = conn.execute(
            "SELECT count(*), count(DISTINCT xmin::text) FROM checkpoints"
            " UNION ALL SELECT count(*), count(DISTINCT xmin::text) FROM checkpoint_writes"
        ).fetchall()
    assert rows == [(10, 1), (10, 1)]


def test_a_failed_write_is_raised_by_the_next_read_of_its_thread_only(db: str) -> None:
    """A checkpoint the server refuses (a NUL character, which ``jsonb`` cannot hold) fails its
    own thread's read, once; a thread written in the same batch is kept; the failed thread's
    later rows are not written before it is read, so it never holds a checkpoint whose
    predecessors were lost."""

    async def run() -> None:
        store, _ = await _store(db)
        try:
            await _put(store, "bad", "first")
            assert await _said(store, "bad") == ("first", ["first"])
            await _put(store, "bad", "refused\x00")
            await _put(store, "good", "kept")
            assert await _said(store, "good") == ("kept", ["kept"])
            await _put(store, "bad", "after the failure")
            with pytest.raises(PostgresError, match="did not complete"):
                await _said(store, "bad")
            assert await _said(store, "bad") == ("first", ["first"])
            await _put(store, "bad", "once read again")
            assert await _said(store, "bad") == ("once read again", ["once read again"])
        finally:
            await store.close()

    asyncio.run(run())


def test_closing_commits_what_is_queued(db: str) -> None:
    async def write() -> None:
        store, _ = await _store(db)
        for n in range(5):
            await _put(store, "t", f"v{n}")
        await store.close()

    async def read() -> tuple[str, list[str]] | None:
        store, _ = await _store(db)
        try:
            return await _said(store, "t")
        finally:
            await store.close()

    asyncio.run(write())
    assert asyncio.run(read()) == ("v4", ["v4"])
