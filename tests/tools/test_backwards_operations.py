"""Arithmetic said the other way round or about itself (session 20): "7 taken away from 50",
"12 times itself", "100 divided in half", and "divide the sum of 18 and 30 by 4", whose sum
must stay inside the division (it read 18 + 30 / 4 = 25.5 before)."""

import pytest
from agentroute_tools._calc import calculate, format_number


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("what's 7 taken away from 50", "43"),
        ("15 subtracted from 92", "77"),
        ("12 times itself", "144"),
        ("8 multiplied by itself", "64"),
        ("100 divided in half", "50"),
        ("cut 90 in half", "45"),
        ("divide the sum of 18 and 30 by 4", "12"),
        ("divide the product of 6 and 4 by 3", "8"),
        ("divide the difference between 50 and 20 by 3", "10"),
        ("the sum of 3 and 4", "7"),
    ],
)
def test_backwards_and_nested_operations(query: str, value: str) -> None:
    result = calculate(query)
    assert format_number(result.value, result.approximate) == value
