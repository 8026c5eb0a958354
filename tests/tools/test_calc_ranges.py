"""The calculator reads a sum over a range of whole numbers ("sum of 1 to 100") and two
numbers said in words of the same scale joined by "and" ("three hundred and two hundred"),
as people ask them (agentroute_tools/_calc.py)."""

from __future__ import annotations

import pytest
from agentroute_tools._calc import calculate


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("sum of 1 to 100", 5050),
        ("what's the sum of 1 to 20", 210),
        ("the sum of the numbers 1 through 50", 1275),
        ("add up all numbers from 1 to 10", 55),
        ("add up all the integers from 5 to 7", 18),
        ("add three hundred and two hundred", 500),
        ("three hundred and two plus one", 303),
        ("add 5 to 10", 15),  # an addition, not a range
        ("sum of 4 and 5", 9),
    ],
)
def test_ranges_and_spoken_operands(query: str, value: int) -> None:
    assert calculate(query).value == value
