"""The test doubles are strict: a call beyond a script and an unused answer are errors a test sees."""

from __future__ import annotations

import jsonschema
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from agentroute import Agent, Plan, PlanningContext, Step, TargetDescriptor, TargetKind
from agentroute.testing import (
    FunctionChatModel,
    FunctionPlanner,
    FunctionTarget,
    OneStepPlanner,
    ScriptedChatModel,
    ScriptedPlanner,
    ScriptedTarget,
    ScriptError,
    TestPlanner,
)


def _ctx(request: str = "what is 2+2", round: int = 1, next_step: int = 1) -> PlanningContext:
    return PlanningContext(
        request=request,
        targets=[TargetDescriptor(name="calc", kind=TargetKind.TOOL, description="arithmetic")],
        round=round,
        next_step_number=next_step,
    )


# ScriptedChatModel


def test_scripted_model_answers_in_order_and_records_every_prompt() -> None:
    model = ScriptedChatModel(replies=["one", "two"])
    assert model.invoke("first").content == "one"
    assert model.invoke("second").content == "two"
    assert [m[-1].content for m in model.calls] == ["first", "second"]
    model.assert_consumed()


def test_a_call_beyond_the_script_names_the_call_and_the_prompt() -> None:
    model = ScriptedChatModel(replies=["one"])
    model.invoke("first")
    prompt = [SystemMessage("You are a planner."), HumanMessage("Plan: compute 17 * 23 " * 10)]
    with pytest.raises(ScriptError, match=r"unexpected call 2, beyond the 1 scripted") as raised:
        model.invoke(prompt)
    assert "'Plan: compute 17 * 23" in str(raised.value)
    assert len(str(raised.value)) < 200, "the prompt's start, not all of it"


def test_a_swallowed_unexpected_call_still_fails_assert_consumed() -> None:
    """Code under test may catch the model's error (a planner falls back): the test still sees it."""
    model = ScriptedChatModel(replies=[])
    with pytest.raises(ScriptError):
        model.invoke("anything")
    with pytest.raises(ScriptError, match="unexpected call 1"):
        model.assert_consumed()


def test_an_unused_reply_fails_assert_consumed() -> None:
    model = ScriptedChatModel(replies=["one", "two"])
    model.invoke("first")
    with pytest.raises(ScriptError, match="1 of 2 scripted answers never asked for"):
        model.assert_consumed()


async def test_scripted_model_is_strict_through_the_async_path_and_reports_usage() -> None:
    model = ScriptedChatModel(replies=["ok"], tokens_per_reply=3)
    reply = await model.ainvoke("two words")
    assert reply.usage_metadata is not None
    assert reply.usage_metadata["input_tokens"] == 2 and reply.usage_metadata["output_tokens"] == 3
    with pytest.raises(ScriptError):
        await model.ainvoke("again")


def test_function_model_answers_from_the_prompt_as_often_as_asked() -> None:
    model = FunctionChatModel(function=lambda messages: str(messages[-1].content).upper())
    assert [model.invoke(q).content for q in ("a", "b", "c")] == ["A", "B", "C"]
    assert len(model.calls) == 3


# Planners


async def test_scripted_planner_numbers_written_steps_from_the_context() -> None:
    planner = ScriptedPlanner(
        [("2+2", "calc"), ("3+3", "calc", {"expression": "3+3"})],
        [Step(id="mine", query="q", target="calc")],
        name="mine",
    )
    first = await planner.plan(_ctx(next_step=4))
    assert [(s.id, s.query, s.args) for s in first.steps] == [
        ("s4", "2+2", None),
        ("s5", "3+3", {"expression": "3+3"}),
    ]
    assert first.planner == "mine"
    second = await planner.plan(_ctx(round=2))
    assert [s.id for s in second.steps] == ["mine"], "a Step is used as written"
    assert [c.round for c in planner.contexts] == [1, 2]
    planner.assert_consumed()


