"""The turn graph's own logic, with scripted targets and planners (no model involved)."""

from __future__ import annotations

import asyncio

import pytest

from agentroute import Agent, Budget, Plan, PolicyDecision, Step, TargetKind, ToolCall
from agentroute.testing import FunctionPlanner, FunctionTarget, ScriptedPlanner, ScriptedTarget


class ConcurrencyProbe(ScriptedTarget):
    active = 0
    peak = 0

    async def invoke(self, step_id, query, args, *, timeout):  # type: ignore[override]
        type(self).active += 1
        type(self).peak = max(type(self).peak, type(self).active)
        try:
            await asyncio.sleep(0.05)
            return await super().invoke(step_id, query, args, timeout=timeout)
        finally:
            type(self).active -= 1


class DenyGate:
    """A gate that denies one target and allows the rest."""

    def __init__(self, denied: str, effect: str = "deny") -> None:
        self.denied, self.effect = denied, effect

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        if call.target == self.denied:
            return PolicyDecision(
                step_id=call.step_id,
                target=call.target,
                effect=self.effect,  # type: ignore[arg-type]
                rule="test.policy:3",
                reason="not this one",
                fallback=f"{call.target} is not allowed; use another target",
            )
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect="allow",
            rule="test.policy:1",
            reason="fine",
        )


class BrokenGate:
    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        raise RuntimeError("engine bug")


def test_independent_steps_run_concurrently() -> None:
    ConcurrencyProbe.peak = 0
    targets = [ConcurrencyProbe(f"t{i}", "x") for i in range(32)]
    planner = ScriptedPlanner([(f"q{i}", f"t{i}") for i in range(32)])
    with Agent(targets=targets, planner=planner) as agent:
        result = agent.run("go")
    assert ConcurrencyProbe.peak == 32
    assert len(result.steps) == 32 and all(s.ok for s in result.steps)


async def test_async_entry_point_is_concurrent_too() -> None:
    ConcurrencyProbe.peak = 0
    targets = [ConcurrencyProbe(f"t{i}", "x") for i in range(32)]
    planner = ScriptedPlanner([(f"q{i}", f"t{i}") for i in range(32)])
    async with Agent(targets=targets, planner=planner) as agent:
        result = await agent.arun("go")
    assert ConcurrencyProbe.peak == 32 and result.ok


def test_reference_to_earlier_result_is_filled() -> None:
    a = ScriptedTarget("a", "391")
    b = FunctionTarget("b", lambda q, args: f"double of {q}")
    planner = FunctionPlanner(
        lambda ctx: Plan(
            steps=[
                Step(id="s1", query="17*23", target="a"),
                Step(id="s2", query="twice {{s1}}", target="b"),
            ]
        )
    )
    with Agent(targets=[a, b], planner=planner) as agent:
        result = agent.run("compute then double")
    assert b.calls == [("twice 391", {"query": "twice 391"})]
    assert result.steps[1].result == "double of twice 391"


def test_failed_input_skips_dependants() -> None:
    a = ScriptedTarget("a", fail=True)
    b = ScriptedTarget("b", "never")
    planner = FunctionPlanner(
        lambda ctx: Plan(
            steps=[Step(id="s1", query="x", target="a"), Step(id="s2", query="{{s1}}", target="b")]
        )
    )
    with Agent(targets=[a, b], planner=planner, max_rounds=1) as agent:
        result = agent.run("x")
    assert not b.calls
    assert "skipped" in (result.steps[1].error or "")


def test_failure_triggers_a_bounded_replan() -> None:
    bad = ScriptedTarget("bad", fail=True)
    planner = ScriptedPlanner([("q", "bad")], [("q", "bad")], [("q", "bad")])
    with Agent(targets=[bad], planner=planner, max_rounds=3) as agent:
        result = agent.run("q")
    assert len(planner.contexts) == 3
    assert result.rounds == 3
    assert planner.contexts[1].previous[0].ok is False


