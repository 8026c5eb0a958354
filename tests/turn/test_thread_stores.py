"""The thread store's conformance: every backend (a SQLite file, a real Postgres server) keeps a
thread's turns across agents and processes, resumes a pending approval, deserializes only our
own records, and takes turns from two OS processes at once. Postgres down, restarted or lost
mid-turn: named, reconnected, loud, and nothing acknowledged lost."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.base import empty_checkpoint

from agentroute import Agent, PolicyDecision, ToolCall
from agentroute._postgres import PostgresError, PostgresServer
from agentroute.testing import FunctionTarget, OneStepPlanner
from agentroute.turn._threads import open_thread_store
from agentroute.types import Step
from tests.postgres_server import PostgresProcess, database_for_test, free_port

WRITER = Path(__file__).with_name("thread_writer.py")


class AskGate:
    """Every call waits for a human's yes."""

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        return PolicyDecision(
            step_id=call.step_id, target=call.target, effect="ask", rule="test:1", reason="pay?"
        )


def _echo_agent(threads: Any, **kwargs: Any) -> Agent:
    echo = FunctionTarget("echo", lambda q, _: f"echo {q}")
    return Agent(targets=[echo], planner=OneStepPlanner("echo"), threads=threads, **kwargs)


def test_a_thread_carries_over_and_resumes_in_a_new_agent(threads: str | Path) -> None:
    with _echo_agent(threads) as agent:
        agent.run("first", thread="th")
        agent.run("second", thread="th")
        agent.run("elsewhere", thread="other")
    with _echo_agent(threads) as agent:
        assert [r for r, _ in agent.history("th")] == ["first", "second"]
        result = agent.run("third", thread="th")
        assert "echo third" in result.answer
        assert [r for r, _ in agent.history("th")] == ["first", "second", "third"]
        assert [r for r, _ in agent.history("other")] == ["elsewhere"]
        assert agent.history("never") == []


@pytest.mark.parametrize("approved", [True, False])
def test_a_pending_approval_is_answered_by_a_new_agent(threads: str | Path, approved: bool) -> None:
    """The ``ask`` waits in the store: the process that asked may be gone when the human
    answers."""
    pay = FunctionTarget("pay", lambda q, _: "paid")
    with Agent(
        targets=[pay], planner=OneStepPlanner("pay"), policy=AskGate(), threads=threads
    ) as agent:
        first = agent.run("pay 10", thread="t1")
        assert first.pending_approval is not None
        assert first.pending_approval["call"]["target"] == "pay"
    assert not pay.calls
    with Agent(
        targets=[pay], planner=OneStepPlanner("pay"), policy=AskGate(), threads=threads
    ) as agent:
        final = agent.resume("t1", approved)
    assert final.pending_approval is None
    assert bool(pay.calls) is approved
    assert final.steps[0].ok is approved


@dataclasses.dataclass
class Stranger:
    """A type that is not one of our records."""

    payload: str = "rm -rf /"


def test_only_our_records_are_deserialized(threads: str | Path) -> None:
    """A checkpoint holding a type we did not list comes back as plain data, never as an
    instance of it (the store's bytes may have been written by anyone); ours round-trip."""
    where = PostgresServer(url=threads) if isinstance(threads, str) else threads

    async def round_trip() -> dict[str, Any]:
        saver, conn = await open_thread_store(where)
        try:
            checkpoint = empty_checkpoint()
            checkpoint["channel_values"] = {
                "stranger": Stranger(),
                "step": Step(id="s1", query="q", target="echo"),
            }
            versions = {"stranger": "1", "step": "1"}
            checkpoint["channel_versions"] = dict(versions)
            config: Any = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
            await saver.aput(config, checkpoint, {}, versions)
            saved = await saver.aget_tuple(config)
            assert saved is not None
            return dict(saved.checkpoint["channel_values"])
        finally:
            await conn.close()

    values = asyncio.run(round_trip())
    assert values["step"] == Step(id="s1", query="q", target="echo")
    assert not isinstance(values["stranger"], Stranger)
    assert values["stranger"] == {"payload": "rm -rf /"}


