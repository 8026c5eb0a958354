"""The LLM planner against a real OpenAI-compatible server with a weak model (Gemma 3 270M).

Whatever the model returns, the turn must end with both parts answered: a valid plan is used,
anything else is repaired once and then the semantic planner takes over. Nothing it names that
is not a real target is ever dispatched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.config._build import builtin_mcp_specs
from agentroute.knowledge import build_default_knowledge

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
