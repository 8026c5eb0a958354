"""Rare real words against made-up ones, through the real Agent (the bundled facts base, the
real calc and units MCP servers and a general-purpose expert, a scripted chat model): a
question about a real word the embedding model's vocabulary lacks ("quokka", "theremin",
"the Treaty of Tordesillas") goes to the expert, because the English word list
(agentroute/text/english/) knows it; a made-up name is still declined, and so is a made-up
person whose given name is real ("Professor Alaric Fenwright") and a long lower-case word
that list lacks too ("a snorfleback")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from general_agent import REPLY, general_agent

from agentroute import Agent


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with general_agent(tmp_path_factory.mktemp("kb")) as built:
        yield built


@pytest.mark.parametrize(
    "request_text",
    [
        "what is a quokka",
        "what is a theremin",
        "what is petrichor",
        "who signed the Treaty of Tordesillas",
    ],
)
def test_a_rare_real_word_is_answered(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == ["general"], result.trace
    assert REPLY in result.answer


@pytest.mark.parametrize(
    "request_text",
    [
        "what's the capital of Zembria",
        "who is Professor Alaric Fenwright",
        "convert 12 quibbles to kilograms",
        "what is a snorfleback used for",  # a long word not even the English list has
        "explain the zentrovic effect",
    ],
)
def test_a_made_up_name_is_still_declined(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert REPLY not in result.answer
