"""The SQLite thread store writes checkpoints behind the turn: a read comes after every write
queued before it, and a write that failed is raised by the next read of its thread (a turn
ends with one), never left silent."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from agentroute.turn._sqlite_threads import open_sqlite_threads


def _config(thread: str) -> Any:
    return {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}


def _checkpoint(value: str) -> Any:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"said": value}
    checkpoint["channel_versions"] = {"said": "1"}
    return checkpoint


def test_a_read_sees_the_writes_queued_before_it(tmp_path: Path) -> None:
    async def run() -> list[str]:
        store = await open_sqlite_threads(tmp_path / "t.sqlite", JsonPlusSerializer(), 5.0)
        try:
            seen = []
            for i in range(20):
                await store.aput(_config("t"), _checkpoint(f"v{i}"), {}, {"said": "1"})
                got = await store.aget_tuple(_config("t"))
                seen.append(got.checkpoint["channel_values"]["said"])
            return seen
        finally:
            await store.close()

    assert asyncio.run(run()) == [f"v{i}" for i in range(20)]


def test_a_failed_write_is_raised_by_the_next_read_of_its_thread(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"

    async def run() -> None:
        store = await open_sqlite_threads(db, JsonPlusSerializer(), 0.2)
        try:
            await store.aput(_config("t"), _checkpoint("first"), {}, {"said": "1"})
            assert (await store.aget_tuple(_config("t"))) is not None
            other = sqlite3.connect(db, isolation_level=None)  # another process's writer
            other.execute("BEGIN IMMEDIATE")
            try:
                await store.aput(_config("t"), _checkpoint("lost"), {}, {"said": "1"})
                seen = await store.aget_tuple(_config("elsewhere"))  # not this thread's failure
                assert seen is None
                with pytest.raises(RuntimeError, match="'t' was not written"):
                    await store.aget_tuple(_config("t"))
            finally:
                other.execute("ROLLBACK")
                other.close()
            kept = await store.aget_tuple(_config("t"))  # raised once; what was written stays
            assert kept is not None
            assert kept.checkpoint["channel_values"]["said"] == "first"
            await store.aput(_config("t"), _checkpoint("after"), {}, {"said": "1"})
            after = await store.aget_tuple(_config("t"))
            assert after is not None
            assert after.checkpoint["channel_values"]["said"] == "after"
        finally:
            await store.close()

    asyncio.run(run())
