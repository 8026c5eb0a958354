"""Follow-ups of the parts of a turn, of earlier turns and after a thanks, through the real
Agent graph and the real ``agentroute chat`` process (the embedded default: its calc and
units MCP servers, the geography graph, the thread in SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent

from .conftest import Chat


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with Agent.default(tmp_path_factory.mktemp("parts")) as default:
        yield default


def test_chat_reads_a_part_by_its_place_and_a_thanks_plans_nothing(tmp_path: Path) -> None:
    """ "the second one in ounces" converts the second part's quantity; "ok thanks" asks no
    target and is answered as such; "and in grams?" then continues the conversion, not the
    thanks."""
    chat = Chat(tmp_path, "--thread", "t-parts")
    chat.read_until("agentroute chat")
    chat.send("Convert 5 miles to km and 10 kg to pounds")
    first = chat.read_until(", turn ")
    assert "8.04672" in first and "22.046" in first
    chat.send("the second one in ounces")
    second = chat.read_until(", turn ")
    assert "follow-up of the previous turn" in second
    assert "352.739" in second and "→ units.convert" in second
    chat.send("ok thanks")
    thanked = chat.read_until(", turn ")
    assert "You're welcome." in thanked
    assert "→ " not in thanked and "No suitable target" not in thanked
    chat.send("and in grams?")
    grams = chat.read_until(", turn ")
    assert "10000" in grams and "→ units.convert" in grams
    chat.close()


def test_the_results_of_two_parts_are_combined(agent: Agent) -> None:
    first = agent.run("What is 12 times 8 and 7 squared?", thread="combined")
    assert "96" in first.answer and "49" in first.answer
    result = agent.run("add those two together", thread="combined")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "96" in result.steps[0].query and "49" in result.steps[0].query
    assert "145" in result.answer


def test_each_part_is_asked_again_with_the_new_value(agent: Agent) -> None:
    agent.run("Convert 10 km to miles and 10 kg to pounds", thread="each")
    result = agent.run("now 20 of each", thread="each")
    assert [s.target for s in result.steps] == ["units.convert", "units.convert"]
    assert "12.42742" in result.answer and "44.09245" in result.answer


def test_an_attribute_of_another_name_is_asked_whole(agent: Agent) -> None:
    agent.run("What's the capital of France?", thread="attribute")
    result = agent.run("and the currency of Hungary?", thread="attribute")
    assert "forint" in result.answer
    assert "Budapest" not in result.answer


def test_a_turn_named_as_before_is_asked_again(agent: Agent) -> None:
    agent.run("Convert 10 miles to km", thread="before")
    agent.run("What's the capital of Peru?", thread="before")
    result = agent.run("do the conversion from before with 20", thread="before")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "32.18688" in result.answer
