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


def test_an_unreachable_expert_fails_its_step_naming_the_endpoint() -> None:
    import socket

    from agentroute.models import make_chat_model

    with socket.socket() as s:  # a port nothing listens on: bound, closed, free again
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    down = ChatModelExpert(
        make_chat_model("local-model", base_url=url, timeout_s=5),
        TargetDescriptor(
            name="assistant",
            kind=TargetKind.EXPERT,
            description="A chat model for writing and everyday questions",
            role="general",
        ),
    )
    with Agent(
        targets=[down], mcp=builtin_mcp_specs(), embedder=default_embedder(), warm_spares=False
    ) as agent:
        result = agent.run("Write me a short poem about the sea, and what is 6 * 7?")
    by_target = {s.target: s for s in result.steps}
    assert by_target["calc.calculate"].ok  # the other part is still answered
    failed = by_target["assistant"]
    assert not failed.ok and f"(endpoint {url})" in (failed.error or "")
    assert url in result.answer
