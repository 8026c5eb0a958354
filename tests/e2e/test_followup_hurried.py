"""Follow-ups written in a hurry, through the real Agent graph and the real ``agentroute chat``
process: a whole new conversion after another, a part of a multi-part turn named by its topic,
a thread that keeps changing one percentage, and a follow-up after the catch-all answered (the
embedded default: its calc and units MCP servers, the facts base and the geography graph)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent

from .conftest import Chat


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with Agent.default(tmp_path_factory.mktemp("hurried")) as default:
        yield default


def test_a_whole_conversion_after_another_keeps_none_of_its_units(agent: Agent) -> None:
    agent.run("convert 100 km to miles", thread="whole")
    result = agent.run("100 kg to pounds", thread="whole")
    assert [s.target for s in result.steps] == ["units.convert"], result.trace
    assert "miles" not in result.steps[0].query
    assert "220.46" in result.answer


def test_a_part_named_by_its_topic_is_asked_again(agent: Agent) -> None:
    agent.run("Convert 5 km to miles and what's 25% of 640?", thread="topic")
    result = agent.run("the percentage one for 880", thread="topic")
    assert [s.target for s in result.steps] == ["calc.calculate"], result.trace
    assert "25" in result.steps[0].query and "880" in result.steps[0].query
    assert "220" in result.answer


def test_a_bare_number_keeps_changing_the_percentage(agent: Agent) -> None:
    agent.run("What's 10% of 500?", thread="slot")
    agent.run("and 20%?", thread="slot")
    result = agent.run("ok and for 30?", thread="slot")
    assert [s.target for s in result.steps] == ["calc.calculate"], result.trace
    assert "500" in result.steps[0].query
    assert "150" in result.answer


def test_a_place_typed_in_lower_case_takes_the_places_place(agent: Agent) -> None:
    agent.run("capital of peru", thread="lower")
    result = agent.run("argentina?", thread="lower")
    assert result.steps and "Argentina" in result.steps[0].query, result.trace
    assert "Buenos Aires" in result.answer


def test_chat_reads_a_new_conversion_and_a_part_by_topic(tmp_path: Path) -> None:
    chat = Chat(tmp_path, "--thread", "t-hurried")
    chat.read_until("agentroute chat")
    chat.send("convert 2 hours to minutes")
    assert "120" in chat.read_until(", turn ")
    chat.send("5 kg to grams")
    grams = chat.read_until(", turn ")
    assert "5000" in grams and "→ units.convert" in grams
    chat.send("Convert 10 km to miles and what's 15% of 80?")
    chat.read_until(", turn ")
    chat.send("the percentage one for 200")
    shown = chat.read_until(", turn ")
    assert "30" in shown and "→ calc.calculate" in shown
    chat.close()


@pytest.fixture(scope="module")
def with_general(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    """The default bases, the calc and units servers and a general expert as the catch-all
    (a chat model that answers a fixed text): it answers what no specialist serves."""
    from agentroute.build import builtin_mcp_specs
    from agentroute.embeddings import default_embedder
    from agentroute.knowledge import build_default_knowledge, default_graph
    from agentroute.models import ChatModelExpert
    from agentroute.testing import FunctionChatModel
    from agentroute.types import TargetDescriptor, TargetKind

    root = tmp_path_factory.mktemp("general")
    embedder = default_embedder()
    general = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: "GENERAL-REPLY"),
        TargetDescriptor(
            name="assistant",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing, explanations of everyday "
            "topics, advice, ideas, jokes and poems.",
            role="general",
        ),
    )
    targets = [build_default_knowledge(root / "facts", embedder), default_graph(embedder)]
    agent = Agent(
        name="general",
        targets=[*targets, general],
        mcp=builtin_mcp_specs(),
        embedder=embedder,
        warm_spares=False,
    )
    with agent:
        yield agent


def test_after_the_catch_all_a_specialist_takes_the_changed_question(with_general: Agent) -> None:
    first = with_general.run("What is the currency of Wakanda?", thread="wakanda")
    assert [s.target for s in first.steps] == ["assistant"], first.trace
    result = with_general.run("and of Kenya?", thread="wakanda")
    assert "assistant" not in [s.target for s in result.steps], result.trace
    assert "shilling" in result.answer


def test_after_the_catch_all_a_place_pronoun_is_the_name_asked_about(with_general: Agent) -> None:
    first = with_general.run("Which country is Nairobi in?", thread="nairobi")
    assert [s.target for s in first.steps] == ["assistant"], first.trace
    result = with_general.run("what currency do they use there?", thread="nairobi")
    assert "assistant" not in [s.target for s in result.steps], result.trace
    assert "Nairobi" in result.steps[0].query
    assert "shilling" in result.answer


def test_after_the_catch_all_wrote_something_the_next_one_is_its_too(with_general: Agent) -> None:
    first = with_general.run("Write a poem about the sea", thread="poems")
    assert [s.target for s in first.steps] == ["assistant"], first.trace
    result = with_general.run("now one about mountains", thread="poems")
    assert [s.target for s in result.steps] == ["assistant"], result.trace