def _writers_at_once(store: str | Path, names: list[str], turns: int, go: Path) -> list[str]:
    """``thread_writer.py`` in one OS process per name, let go together once all are ready;
    the turns they acknowledged."""
    writers = {
        name: subprocess.Popen(
            [sys.executable, str(WRITER), str(store), name, str(turns)],
            env={**os.environ, "GO": str(go)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    }
    for name, proc in writers.items():
        assert proc.stdout is not None
        said = proc.stdout.readline()
        assert said == "ready\n", f"writer {name}: {said!r} {proc.stderr and proc.stderr.read()}"
    go.touch()
    acknowledged: list[str] = []
    for name, proc in writers.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"writer {name}:\n{err[-3000:]}"
        acknowledged += out.splitlines()
    return acknowledged


def test_two_processes_write_turns_to_one_store_at_once(
    threads: str | Path, tmp_path: Path
) -> None:
    turns = 24
    acknowledged = _writers_at_once(threads, ["a", "b"], turns, tmp_path / "go")
    assert len(acknowledged) == 2 * turns
    with _echo_agent(threads) as agent:
        for name in ("a", "b"):
            for k in range(3):
                thread = f"{name}-{k}"
                expected = [f"{name} turn {i}" for i in range(k, turns, 3)]
                assert [r for r, _ in agent.history(thread)] == expected, thread


def test_a_postgres_server_down_at_start_is_named() -> None:
    url = f"postgresql://agent@127.0.0.1:{free_port()}/threads"
    agent = _echo_agent(url)
    with pytest.raises(PostgresError) as caught:
        agent.start()
    said = str(caught.value)
    assert "127.0.0.1" in said and "/threads" in said and "Agent(threads=...)" in said
    assert "cannot be reached" in said
    agent.close()


def test_a_restart_is_survived_and_a_turn_the_server_drops_fails_loudly() -> None:
    """The server restarted between turns: the next turn reconnects. The server gone in the
    middle of a turn: that turn fails with the server named, the agent goes on once it is
    back, and every acknowledged turn is in the thread."""
    pg = PostgresProcess().start()
    try:
        server = PostgresServer(
            url=database_for_test(pg.url), setting="the test's server", timeout_s=2
        )

        def answer(query: str, _: Any) -> str:
            if query == "three":
                pg.stop()  # the server goes away while the turn is in flight
            return f"echo {query}"

        target = FunctionTarget("echo", answer)
        with Agent(targets=[target], planner=OneStepPlanner("echo"), threads=server) as agent:
            agent.run("one", thread="t")
            pg.restart()
            assert "echo two" in agent.run("two", thread="t").answer
            with pytest.raises(PostgresError) as caught:
                agent.run("three", thread="t")
            said = str(caught.value)
            assert "the test's server" in said and f":{pg.port}/" in said
            assert "did not complete" in said
            pg.start()
            assert "echo four" in agent.run("four", thread="t").answer
            assert [r for r, _ in agent.history("t")] == ["one", "two", "four"]
    finally:
        pg.close()


def test_two_turns_of_one_thread_at_once_are_both_kept(threads: str | Path) -> None:
    """Turns of one thread sent at once to one agent (two clients of one chat) run one after
    the other: each continues from the other's checkpoint, and both stay in the thread."""
    slow = FunctionTarget("echo", lambda q, _: f"echo {q}", delay_s=0.3)
    with Agent(targets=[slow], planner=OneStepPlanner("echo"), threads=threads) as agent:
        agent.run("zero", thread="x")

        async def both() -> None:
            await asyncio.gather(agent.arun("A", thread="x"), agent.arun("B", thread="x"))

        asyncio.run(both())
        assert sorted(r for r, _ in agent.history("x")[1:]) == ["A", "B"]
        assert agent.history("x")[0][0] == "zero"


def test_processes_starting_together_on_a_new_database_all_start(
    postgres_url: str, tmp_path: Path
) -> None:
    """Workers started at once on an empty database: one makes the tables (LangGraph's
    migrations, one building an index concurrently), the others wait for it, none fails."""
    names = [f"w{n}" for n in range(4)]
    acknowledged = _writers_at_once(database_for_test(postgres_url), names, 1, tmp_path / "go")
    assert sorted(acknowledged) == [f"{n}-0 {n} turn 0" for n in names]


def _open_at_once(store: str, barrier: Any, errors: Any) -> None:
    """One process: wait for the others, open the store, close it; report what failed."""

    async def open_and_close() -> None:
        barrier.wait()
        _saver, conn = await open_thread_store(Path(store))
        await conn.close()

    try:
        asyncio.run(open_and_close())
        errors.put("")
    except Exception as exc:  # the failure is the test's finding
        errors.put(repr(exc))


def test_processes_opening_a_new_sqlite_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Six processes open one new SQLite thread store at the same moment, 100 times over:
    each opens it. (Switching a new file to WAL can fail at once with 'database is locked',
    without SQLite's busy wait; it happened in about 1 round of 30 before the retry.)"""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(100):
        store = str(tmp_path / f"r{round_}" / "threads.sqlite")
        Path(store).parent.mkdir()
        barrier, errors = context.Barrier(6), context.Queue()
        openers = [
            context.Process(target=_open_at_once, args=(store, barrier, errors)) for _ in range(6)
        ]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(timeout=60)
        failed = [e for e in (errors.get(timeout=10) for _ in openers) if e]
        assert failed == [], f"round {round_}: {failed}"
