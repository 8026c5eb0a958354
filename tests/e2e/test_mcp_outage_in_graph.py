"""An MCP server failing mid-session, through the real graph: the calc server as a real
subprocess, a general-purpose expert beside it, the semantic planner and a case bank on disk.

A part whose server is down, hung or crashed under the call is never answered by the
general expert in its place (it would write prose where a product was asked); the turn says
the tool was unavailable, is not remembered, and once the server is back the route is the
tool again. A turn the general expert took because no specialist fit is no success memory
may reuse either.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.memory import CaseBank
from agentroute.memory._case import Judge
from agentroute.testing import FunctionPlanner, FunctionTarget
from agentroute.turn import TurnResult
from agentroute.types import PlanningContext, Step, TargetKind

MISBEHAVING = str(Path(__file__).resolve().parents[1] / "mcp" / "misbehaving_server.py")


def general() -> FunctionTarget:
    """The catch-all expert: answers anything with prose (never a product)."""
    return FunctionTarget(
        "general",
        lambda query, _: f"Here is a short answer, written for: {query}",
        kind=TargetKind.EXPERT,
        description="a general-purpose assistant: writes prose and answers anything else",
    )


def calc_spec() -> McpServerSpec:
    return McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])


@pytest.fixture()
def bank(tmp_path: Path) -> Iterator[CaseBank]:
    memory = CaseBank.open(tmp_path / "memory", embedder=default_embedder())
    try:
        yield memory
    finally:
        memory.close()


def routes(result: TurnResult) -> list[str | None]:
    return [s.target for s in result.steps]


def wait_for(condition, timeout_s: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll until ``condition()`` holds (a bound on a restart, not a speed check)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def successes(bank: CaseBank, namespace: str) -> dict[str, list[str]]:
    """The stored cases the bank would learn from as successes: task → targets."""
    return {
        c.task: sorted(c.targets())
        for c in bank.store.cases(namespace=namespace)
        if c.outcome.verdict is True
    }


@pytest.mark.slow  # stops and restarts a server process
def test_a_hung_server_fails_its_part_loudly_is_not_replaced_nor_learned(bank: CaseBank) -> None:
    with Agent(
        name="outage",
        targets=[general()],
        mcp=[calc_spec()],
        memory=bank,
        embedder=default_embedder(),
        step_timeout_s=2.0,
        warm_spares=False,
    ) as agent:
        first = agent.run("What is 233 * 47?")
        assert routes(first) == ["calc.calculate"] and "10951" in first.answer, first.answer
        server = agent._hub.servers["calc"]
        pid = server.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)  # hung: the call times out, the server is recycled
        try:
            hung = agent.run("What is 240 * 31?")
        finally:
            os.kill(pid, signal.SIGCONT)
        assert routes(hung) == ["calc.calculate"], hung.trace  # not the general expert
        [step] = hung.steps
        assert not step.ok and step.unavailable and "timed out" in (step.error or "")
        assert "calc.calculate is unavailable right now" in hung.answer, hung.answer
        assert "Here is a short answer" not in hung.answer
        assert hung.case_id is None  # an outage teaches memory nothing
        # The tool stayed a target while its server came back.
        assert "calc.calculate" in {d.name for d in agent.targets()}
        assert wait_for(lambda: server.state == "ready" and server.pid not in (None, pid))

        back = agent.run("What is 241 * 32?")
        assert routes(back) == ["calc.calculate"] and "7712" in back.answer, back.answer
        assert back.steps[0].ok and back.case_id is not None

    learned = successes(bank, "outage")
    assert learned == {
        "What is 233 * 47?": ["calc.calculate"],
        "What is 241 * 32?": ["calc.calculate"],
    }, learned


@pytest.mark.slow  # kills a server process under a call
def test_a_server_killed_under_the_call_is_not_replanned_to_the_expert(bank: CaseBank) -> None:
    """The tool dies under the call (a crash, as ``kill -9`` mid-call): without the rule, the
    replan gives the part to the next-best target, the general expert."""

    def plan(ctx: PlanningContext) -> list[Step]:
        if ctx.round == 1:
            return [Step(id="s1", query=ctx.request, target="bad.crash")]
        failed = [o for o in ctx.previous if not o.ok]  # what a replan would re-route
        return [
            Step(id=f"s{ctx.next_step_number + i}", query=o.query, target="general")
            for i, o in enumerate(failed)
        ]

    planner = FunctionPlanner(plan)
    spec = McpServerSpec(name="bad", command=sys.executable, args=[MISBEHAVING])
    with Agent(
        name="crash",
        targets=[general()],
        mcp=[spec],
        planner=planner,
        memory=bank,
        step_timeout_s=20.0,
        warm_spares=False,
    ) as agent:
        result = agent.run("crash the server please")
    assert routes(result) == ["bad.crash"], result.trace
    assert len(planner.contexts) == 1  # no replan for an unreachable part
    [step] = result.steps
    assert not step.ok and step.unavailable and "crashed" in (step.error or "")
    assert "bad.crash is unavailable right now" in result.answer
    assert result.case_id is None
    assert bank.store.count(namespace="crash") == 0


def test_a_tool_error_is_still_replanned_and_stored_as_failed(bank: CaseBank) -> None:
    """A tool that answers with an error (not an outage) may be re-routed; the answer says it
    failed first, and the turn is stored as failed, its failed first step shown."""
    broken = FunctionTarget(
        "reports.summarise", lambda q, _: "", fail=True, description="summarises numbers"
    )

    def plan(ctx: PlanningContext) -> list[Step]:
        if ctx.round == 1:
            return [Step(id="s1", query=ctx.request, target="reports.summarise")]
        if any(o.ok for o in ctx.previous):
            return []
        return [Step(id=f"s{ctx.next_step_number}", query=ctx.request, target="general")]

    with Agent(
        name="replan",
        targets=[broken, general()],
        planner=FunctionPlanner(plan),
        memory=bank,
        embedder=default_embedder(),
    ) as agent:
        result = agent.run("summarise the quarterly numbers")
    assert routes(result) == ["reports.summarise", "general"]
    assert [s.ok for s in result.steps] == [False, True]
    assert not result.steps[0].unavailable
    assert "(reports.summarise failed first: reports.summarise failed" in result.answer
    case = bank.get(result.case_id or "")
    assert case is not None
    assert case.outcome.verdict is False and case.outcome.judged_by is Judge.TOOL_OUTCOME


def test_a_part_the_general_expert_took_is_no_success_to_reuse(bank: CaseBank) -> None:
    """The semantic planner's catch-all route is a fallback: stored with no verdict, so the
    next similar request is planned again, not answered from the expert's case."""
    with Agent(
        name="fallback",
        targets=[general()],
        mcp=[calc_spec()],
        memory=bank,
        embedder=default_embedder(),
        warm_spares=False,
    ) as agent:
        tips = agent.run("Give me three tips for sleeping better")
        again = agent.run("Give me three tips for sleeping better")
    assert routes(tips) == ["general"], tips.trace
    assert tips.steps[0].route is not None and tips.steps[0].route.fallback
    case = bank.get(tips.case_id or "")
    assert case is not None
    assert case.outcome.judged_by is Judge.FALLBACK and case.outcome.verdict is None
    assert again.reused_case is None and again.planners == ["semantic"], again.planners
    assert successes(bank, "fallback") == {}


