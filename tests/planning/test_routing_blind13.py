"""Routing failures found by a request set written before the planner's code was read
(benchmarks/planning/dev/blind13_route.jsonl), through the real Agent: the bundled facts base,
the real calc and units MCP servers, and a general-purpose expert (a scripted chat model).

* a question why something is so goes to a base only when its passage names what is asked
  ("why is the ocean salty" was answered with the oceans' sizes);
* a price asked with no number given is today's price: declined, not the general expert's;
* a question on numbers the clause states about the user's own thing is a computation
  ("my car has 200 hp, what is that in kilowatts" was declined as personal data);
* numbers in words reach the converter as numbers ("twenty kilograms in pounds" failed).
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
    ("request_text", "target", "answer"),
    [
        ("why is the ocean salty", "general", REPLY),
        ("why does sound travel faster in water", "facts", "1,480"),
        ("what is the speed of sound", "facts", "343"),
        ("my car has 200 hp, what is that in kilowatts", "units.convert", "149.1"),
        ("twenty kilograms in pounds", "units.convert", "44.09"),
        ("whats 17 times 23 lol", "calc.calculate", "391"),
    ],
)
def test_each_part_reaches_the_target_that_answers_it(
    agent: Agent, request_text: str, target: str, answer: str
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps][:1] == [target], result.answer
    assert result.steps[0].ok, result.steps[0].error
    assert answer in result.answer, result.answer


@pytest.mark.parametrize(
    "request_text",
    ["ETH price?", "when is high tide in brighton today", "read me my latest texts"],
)
def test_what_needs_live_or_personal_data_is_declined_despite_the_general_expert(
    agent: Agent, request_text: str
) -> None:
    result = agent.run(request_text)
    assert result.steps == [], [s.target for s in result.steps]
    assert result.unmatched == [request_text]


def test_numbers_in_words_are_routed_as_numbers(agent: Agent) -> None:
    """Searched as "2000 minus 350" ("two thousand minus ..." was nearest the converter)."""
    result = agent.run("two thousand minus three hundred and fifty")
    assert [s.target for s in result.steps] == ["calc.calculate"], result.answer
    assert "1650" in result.answer
