"""Threads checkpointed before the records moved to ``agentroute.types`` name their old module,
``agentroute._records``; they still load (a rename never loses stored data)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import agentroute.types as types
from agentroute import Agent
from agentroute.testing import FunctionTarget, ScriptedPlanner


def test_a_thread_written_under_the_old_module_name_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "threads.sqlite"
    echo = FunctionTarget("echo", lambda q, _: f"echo {q}")
    with monkeypatch.context() as old_release:  # the serializer names a class by its module
        for name in types.__all__:
            record = getattr(types, name)
            if isinstance(record, type) and record.__module__ == "agentroute.types":
                old_release.setattr(record, "__module__", "agentroute._records")
        with Agent(
            targets=[echo], planner=ScriptedPlanner([("first", "echo")]), threads=db
        ) as agent:
            agent.run("first", thread="t")
    with sqlite3.connect(db) as conn:
        blobs = b"".join(
            bytes(row[0] or b"")
            for query in ("SELECT checkpoint FROM checkpoints", "SELECT value FROM writes")
            for row in conn.execute(query)
        )
    assert b"agentroute._records" in blobs and b"agentroute.types" not in blobs

    with Agent(
        targets=[echo], planner=ScriptedPlanner([("second", "echo")]), threads=db
    ) as agent:
        assert [r for r, _ in agent.history("t")] == ["first"]
        result = agent.run("second", thread="t")
    assert "echo second" in result.answer
    assert [s.query for s in result.steps] == ["second"]
