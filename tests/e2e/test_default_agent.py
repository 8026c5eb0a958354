"""The embedded default, end to end: real MCP servers (in-process and over stdio), chromadb on
disk, SQLite."""

from __future__ import annotations

import os
import signal
import sys
import time

from agentroute import Agent, AllowAllGate, TargetKind
from agentroute.build import builtin_mcp_specs
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedPlanner

from .conftest import MISBEHAVING


def wait_healthy(agent: Agent, server: str, restarts: int = 1, timeout: float = 60) -> None:
    """Wait for the supervisor's restart (a bound on waiting, not a speed check)."""
    supervised = agent._hub.servers[server]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (
        supervised.restarts >= restarts and supervised.health().ok
    ):
        time.sleep(0.1)


def test_two_parts_go_to_two_targets_and_both_are_right(default_agent: Agent) -> None:
    result = default_agent.run("What is 17 * 23, and how many kilometres are 5 miles?")
    targets = {s.query: s.target for s in result.steps}
    assert targets == {
        "What is 17 * 23": "calc.calculate",
        "how many kilometres are 5 miles?": "units.convert",
    }
    assert "391" in result.answer and "8.04672" in result.answer
    assert "[calc.calculate]" in result.answer and "[units.convert]" in result.answer


def test_knowledge_question_is_answered_from_the_bundled_corpus(default_agent: Agent) -> None:
    result = default_agent.run("Who invented the telephone?")
    assert result.steps[0].kind is TargetKind.KNOWLEDGE
    assert "Bell" in result.answer
    assert result.steps[0].sources[0].ref  # the document id is cited


def test_three_kinds_in_one_request(default_agent: Agent) -> None:
    result = default_agent.run(
        "What is the capital of Australia? Convert 100 fahrenheit to celsius, and what is 2 to the power of 16?"
    )
    kinds = {s.kind for s in result.steps if s.ok}
    assert kinds == {TargetKind.KNOWLEDGE, TargetKind.TOOL}
    assert "Canberra" in result.answer and "65536" in result.answer
    assert "37.7" in result.answer


def test_nothing_suitable_is_said_explicitly(default_agent: Agent) -> None:
    result = default_agent.run("Please water my tomato plants tonight")
    # the request is read plainly first (text.plain_request): the unmatched part is the ask
    assert result.unmatched == ["water my tomato plants tonight"]
    assert result.steps == [] or not any(s.ok for s in result.steps)
    assert "No suitable target" in result.answer


def test_killed_server_fails_that_turn_clearly_and_the_next_turn_works(tmp_path) -> None:
    # The built-in calc runs in-process by default; asked to run as a process, it is supervised.
    calc = McpServerSpec(
        name="calc", module="agentroute_tools.calc", in_process=False, warm_spare=True
    )
    units = [s for s in builtin_mcp_specs() if s.name != "calc"]
    with Agent.default(tmp_path, mcp=[calc, *units]) as agent:
        assert "391" in agent.run("What is 17 * 23?").answer
        pid = agent._hub.servers["calc"].pid
        assert pid
        os.kill(pid, signal.SIGKILL)
        failed = agent.run("What is 12 * 12?")
        step = failed.steps[0]
        if step.ok:  # the supervisor may already have restarted it: then it must be a new process
            assert agent._hub.servers["calc"].pid != pid
        else:
            assert "calc" in (step.error or "")
            assert "Could not answer" in failed.answer
        wait_healthy(agent, "calc")
        again = agent.run("What is 11 * 11?")
        assert again.steps[0].ok and "121" in again.answer


def test_hanging_server_times_out_and_the_turn_still_answers(tmp_path) -> None:
    bad = McpServerSpec(name="bad", command=sys.executable, args=[str(MISBEHAVING)])
    calc = [s for s in builtin_mcp_specs() if s.name == "calc"]
    planner = ScriptedPlanner(
        [("anything", "bad.hang"), ("17 * 23", "calc.calculate")], [("ping", "bad.echo")]
    )
    with Agent(mcp=[*calc, bad], planner=planner, step_timeout_s=1.0, max_rounds=1) as agent:
        result = agent.run("hang and compute")
        by_target = {s.target: s for s in result.steps}
        assert not by_target["bad.hang"].ok
        assert "timed out" in (by_target["bad.hang"].error or "")
        assert by_target["calc.calculate"].ok and "391" in result.answer
        wait_healthy(agent, "bad")
        echoed = agent.run("echo").steps[0]
        assert echoed.result == "ping", echoed.error


def test_garbage_on_stdout_is_a_clear_failure_not_a_crash(tmp_path) -> None:
    bad = McpServerSpec(name="bad", command=sys.executable, args=[str(MISBEHAVING)])
    planner = ScriptedPlanner([("x", "bad.garbage")], [("still here", "bad.echo")])
    # "Write a non-JSON line ..." reads as a writing tool: allowed outright, this is about the wire
    gate = AllowAllGate()
    with Agent(mcp=[bad], planner=planner, step_timeout_s=5.0, max_rounds=1, policy=gate) as agent:
        first = agent.run("garbage")
        wait_healthy(agent, "bad")
        second = agent.run("echo")
    assert first.answer  # the turn ended with an account
    assert second.steps[0].result == "still here"


def test_arithmetic_without_a_calculator_is_declined_not_answered_from_a_base(tmp_path) -> None:
    # No passage answers "12 * 12": with the calculator gone (or failed), the facts base's
    # closest passage (a definition of the metre) must not stand in for it.
    units = [s for s in builtin_mcp_specs() if s.name != "calc"]
    with Agent.default(tmp_path, mcp=units) as agent:
        result = agent.run("What is 12 * 12?")
        assert result.steps == []
        assert result.unmatched == ["What is 12 * 12?"]
        assert "facts" not in result.answer
        assert agent.run("What is the speed of light?").steps[0].target == "facts"
