"""Declining found by a request set written before the planner's code was read
(benchmarks/planning/dev/blind14_route.jsonl), through the real Agent: the bundled facts base,
the real calc and units MCP servers, and a general-purpose expert (a scripted chat model).

* a name nothing here knows (a made-up country, person, unit) is declined, not handed to the
  catch-all, which would invent an answer, nor to a tool, which would fail on it;
* a real name the bases lack still goes to the catch-all, and so does a request to compose
  something, whatever names it uses;
* a question about how the world stands now is declined however its topic is worded.
"""

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
        "what's the capital of Zembria",
        "who is Baron Feltzmoor",
        "convert 5 blorps to metres",
        "how far is the planet Xantor from the sun",
        "any earthquakes reported today?",
        "is Gmail down right now",
    ],
)
def test_what_nothing_here_knows_is_declined_despite_the_general_expert(
    agent: Agent, request_text: str
) -> None:
    result = agent.run(request_text)
    assert result.steps == [], [s.target for s in result.steps]
    assert result.unmatched == [request_text]


@pytest.mark.parametrize(
    ("request_text", "target", "answer"),
    [
        ("what's the capital of Sweden", "general", REPLY),
        ("write a Dockerfile that installs numpy", "general", REPLY),
        ("who worked out the basic laws of heredity with pea plants", "facts", "Mendel"),
        ("2 gigabytes in megabytes", "units.convert", "2000"),
    ],
)
def test_real_names_and_compositions_are_served(
    agent: Agent, request_text: str, target: str, answer: str
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps][:1] == [target], result.answer
    assert answer in result.answer, result.answer