async def test_scripted_planner_is_strict_both_ways() -> None:
    planner = ScriptedPlanner([("2+2", "calc")], [])
    await planner.plan(_ctx())
    with pytest.raises(ScriptError, match="1 of 2 scripted answers never asked for"):
        planner.assert_consumed()
    await planner.plan(_ctx(round=2))
    with pytest.raises(ScriptError, match=r"unexpected call 3.*round 3.*'what is 2\+2'"):
        await planner.plan(_ctx(round=3))


def test_a_planner_called_beyond_its_script_fails_the_turn() -> None:
    """The graph does not catch a planner's error: an unexpected round fails the test."""
    with (
        Agent(targets=[ScriptedTarget("calc", "4")], planner=ScriptedPlanner()) as agent,
        pytest.raises(ScriptError, match="unexpected call 1"),
    ):
        agent.run("what is 2+2")


async def test_a_scripted_plan_is_returned_as_written() -> None:
    plan = Plan(steps=[], unmatched=["the weather"], planner="written")
    assert await ScriptedPlanner(plan).plan(_ctx()) is plan


async def test_function_planner_wraps_steps_and_passes_plans_through() -> None:
    planner = FunctionPlanner(
        lambda ctx: (
            [Step(id=f"s{ctx.next_step_number}", query=ctx.request, target="calc")]
            if ctx.round == 1
            else Plan(steps=[], planner="done")
        ),
        name="fn",
    )
    first = await planner.plan(_ctx())
    assert first.planner == "fn" and first.steps[0].query == "what is 2+2"
    assert (await planner.plan(_ctx(round=2))).planner == "done"
    assert len(planner.contexts) == 2


async def test_one_step_planner_sends_the_request_to_the_first_expert_once() -> None:
    ctx = PlanningContext(
        request="explain entropy",
        targets=[
            TargetDescriptor(name="calc", kind=TargetKind.TOOL),
            TargetDescriptor(name="big", kind=TargetKind.EXPERT),
        ],
    )
    plan = await OneStepPlanner().plan(ctx)
    assert [(s.query, s.target) for s in plan.steps] == [("explain entropy", "big")]
    assert (await OneStepPlanner().plan(ctx.model_copy(update={"round": 2}))).steps == []


SCHEMA = {
    "type": "object",
    "properties": {
        "path": {"type": "string", "minLength": 3},
        "count": {"type": "integer", "exclusiveMinimum": 0, "maximum": 10},
        "mode": {"enum": ["read", "write"]},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "optional": {"type": "string"},
    },
    "required": ["path", "count", "mode", "tags"],
    "additionalProperties": False,
}


def test_test_planner_calls_every_target_once_with_valid_arguments() -> None:
    tool = ScriptedTarget("files.read", "content", input_schema=SCHEMA)
    expert = ScriptedTarget("big", "an answer", kind=TargetKind.EXPERT)
    planner = TestPlanner()
    with Agent(targets=[tool, expert], planner=planner, max_rounds=2) as agent:
        result = agent.run("smoke test")
    assert len(tool.calls) == 1 and len(expert.calls) == 1
    ((_, args),) = tool.calls
    assert args is not None
    jsonschema.validate(args, SCHEMA)
    assert "optional" not in args, "only the required properties"
    assert all(s.ok for s in result.steps) and result.planners == ["test"]


# Targets


async def test_function_target_sees_query_and_arguments() -> None:
    target = FunctionTarget("echo", lambda query, args: f"{query} {args}")
    obs = await target.invoke("s1", "hello", {"n": 1}, timeout=1)
    assert obs.ok and obs.result == "hello {'n': 1}"
    assert target.calls == [("hello", {"n": 1})]


async def test_scripted_target_answers_every_call_or_fails_as_told() -> None:
    target = ScriptedTarget("calc", "4", cost_usd=0.5)
    assert (await target.invoke("s1", "2+2", None, timeout=1)).result == "4"
    assert (await target.invoke("s2", "3+1", None, timeout=1)).result == "4"
    assert target.estimate_cost("q") == 0.5
    broken = ScriptedTarget("calc", "4", fail=True)
    obs = await broken.invoke("s1", "2+2", None, timeout=1)
    assert not obs.ok and obs.error == "calc failed (scripted)"
    assert not (await broken.health()).ok
