"""The general expert as the catch-all, through the real Agent graph and the real calc and
units MCP servers: what no specialist serves goes to it, arithmetic still goes to calc, and a
request for live data is declined (explicitly, in the answer and the plan's reasoning)."""

from __future__ import annotations

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.build import builtin_mcp_specs
from agentroute.embeddings import default_embedder
from agentroute.testing import ScriptedChatModel

POEM = "The sea keeps its own counsel, grey on grey."


def general(
    model: ScriptedChatModel,
    role: str | None,
    description: str = "A chat model for writing and everyday questions",
    name: str = "assistant",
) -> ChatModelExpert:
    return ChatModelExpert(
        model,
        TargetDescriptor(
            name=name,
            kind=TargetKind.EXPERT,
            description=description,
            role=role,  # type: ignore[arg-type]
        ),
    )


def test_the_general_expert_serves_what_no_specialist_does() -> None:
    model = ScriptedChatModel(replies=[POEM])
    with Agent(
        targets=[general(model, "general")],
        mcp=builtin_mcp_specs(),
        embedder=default_embedder(),
        warm_spares=False,
    ) as agent:
        poem = agent.run("Write me a short poem about the sea")
        calc = agent.run("17 * 23")
        weather = agent.run("What's the weather in Oslo tomorrow?")
    assert [s.target for s in poem.steps] == ["assistant"], poem.trace
    assert POEM in poem.answer
    assert [s.target for s in calc.steps] == ["calc.calculate"]
    assert "391" in calc.answer
    assert weather.steps == [] and weather.unmatched, weather.trace
    assert "No suitable target" in weather.answer
    reasons = [e.data["reasoning"] for e in weather.trace if e.kind == "plan"]
    assert reasons and "live data" in reasons[0], reasons
    model.assert_consumed()


def test_an_expert_whose_role_is_specialist_is_no_catch_all() -> None:
    model = ScriptedChatModel(replies=[])
    with Agent(
        # named "default" (read as general-purpose), but its role says it is not
        targets=[general(model, "specialist", "Tax law: VAT rates and deadlines", "default")],
        mcp=builtin_mcp_specs(),
        embedder=default_embedder(),
        warm_spares=False,
    ) as agent:
        poem = agent.run("Write me a short poem about the sea")
    assert poem.steps == [] and "No suitable target" in poem.answer
    model.assert_consumed()
