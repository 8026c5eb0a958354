"""Thread shapes of blind set 20 through the real Agent graph (the embedded default: real calc
and units MCP servers, the facts base and the geography graph): another operation on the
previous calculation's numbers, a value changed in one part of a two-part turn, a place
referred back as the pair the graph related, a bare "what year?" of the passage a base gave,
a unit that comes back to the turn before an aside, and the same in ``agentroute chat``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent

from .conftest import Chat


def test_them_after_one_calculation_are_its_numbers(thread_agent: Agent) -> None:
    thread_agent.run("Add 48 and 17", thread="operands")
    result = thread_agent.run("now subtract them instead", thread="operands")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert result.steps[0].query == "48 - 17"
    assert "31" in result.answer


def test_a_value_changed_in_the_part_that_said_it(thread_agent: Agent) -> None:
    thread_agent.run("What's 15% of 200 and 25% of 80?", thread="change")
    result = thread_agent.run("change the 200 to 360", thread="change")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "54" in result.answer


def test_a_name_goes_to_the_part_that_named_one(thread_agent: Agent) -> None:
    thread_agent.run("What is the capital of Kenya, and how many km is 10 miles?", thread="name")
    result = thread_agent.run("and of Peru?", thread="name")
    assert [s.target for s in result.steps][:1] in (["geography"], ["facts"])
    assert "Lima" in result.answer
    assert "units.convert" not in [s.target for s in result.steps]


def test_there_after_a_capital_is_the_city_and_its_country(thread_agent: Agent) -> None:
    thread_agent.run("What is the capital of Argentina?", thread="there")
    result = thread_agent.run("what's the highest mountain there?", thread="there")
    assert "Buenos Aires, Argentina" in result.steps[0].query
    assert "Aconcagua" in result.answer


def test_what_year_asks_the_passage_of_the_previous_turn(thread_agent: Agent) -> None:
    thread_agent.run("Who discovered penicillin?", thread="year")
    result = thread_agent.run("what year?", thread="year")
    assert [s.target for s in result.steps] == ["facts"]
    assert "1928" in result.answer


def test_a_unit_comes_back_to_the_quantity_before_an_aside(thread_agent: Agent) -> None:
    thread_agent.run("How many km is 26.2 miles?", thread="aside")
    thread_agent.run("Who discovered penicillin?", thread="aside")
    result = thread_agent.run("and the distance in metres?", thread="aside")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "42164.8" in result.answer


def test_chat_reads_an_operation_on_the_numbers(tmp_path: Path) -> None:
    chat = Chat(tmp_path, "--thread", "t-operands")
    chat.read_until("agentroute chat")
    chat.send("What is 120 divided by 8?")
    chat.read_until(", turn ")
    chat.send("multiply them instead")
    shown = chat.read_until(", turn ")
    assert "follow-up of the previous turn" in shown and "'120 * 8'" in shown
    assert "→ calc.calculate" in shown and "960" in shown
    chat.close()


@pytest.fixture(scope="module")
def with_translator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    """The default bases, the calc and units servers and a translation expert (a chat model
    that answers a fixed text): an expert that "language?" or "what language do they speak?"
    alone would be routed to."""
    from agentroute.build import builtin_mcp_specs
    from agentroute.embeddings import default_embedder
    from agentroute.knowledge import build_default_knowledge, default_graph
    from agentroute.models import ChatModelExpert
    from agentroute.testing import FunctionChatModel
    from agentroute.types import TargetDescriptor, TargetKind

    root = tmp_path_factory.mktemp("translator")
    embedder = default_embedder()
    translator = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: "TRANSLATED"),
        TargetDescriptor(
            name="translator",
            kind=TargetKind.EXPERT,
            description="Translation specialist: translates text between languages and "
            "explains idioms and grammar.",
            domains=["translation", "languages"],
            examples=["Translate 'good morning' into French", "How do you say thank you"],
        ),
    )
    targets = [build_default_knowledge(root / "facts", embedder), default_graph(embedder)]
    agent = Agent(
        name="shapes",
        targets=[*targets, translator],
        mcp=builtin_mcp_specs(),
        embedder=embedder,
        warm_spares=False,
    )
    with agent:
        yield agent


def test_a_bare_attribute_is_of_the_thing_the_base_was_asked(with_translator: Agent) -> None:
    with_translator.run("capital of france", thread="attribute")
    result = with_translator.run("language?", thread="attribute")
    assert "translator" not in [s.target for s in result.steps]
    assert "French" in result.answer


def test_a_name_come_back_to_is_what_they_means(with_translator: Agent) -> None:
    with_translator.run("What is the capital of Kenya?", thread="back")
    with_translator.run("what is 9 times 9", thread="back")
    result = with_translator.run("going back to Kenya, what language do they speak?", thread="back")
    assert "translator" not in [s.target for s in result.steps]
    assert "Swahili" in result.answer
