"""Each node of the turn alone: a state, a ``Runtime(context=TurnContext(...))``, and what the
node adds (the reducers do the merging, so a node's update is only its own)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agentroute import AllowAllGate, Observation, Plan, PolicyDecision, Step, TargetKind, ToolCall
from agentroute.testing import FunctionPlanner, FunctionTarget, ScriptedPlanner, ScriptedTarget
from agentroute.turn import Budget, TurnContext, TurnState
from agentroute.turn._turn import after_observe, dispatch, gate, observe, plan, recall, route


class RaisingTarget(ScriptedTarget):  # a target with a bug (raises)
    async def invoke(self, step_id, query, args, *, timeout):  # type: ignore[override]
        raise RuntimeError("socket closed")


class DenyB:
    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        effect = "deny" if call.target == "b" else "allow"
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect=effect,  # type: ignore[arg-type]
            reason="test",
            fallback="b is not allowed" if effect == "deny" else None,
        )


def runtime(*targets: FunctionTarget, **fields: Any) -> Runtime[TurnContext]:
    fields.setdefault("planner", None)
    fields.setdefault("gate", AllowAllGate())
    return Runtime(context=TurnContext(targets={t.descriptor.name: t for t in targets}, **fields))


def ok(sid: str, target: str, result: str) -> Observation:
    return Observation(
        step_id=sid, target=target, kind=TargetKind.TOOL, query="", ok=True, result=result
    )


def failed(sid: str, target: str) -> Observation:
    return Observation(
        step_id=sid, target=target, kind=TargetKind.TOOL, query="", ok=False, error="x"
    )


async def test_recall_without_memory_says_so() -> None:
    update = await recall({"request": "q"}, runtime())
    assert update["hits"] == [] and update["reused_case"] is None
    assert update["trace"][0].data == {"note": "no memory configured"}


async def test_plan_adds_only_the_new_steps_numbered_after_the_old() -> None:
    planner = ScriptedPlanner([("again", "a")], name="fixed")
    state: TurnState = {
        "request": "q",
        "round": 1,
        "steps": {"s1": Step(id="s1", query="q", target="a")},
        "order": ["s1"],
        "observations": {"s1": failed("s1", "a")},
        "planners": ["fixed"],
        "planner_calls": 1,
    }
    update = await plan(state, runtime(ScriptedTarget("a"), planner=planner))
    assert list(update["steps"]) == ["s2"] and update["order"] == ["s2"]
    assert update["planners"] == ["fixed"] and update["planner_calls"] == 2
    assert update["round"] == 2
    assert planner.contexts[0].previous[0].ok is False


async def test_plan_rejects_an_invalid_plan() -> None:
    unknown = FunctionPlanner(
        lambda ctx: Plan(steps=[Step(id="s1", query="q", target="nowhere")], planner="bad")
    )
    update = await plan({"request": "q"}, runtime(ScriptedTarget("a"), planner=unknown))
    assert update["steps"] == {} and update["plan"].reasoning.startswith("plan rejected")


async def test_route_fails_a_step_whose_input_failed_and_routes_the_ready_one() -> None:
    steps = {
        "s1": Step(id="s1", query="x", target="a"),
        "s2": Step(id="s2", query="{{s1}}", target="b"),
        "s3": Step(id="s3", query="y", target="b"),
    }
    state: TurnState = {
        "steps": steps,
        "order": ["s1", "s2", "s3"],
        "observations": {"s1": failed("s1", "a")},
        "routes": {},
    }
    update = await route(state, runtime(ScriptedTarget("a"), ScriptedTarget("b")))
    assert update["ready"] == ["s3"] and update["routes"]["s3"].target == "b"
    assert list(update["observations"]) == ["s2"] and not update["observations"]["s2"].ok


async def test_route_refuses_a_step_over_the_turn_budget() -> None:
    pricey = ScriptedTarget("pricey", kind=TargetKind.EXPERT, cost_usd=1.0)
    state: TurnState = {
        "steps": {"s1": Step(id="s1", query="q", target="pricey")},
        "order": ["s1"],
        "cost_usd": 0.0,
    }
    update = await route(state, runtime(pricey, budget=Budget(per_turn_usd=0.5)))
    assert update["routes"]["s1"].target is None
    assert "over the remaining budget" in update["routes"]["s1"].reason


async def test_gate_turns_a_deny_into_the_policy_message() -> None:
    a, b = ScriptedTarget("a"), ScriptedTarget("b")
    ctx = runtime(a, b, gate=DenyB())
    steps = {"s1": Step(id="s1", query="x", target="a"), "s2": Step(id="s2", query="y", target="b")}
    routed = await route({"steps": steps, "order": ["s1", "s2"]}, ctx)
    update = await gate({"steps": steps, **routed}, ctx)
    assert update["ready"] == ["s1"]
    assert update["observations"]["s2"].error == "b is not allowed"
    assert set(update["decisions"]) == {"s1", "s2"} and update["stopped"] is None


async def test_dispatch_fills_references_and_contains_a_target_bug() -> None:
    echo = FunctionTarget("echo", lambda q, _: f"got {q}", cost_usd=0.25)
    broken = RaisingTarget("broken")
    ctx = runtime(echo, broken)
    steps = {
        "s2": Step(id="s2", query="twice {{s1}}", target="echo"),
        "s3": Step(id="s3", query="z", target="broken"),
    }
    state: TurnState = {
        "steps": steps,
        "order": ["s2", "s3"],
        "observations": {"s1": ok("s1", "x", "391")},
    }
    routed = await route(state, ctx)
    update = await dispatch({**state, "routes": routed["routes"], "ready": routed["ready"]}, ctx)
    assert update["observations"]["s2"].result == "got twice 391"
    error = update["observations"]["s3"].error
    assert error == "broken failed: RuntimeError('socket closed')"
    assert update["cost_usd"] == 0.25 and update["ready"] == []
    assert [e.data["step"] for e in update["trace"]] == ["s2", "s3"]


async def test_observe_fails_dependants_of_a_failed_step() -> None:
    steps = {
        "s1": Step(id="s1", query="x", target="a"),
        "s2": Step(id="s2", query="{{s1}}", target="a"),
    }
    state: TurnState = {
        "steps": steps,
        "order": ["s1", "s2"],
        "observations": {"s1": failed("s1", "a")},
        "routes": {},
    }
    update = await observe(state, runtime(ScriptedTarget("a")))
    assert list(update["observations"]) == ["s2"]
    assert await observe({**state, "observations": {"s1": ok("s1", "a", "y")}}, runtime()) == {}


async def test_after_observe_replans_a_failure_only_within_the_rounds() -> None:
    state: TurnState = {
        "steps": {"s1": Step(id="s1", query="x", target="a")},
        "order": ["s1"],
        "observations": {"s1": failed("s1", "a")},
        "round": 1,
    }
    assert await after_observe(state, runtime(max_rounds=2)) == "plan"
    assert await after_observe(state, runtime(max_rounds=1)) == "answer"


def test_a_new_turn_resets_what_the_reducers_accumulate(tmp_path) -> None:
    """``new_turn`` overwrites the reduced keys, so a thread's second turn (checkpointed in
    SQLite) starts from no steps, no trace and no cost."""
    from agentroute import Agent

    a = FunctionTarget("a", lambda q, _: q.upper(), cost_usd=0.5)
    with Agent(
        targets=[a], planner=ScriptedPlanner([("q", "a")], [("q", "a")], name="fixed"), threads=tmp_path / "t.db"
    ) as agent:
        first = agent.run("first", thread="th")
        second = agent.run("second", thread="th")
        assert [r for r, _ in agent.history("th")] == ["first", "second"]
    assert [s.id for s in second.steps] == ["s1"] and second.cost_usd == 0.5
    assert len(second.trace) == len(first.trace) and second.planners == ["fixed"]
