"""The time now in a place is live data: only a tool that reads the present serves it, through
the real Agent (the bundled facts base and geography graph, the real calc and units MCP
servers, the official time server).

* without a clock, "what time is it in Canberra" is declined, not answered by the facts base's
  passage that names Canberra (a capital is no time of day);
* a converter names "time" (it converts durations) but computes on a quantity the clause
  gives: "the time there" after a lookup is declined, not sent to it to fail;
* with the official time server, the same questions go to its clock; a duration to convert
  still goes to the converter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from general_agent import multi_part_agent

from agentroute import Agent
from agentroute.build import builtin_mcp_specs


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    folder: Path = tmp_path_factory.mktemp("default")
    with Agent.default(folder, mcp=builtin_mcp_specs()) as built:
        yield built


@pytest.fixture(scope="module")
def timed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with multi_part_agent(tmp_path_factory.mktemp("kb-time")) as built:
        yield built


@pytest.mark.parametrize(
    "question", ["what time is it in Canberra", "What's the time in Lima?", "current time in Oslo"]
)
def test_the_time_now_without_a_clock_is_declined(default: Agent, question: str) -> None:
    result = default.run(question)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert result.unmatched == [question]


def test_the_time_there_after_a_lookup_is_not_sent_to_the_converter(default: Agent) -> None:
    result = default.run("capital of australia, then the time there")
    assert [s.target for s in result.steps if s.ok] != []  # the capital is still answered
    assert "Canberra" in result.answer
    assert all(s.target != "units.convert" for s in result.steps)
    assert len(result.unmatched) == 1


def test_with_a_clock_the_time_goes_to_it(timed: Agent) -> None:
    for question in ("what time is it in Canberra", "current time in Oslo"):
        result = timed.run(question)
        assert [s.target for s in result.steps] == ["time.get_current_time"], question
    assert timed.run("convert 3 hours to minutes").steps[0].target == "units.convert"