def test_deny_goes_back_to_planner_which_routes_elsewhere() -> None:
    a, b = ScriptedTarget("a", "from a"), ScriptedTarget("b", "from b")
    planner = ScriptedPlanner([("q", "a")], [("q", "b")], [])
    with Agent(targets=[a, b], planner=planner, policy=DenyGate("a")) as agent:
        result = agent.run("q")
    assert not a.calls, "a denied call must never be dispatched"
    seen = planner.contexts[1].previous[0]
    assert seen.error == "a is not allowed; use another target"
    assert (
        result.steps[0].policy.effect == "deny" and result.steps[0].policy.rule == "test.policy:3"
    )
    assert result.steps[1].ok and "from b" in result.answer


def test_stop_ends_the_turn_with_the_reason() -> None:
    a, b = ScriptedTarget("a", "from a"), ScriptedTarget("b", "from b")
    planner = ScriptedPlanner([("q", "a")])
    with Agent(targets=[a, b], planner=planner, policy=DenyGate("a", "stop")) as agent:
        result = agent.run("q")
    assert result.stopped and "test.policy:3" in result.stopped
    assert len(planner.contexts) == 1 and not b.calls


def test_gate_error_fails_closed() -> None:
    a = ScriptedTarget("a", "secret")
    with Agent(
        targets=[a], planner=ScriptedPlanner([("q", "a")]), policy=BrokenGate(), max_rounds=1
    ) as agent:
        result = agent.run("q")
    assert not a.calls
    assert result.steps[0].policy.effect == "deny"
    assert "failing closed" in result.steps[0].policy.reason


@pytest.mark.parametrize("approved", [True, False])
def test_ask_interrupts_and_resumes(approved: bool) -> None:
    a = ScriptedTarget("a", "paid")
    with Agent(
        targets=[a],
        planner=ScriptedPlanner([("pay 10", "a")]),
        policy=DenyGate("a", "ask"),
        max_rounds=1,
    ) as agent:
        first = agent.run("pay 10", thread="t1")
        assert first.pending_approval is not None
        assert first.pending_approval["call"]["target"] == "a"
        assert not a.calls
        final = agent.resume("t1", approved)
    assert final.pending_approval is None
    assert bool(a.calls) is approved
    assert final.steps[0].ok is approved


def test_timeout_fails_the_step_but_the_turn_answers() -> None:
    slow = ScriptedTarget("slow", "late", delay_s=5)
    quick = ScriptedTarget("quick", "on time")
    planner = ScriptedPlanner([("a", "slow"), ("b", "quick")])
    with Agent(targets=[slow, quick], planner=planner, step_timeout_s=0.2, max_rounds=1) as agent:
        result = agent.run("a and b")
    by_target = {s.target: s for s in result.steps}
    assert by_target["quick"].ok and not by_target["slow"].ok
    assert "timed out" in by_target["slow"].error
    assert "on time" in result.answer


def test_turn_budget_refuses_an_expensive_step() -> None:
    pricey = ScriptedTarget("pricey", "gold", kind=TargetKind.EXPERT, cost_usd=1.0)
    with Agent(
        targets=[pricey],
        planner=ScriptedPlanner([("q", "pricey")]),
        budget=Budget(per_turn_usd=0.01),
        max_rounds=1,
    ) as agent:
        result = agent.run("q")
    assert not pricey.calls
    assert result.steps[0].route.target is None
    assert "budget" in result.steps[0].route.reason


def test_thread_history_carries_over() -> None:
    a = FunctionTarget("a", lambda q, args: q.upper())
    planner = ScriptedPlanner([("q", "a")], [("q", "a")])  # one round per turn
    with Agent(targets=[a], planner=planner) as agent:
        agent.run("first", thread="th")
        agent.run("second", thread="th")
        assert [r for r, _ in agent.history("th")] == ["first", "second"]
        assert agent.history("other") == []


def test_trace_has_every_node_with_timing() -> None:
    a = ScriptedTarget("a", "x")
    with Agent(targets=[a], planner=ScriptedPlanner([("q", "a")])) as agent:
        result = agent.run("q")
    nodes = [e.node for e in result.trace if e.kind == "node"]
    assert nodes == ["recall", "plan", "route", "gate", "dispatch", "observe", "answer", "remember"]
    assert all(e.duration_s is not None for e in result.trace if e.kind == "node")
    policy = [e for e in result.trace if e.kind == "policy"]
    assert policy and policy[0].data["reason"].startswith("no policy configured")
