"""The LLM planner asks an OpenAI-compatible server for schema-constrained output.

A real loopback HTTP server (``openai_stub``) stands in for the model server: the requests are
real ChatOpenAI requests, so these tests see exactly what goes over the wire.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from openai_stub import openai_stub

from agentroute import Agent, LLMPlanner, PlanningContext, Step, TargetDescriptor, TargetKind
from agentroute.models import make_chat_model
from agentroute.planning import PlanSpec
from agentroute.testing import FunctionPlanner, ScriptedTarget

TARGETS = ["calc", "units"]
PLAN = {
    "steps": [
        {"id": "a", "query": "17 * 23", "target": "calc", "depends_on": []},
        {"id": "b", "query": "5 miles in km", "target": "units", "depends_on": []},
    ],
    "reasoning": "two parts",
}


def calc_fallback() -> FunctionPlanner:
    """What the LLM planner falls back to: the whole request to calc."""
    return FunctionPlanner(
        lambda ctx: [Step(id=f"s{ctx.next_step_number}", query=ctx.request, target="calc")],
        name="fallback",
    )


def _ctx() -> PlanningContext:
    return PlanningContext(
        request="What is 17 * 23, and how many kilometres are 5 miles?",
        targets=[
            TargetDescriptor(name=name, kind=TargetKind.TOOL, description=name) for name in TARGETS
        ],
    )


def _schema_of(request: dict[str, Any]) -> dict[str, Any]:
    response_format = request["response_format"]
    if response_format["type"] == "json_schema":
        return response_format["json_schema"]["schema"]
    return response_format["schema"]


def _plan_reply(request: dict[str, Any]) -> str:
    return json.dumps(PLAN)


async def test_request_carries_the_plan_schema_and_the_plan_is_used() -> None:
    with openai_stub(_plan_reply) as server:
        model = make_chat_model("openai:stub-model", base_url=server.base_url)
        fallback = calc_fallback()
        plan = await LLMPlanner(model, fallback).plan(_ctx())
    [request] = server.chat_requests()
    response_format = request["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    step = schema["properties"]["steps"]["items"]
    assert step["properties"]["target"]["enum"] == TARGETS
    assert set(step["required"]) == {"id", "query", "target", "depends_on"}
    assert schema["additionalProperties"] is False and step["additionalProperties"] is False
    jsonschema.validate(PLAN, schema)  # the schema is the plan's (a valid plan fits it)
    PlanSpec.model_validate(PLAN)
    assert plan.planner == "llm" and len(fallback.contexts) == 0
    assert [(s.id, s.target, s.query) for s in plan.steps] == [
        ("s1", "calc", "17 * 23"),
        ("s2", "units", "5 miles in km"),
    ]


async def test_a_server_without_json_schema_gets_json_object_with_the_schema() -> None:
    """llama-cpp-python's server refuses OpenAI's json_schema but constrains json_object +
    schema; the planner steps down once and remembers."""

    def reply(request: dict[str, Any]) -> str | tuple[int, str]:
        if request.get("response_format", {}).get("type") == "json_schema":
            return 400, "response_format type must be 'text' or 'json_object'"
        return json.dumps(PLAN)

    with openai_stub(reply) as server:
        planner = LLMPlanner(
            make_chat_model("openai:stub-model", base_url=server.base_url), calc_fallback()
        )
        first = await planner.plan(_ctx())
        second = await planner.plan(_ctx())
    kinds = [r.get("response_format", {}).get("type") for r in server.chat_requests()]
    assert kinds == ["json_schema", "json_object", "json_object"]
    schema = _schema_of(server.chat_requests()[1])
    assert schema["properties"]["steps"]["items"]["properties"]["target"]["enum"] == TARGETS
    assert schema["properties"]["steps"]["maxItems"] >= 1  # bounded for grammar decoding
    assert first.planner == second.planner == "llm" and planner.output_mode == "json_object"


async def test_a_server_refusing_every_format_is_prompted_and_invalid_json_is_repaired() -> None:
    answers = iter(["not json at all", json.dumps(PLAN)])

    def reply(request: dict[str, Any]) -> str | tuple[int, str]:
        if "response_format" in request:
            return 422, "unsupported field: response_format"
        return next(answers)

    with openai_stub(reply) as server:
        fallback = calc_fallback()
        planner = LLMPlanner(make_chat_model("openai:stub", base_url=server.base_url), fallback)
        plan = await planner.plan(_ctx())
    assert [("response_format" in r) for r in server.chat_requests()] == [True, True, False, False]
    assert plan.planner == "llm (re-asked)" and len(fallback.contexts) == 0


@pytest.mark.parametrize(
    ("status", "message", "error"),
    [
        (401, "bad key", "AuthenticationError"),
        (400, "maximum context length is 2048 tokens", "maximum context length"),
    ],
)
async def test_a_server_error_unrelated_to_the_format_still_falls_back(
    status: int, message: str, error: str
) -> None:
    with openai_stub(lambda request: (status, message)) as server:
        fallback = calc_fallback()
        planner = LLMPlanner(make_chat_model("openai:stub", base_url=server.base_url), fallback)
        plan = await planner.plan(_ctx())
    assert len(server.chat_requests()) == 1 and planner.output_mode == "json_schema"
    assert len(fallback.contexts) == 1 and error in plan.planner


def test_the_turn_dispatches_the_servers_plan() -> None:
    """Through the real turn graph: the plan the server returned is the one dispatched."""
    calc = ScriptedTarget("calc", "391")
    units = ScriptedTarget("units", "8.04672 km")
    with openai_stub(_plan_reply) as server:
        model = make_chat_model("openai:stub-model", base_url=server.base_url)
        with Agent(targets=[calc, units], planner=model, max_rounds=1) as agent:
            result = agent.run("What is 17 * 23, and how many kilometres are 5 miles?")
    assert result.planners == ["llm"]
    assert [(s.target, s.query) for s in result.steps] == [
        ("calc", "17 * 23"),
        ("units", "5 miles in km"),
    ]
    assert "391" in result.answer and "8.04672 km" in result.answer
    [request] = server.chat_requests()
    assert request["response_format"]["type"] == "json_schema"
    schema = _schema_of(request)
    assert schema["properties"]["steps"]["items"]["properties"]["target"]["enum"] == TARGETS


def test_the_constrained_schema_has_exactly_the_plan_models_fields() -> None:
    """``plan_schema`` is written out for strict mode; it must not drift from ``PlanSpec``."""
    from agentroute.planning._llm import PlanSpec, StepSpec, plan_schema

    schema = plan_schema(["a", "b"])
    step = schema["properties"]["steps"]["items"]
    assert set(schema["properties"]) == set(PlanSpec.model_fields) == set(schema["required"])
    assert set(step["properties"]) == set(StepSpec.model_fields) == set(step["required"])
    assert step["properties"]["target"]["enum"] == ["a", "b"]
