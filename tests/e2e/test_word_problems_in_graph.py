"""Word problems and stated quantities through the real default agent: the calc and units MCP
servers, the semantic planner, the clause reader (issue 13: numbers, several parts)."""

from __future__ import annotations

import pytest

from agentroute import Agent


@pytest.mark.parametrize(
    ("request_text", "value"),
    [
        ("I drive 60 mph for 2.5 hours, how far do I get", "150"),
        ("split a 90 dollar bill 3 ways plus 20% tip", "36"),
        ("jacket is 80 bucks and 25% off, what do i actually pay", "60"),
        ("my gym is 45 a month, what's that per year", "540"),
        ("if 4 pens cost 3.20 how much do 10 cost", "8"),
        ("bill is 120, there are 4 of us and we leave a 15% tip, how much does each pay", "34.5"),
    ],
)
def test_a_word_problem_is_one_calculation(
    default_agent: Agent, request_text: str, value: str
) -> None:
    result = default_agent.run(request_text)
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert result.steps[0].ok
    assert f"= {value}" in result.answer


def test_quantities_added_before_they_are_converted(default_agent: Agent) -> None:
    result = default_agent.run("add 2 km and 300 m, in metres")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "2300" in result.answer


def test_a_stated_height_is_converted_whole(default_agent: Agent) -> None:
    result = default_agent.run("I'm 5 foot 9, what's that in cm")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "175.26" in result.answer


def test_a_word_problem_beside_other_parts(default_agent: Agent) -> None:
    result = default_agent.run(
        "a 3 kg bag costs 7.50, what's the price per kilo? then convert 72 F to celsius"
    )
    assert sorted(s.target for s in result.steps) == ["calc.calculate", "units.convert"]
    assert "2.5" in result.answer and "22.2" in result.answer
