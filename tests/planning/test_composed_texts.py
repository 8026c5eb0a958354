"""A request to compose a new text ("write me a poem about the sea") is a model's to write,
through the real Agent: with a general expert configured it goes there; with none it is
declined. A knowledge base's passage on the same topic (the bundled facts base's oceans) is
no poem, and a question about that topic still goes to the base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from general_agent import REPLY, general_agent

from agentroute import Agent
from agentroute.build import builtin_mcp_specs

COMPOSE = ["Write me a poem about the sea", "sing me a song about rivers", "tell me a joke"]


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    folder: Path = tmp_path_factory.mktemp("default")
    with Agent.default(folder, mcp=builtin_mcp_specs()) as built:
        yield built


@pytest.fixture(scope="module")
def helped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with general_agent(tmp_path_factory.mktemp("kb")) as built:
        yield built


@pytest.mark.parametrize("request_", COMPOSE)
def test_a_text_to_compose_without_a_writer_is_declined(default: Agent, request_: str) -> None:
    result = default.run(request_)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert "facts" not in result.answer


@pytest.mark.parametrize("request_", COMPOSE)
def test_a_text_to_compose_goes_to_the_general_expert(helped: Agent, request_: str) -> None:
    result = helped.run(request_)
    assert [s.target for s in result.steps] == ["general"]
    assert REPLY in result.answer


def test_a_question_on_the_same_topic_still_goes_to_the_base(default: Agent) -> None:
    result = default.run("What is the deepest ocean?")
    assert [s.target for s in result.steps] == ["facts"]
