"""The LLM planner validates, repairs once, then falls back; bad plans are never dispatched."""

from __future__ import annotations

import json

from pydantic import Field

from agentroute import Agent, LLMPlanner, PlanningContext, Step, TargetDescriptor, TargetKind
from agentroute.testing import FunctionChatModel, FunctionPlanner, ScriptedChatModel, ScriptedTarget


def calc_fallback() -> FunctionPlanner:
    """What the LLM planner falls back to: the whole request to calc."""
    return FunctionPlanner(
        lambda ctx: [Step(id=f"s{ctx.next_step_number}", query=ctx.request, target="calc")],
        name="fallback",
    )


def _ctx() -> PlanningContext:
    return PlanningContext(
        request="what is 2+2",
        targets=[TargetDescriptor(name="calc", kind=TargetKind.TOOL, description="arithmetic")],
    )


def _plan(target: str) -> str:
    return json.dumps({"steps": [{"id": "a", "query": "2+2", "target": target}], "reasoning": "r"})


async def test_valid_plan_is_used_and_renumbered() -> None:
    model = ScriptedChatModel(replies=["Sure! " + _plan("calc") + " hope that helps"])
    fallback = calc_fallback()
    plan = await LLMPlanner(model, fallback).plan(_ctx())
    assert plan.planner == "llm" and plan.steps[0].id == "s1" and plan.steps[0].target == "calc"
    assert len(fallback.contexts) == 0 and len(model.calls) == 1
    model.assert_consumed()


async def test_garbage_gets_one_repair_then_fallback() -> None:
    model = ScriptedChatModel(replies=["I think you should use a calculator", "{not json"])
    fallback = calc_fallback()
    plan = await LLMPlanner(model, fallback).plan(_ctx())
    assert len(model.calls) == 2, "exactly one repair attempt"
    assert "rejected" in str(model.calls[1][-1].content)
    assert len(fallback.contexts) == 1 and plan.planner.startswith(
        "fallback (fallback: llm plan rejected"
    )
    model.assert_consumed()


async def test_a_re_ask_after_garbage_that_succeeds_is_used() -> None:
    model = ScriptedChatModel(replies=["calc, I think", _plan("calc")])
    plan = await LLMPlanner(model, calc_fallback()).plan(_ctx())
    assert plan.planner == "llm (re-asked)"
    assert "no JSON object" in str(model.calls[1][-1].content)
    model.assert_consumed()


async def test_an_unknown_target_is_not_re_asked_but_planned_by_the_fallback() -> None:
    model = ScriptedChatModel(replies=[_plan("calculator")])
    fallback = calc_fallback()
    plan = await LLMPlanner(model, fallback).plan(_ctx())
    assert plan.planner.startswith("fallback (fallback: llm plan rejected")
    assert [s.target for s in plan.steps] == ["calc"]
    model.assert_consumed()


async def test_model_exception_falls_back() -> None:
    def boom(messages):
        raise ConnectionError("server gone")

    plan = await LLMPlanner(FunctionChatModel(function=boom), calc_fallback()).plan(_ctx())
    assert "ConnectionError" in plan.planner


def test_unknown_target_is_never_dispatched_through_the_graph() -> None:
    calc = ScriptedTarget("calc", "4")
    model = ScriptedChatModel(replies=[_plan("shell.exec")])  # unsound: no re-ask
    with Agent(targets=[calc], planner=LLMPlanner(model, calc_fallback())) as agent:
        result = agent.run("what is 2+2")
    assert [s.target for s in result.steps] == ["calc"]
    assert "shell.exec" not in {s.target for s in result.steps}
    assert result.planners[0].startswith("fallback")
    model.assert_consumed()


class _StructuredModel(FunctionChatModel):
    """A provider with its own structured output (as Ollama's or Anthropic's chat models)."""

    schemas: list[dict] = Field(default_factory=list)
    broken: bool = False

    def with_structured_output(self, schema, *, include_raw=False, **kwargs):  # type: ignore[override]
        from langchain_core.messages import AIMessage
        from langchain_core.runnables import RunnableLambda

        if self.broken:
            raise ValueError("this model does not support structured output")  # as providers say
        self.schemas.append(schema)
        return RunnableLambda(
            lambda messages: {
                "raw": AIMessage("(tool call)"),
                "parsed": json.loads(self.function(messages)),
                "parsing_error": None,
            }
        )


async def test_a_provider_with_structured_output_is_asked_through_it() -> None:
    model = _StructuredModel(function=lambda messages: _plan("calc"))
    planner = LLMPlanner(model, calc_fallback())
    assert planner.output_mode == "structured"
    plan = await planner.plan(_ctx())
    assert plan.planner == "llm" and [s.target for s in plan.steps] == ["calc"]
    schema = model.schemas[0]
    assert schema["properties"]["steps"]["items"]["properties"]["target"]["enum"] == ["calc"]
    assert schema["additionalProperties"] is False


async def test_a_provider_refusing_structured_output_is_prompted() -> None:
    model = _StructuredModel(function=lambda messages: _plan("calc"), broken=True)
    planner = LLMPlanner(model, calc_fallback())
    plan = await planner.plan(_ctx())
    assert planner.output_mode == "prompt"
    assert plan.planner == "llm" and len(model.calls) == 1


async def test_the_previous_turns_steps_reach_the_model() -> None:
    """ "divide that by 4" means nothing without what the last turn asked and got."""
    from agentroute.types import PriorStep, PriorTurn

    last = PriorTurn(
        request="What is 48 * 52?",
        steps=[
            PriorStep(query="48 * 52", target="calc", kind=TargetKind.TOOL, ok=True, result="2496")
        ],
        answer="2496",
    )
    ctx = _ctx().model_copy(update={"request": "divide that by 4", "last_turn": last})
    model = ScriptedChatModel(replies=[_plan("calc")])
    await LLMPlanner(model, calc_fallback()).plan(ctx)
    asked = str(model.calls[0][-1].content)
    assert "previous turn's steps" in asked
    assert "- calc: '48 * 52' -> OK: '2496'" in asked
    assert asked.index("previous turn") < asked.index("Request: divide that by 4")
