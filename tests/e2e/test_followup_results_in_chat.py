"""Follow-ups that work on earlier results, the ways session 19's blind set found missing,
through the real ``agentroute chat`` process and the real Agent graph (the embedded default: its
calc and units MCP servers, the thread in SQLite): "add all three" after three turns, "average
them" after a two-part turn, "take its square root", "the total from before"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent

from .conftest import Chat


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with Agent.default(tmp_path_factory.mktemp("results")) as default:
        yield default


def test_chat_adds_all_three_earlier_results_and_takes_a_square_root(tmp_path: Path) -> None:
    chat = Chat(tmp_path, "--thread", "t-three")
    chat.read_until("agentroute chat")
    for request in ("Compute 11 * 11", "Compute 12 * 12", "Compute 13 * 13"):
        chat.send(request)
        chat.read_until(", turn ")
    chat.send("add all three")
    added = chat.read_until(", turn ")
    assert "434" in added and "→ calc.calculate" in added
    chat.send("take its square root")
    root = chat.read_until(", turn ")
    assert "20.83" in root and "→ calc.calculate" in root
    chat.close()


def test_average_them_is_the_mean_of_the_parts(agent: Agent) -> None:
    agent.run("50 km in miles and 80 km in miles", thread="average")
    result = agent.run("average them", thread="average")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "40.389" in result.answer


def test_the_total_from_before_is_the_result_two_turns_back(agent: Agent) -> None:
    agent.run("What's the square root of 2025?", thread="before")
    agent.run("multiply by 4", thread="before")
    result = agent.run("the total from before minus 80", thread="before")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "180" in result.steps[0].query and "100" in result.answer


def test_the_former_and_the_latter_name_two_earlier_results(agent: Agent) -> None:
    agent.run("Convert 3 miles to km", thread="pair")
    agent.run("Convert 5 miles to km", thread="pair")
    result = agent.run("the former plus the latter", thread="pair")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "12.874752" in result.answer
    agent.run("What is the capital of Peru and of Kenya?", thread="latter")
    result = agent.run("what currency does the former use?", thread="latter")
    assert [s.target for s in result.steps] == ["geography"]
    assert "sol" in result.answer and "shilling" not in result.answer
