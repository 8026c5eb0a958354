"""A target's own words as evidence of what a clause asks (written apart from any benchmark)."""

import pytest

from agentroute.text import evidence

CALCULATOR = [
    "Arithmetic: addition, subtraction, multiplication and division of numbers.",
    "What is 17 * 23",
    "square root of 144",
]
CONVERTER = [
    "Converts quantities between units of length, mass and temperature.",
    "how many feet are in 3 metres",
    "25 degrees celsius in fahrenheit",
]


@pytest.mark.parametrize(
    ("clause", "calculator", "converter"),
    [
        ("what's 3*3", 1, 0),  # an operator between numbers, shown between digits
        ("What's 3,000 - 1,200?", 1, 0),
        ("Subtract 18 from 100", 1, 0),  # "subtract" in "subtraction"
        ("multiply 2 by 2", 1, 0),
        ("tell me 999 times 2", 1, 0),  # an operator word between numbers
        ("feet in 2 metres", 0, 2),
        ("water boils at 100 degrees celsius", 0, 2),
    ],
)
def test_what_the_target_shows(clause: str, calculator: int, converter: int) -> None:
    assert (evidence(clause, CALCULATOR), evidence(clause, CONVERTER)) == (calculator, converter)


@pytest.mark.parametrize(
    "clause",
    [
        "what is it all for",  # stop words and short words are no evidence
        "times 2 by 7",  # a short word is matched whole: "times" is no sign of "time"
        "km/h to m/s",  # a slash inside a unit is no operator between numbers
    ],
)
def test_no_evidence(clause: str) -> None:
    assert evidence(clause, ["Time units: a time in hours, km/h and m/s", "1 hour in minutes"]) == 0