@pytest.mark.slow  # crashes a server process
def test_tools_of_a_server_refusing_calls_stay_planned_marked_unavailable(bank: CaseBank) -> None:
    """After a crash its breaker (threshold 1) holds open: the server's tools are still
    shown to the planner and planned, the plan's trace marks them unavailable, and the call
    fails fast and loudly instead of going elsewhere."""

    def plan(ctx: PlanningContext) -> list[Step]:
        if ctx.round > 1:
            return [Step(id=f"s{ctx.next_step_number}", query=ctx.request, target="general")]
        tool = "bad.crash" if "crash" in ctx.request else "bad.echo"
        return [Step(id="s1", query=ctx.request, target=tool)]

    planner = FunctionPlanner(plan)
    spec = McpServerSpec(
        name="bad",
        command=sys.executable,
        args=[MISBEHAVING],
        breaker_threshold=1,
        breaker_cooldown_s=600,
    )
    with Agent(
        name="refusing",
        targets=[general()],
        mcp=[spec],
        planner=planner,
        memory=bank,
        step_timeout_s=20.0,
        warm_spares=False,
    ) as agent:
        crashed = agent.run("crash it")
        echo = agent.run("echo this back")
    assert routes(crashed) == ["bad.crash"] and crashed.steps[0].unavailable
    assert routes(echo) == ["bad.echo"], echo.trace
    [step] = echo.steps
    assert not step.ok and step.unavailable and "circuit breaker is open" in (step.error or "")
    shown = {t.name for t in planner.contexts[-1].targets}
    assert {"bad.echo", "bad.crash"} <= shown  # still known to the planner
    [planned] = [e.data for e in echo.trace if e.kind == "plan"]
    assert {"bad.echo", "bad.crash"} <= set(planned["unavailable"]), planned
    assert len(planner.contexts) == 2  # one plan a turn: no replan to the general expert
    assert bank.store.count(namespace="refusing") == 0
