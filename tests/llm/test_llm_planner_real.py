"""The LLM planner against a real OpenAI-compatible server with a weak model (Gemma 3 270M).

Whatever the model returns, the turn must end with both parts answered: a valid plan is used,
anything else is repaired once and then the semantic planner takes over. Nothing it names that
is not a real target is ever dispatched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult

from agentroute import Agent, LLMPlanner, Plan, PlanningContext, TargetDescriptor, TargetKind
from agentroute.build import builtin_mcp_specs
from agentroute.knowledge import build_default_knowledge
from agentroute.planning._llm import plan_schema

pytestmark = pytest.mark.slow


def test_weak_model_never_breaks_a_turn(openai_server, tmp_path: Path) -> None:
    model = openai_server.chat_model(max_tokens=200, timeout=120)
    agent = Agent(mcp=builtin_mcp_specs(), planner=model, step_timeout_s=60)
    with agent:
        kb = build_default_knowledge(tmp_path / "kb", agent.embedder)
        agent.close()
    with Agent(
        mcp=builtin_mcp_specs(), targets=[kb], planner=model, answer_model=None, step_timeout_s=60
    ) as agent:
        known = {d.name for d in agent.targets()}
        for question, expected in [
            ("What is 17 * 23, and how many kilometres are 5 miles?", ["391", "8.04672"]),
            ("Who invented the telephone?", ["Bell"]),
        ]:
            result = agent.run(question)
            assert result.planners, "a planner ran"
            assert {s.target for s in result.steps} <= known
            for text in expected:
                assert text in result.answer, (result.planners, result.answer)
            assert agent._runtime.planner.calls >= 1  # the real model was asked


class _Replies(BaseCallbackHandler):
    """Records what the server answered (and refused), call by call."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.errors: list[BaseException] = []

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self.texts.append(response.generations[0][0].text)

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        self.errors.append(error)


class _NoFallback:
    name = "none"

    async def plan(self, ctx: PlanningContext) -> Plan:
        return Plan(steps=[], planner=self.name)


async def test_first_reply_is_schema_constrained(openai_server) -> None:
    """Without response_format this model's first reply was rarely valid JSON; with the plan's
    schema the server decodes under a grammar, so the very first reply fits the schema.

    llama-cpp-python refuses OpenAI's json_schema form (see the smoke tests), so the planner
    steps down, once, to its json_object + schema form."""
    replies = _Replies()
    # Its own HTTP client: langchain-openai shares one per (base_url, timeout) process-wide, and
    # its pooled connections belong to the event loop of the test that opened them.
    client = httpx.AsyncClient(timeout=120)
    model = openai_server.chat_model(
        max_tokens=400, timeout=120, callbacks=[replies], http_async_client=client
    )
    targets = [
        TargetDescriptor(name="calc.calculate", kind=TargetKind.TOOL, description="arithmetic"),
        TargetDescriptor(name="units.convert", kind=TargetKind.TOOL, description="unit converter"),
    ]
    # A generous wait: a busy machine must not turn a slow first reply into a timeout.
    planner = LLMPlanner(model, _NoFallback(), timeout_s=600)
    ctx = PlanningContext(
        request="What is 17 * 23, and how many kilometres are 5 miles?", targets=targets
    )
    try:
        await planner.plan(ctx)
    finally:
        await client.aclose()
    assert planner.output_mode == "json_object"
    assert len(replies.errors) == 1, replies.errors  # only the refused json_schema request
    assert replies.texts, "the model answered"
    first = json.loads(replies.texts[0], strict=False)
    jsonschema.validate(first, plan_schema([t.name for t in targets], bounded=True))
    assert {s["target"] for s in first["steps"]} <= {t.name for t in targets}
