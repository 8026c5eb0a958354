"""Numbers as people write them and parts joined loosely, through the real default agent (the
calc and units MCP servers, the geography graph, the semantic planner, the clause reader):
word problems about groups of things, decimal commas, "an" slipped for "and" (issue 13)."""

from __future__ import annotations

import pytest

from agentroute import Agent


@pytest.mark.parametrize(
    ("request_text", "value"),
    [
        ("4 crates of 18 bottles, how many bottles is that?", "= 72"),
        ("8 mugs cost 2.50 each, what's the total?", "= 20"),
        ("I had 900 and spent 275, how much is left?", "= 625"),
        ("what is 4,5 plus 2,25", "= 6.75"),
        # digits of other scripts: no tool read them, and memory called calc unasked for
        ("٣ + ٤", "= 7"),
        ("what is ٣٤ plus ١٢", "= 46"),
        ("１２ × ３", "= 36"),
    ],
)
def test_numbers_as_written_are_one_calculation(
    default_agent: Agent, request_text: str, value: str
) -> None:
    result = default_agent.run(request_text)
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert result.steps[0].ok
    assert value in result.answer


def test_a_decimal_comma_in_a_conversion(default_agent: Agent) -> None:
    result = default_agent.run("how many metres is 2,5 km")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "2500" in result.answer


def test_an_slipped_for_and_joins_two_parts(default_agent: Agent) -> None:
    result = default_agent.run("whats the capital of Kenya an what is 6 times 7")
    assert sorted(s.target for s in result.steps) == ["calc.calculate", "geography"]
    assert "Nairobi" in result.answer and "42" in result.answer


def test_a_second_quantity_takes_the_first_ones_unit(default_agent: Agent) -> None:
    result = default_agent.run("convert 5 km to miles and 10 to feet")
    assert [s.target for s in result.steps] == ["units.convert", "units.convert"]
    assert "3.106" in result.answer and "32808" in result.answer
