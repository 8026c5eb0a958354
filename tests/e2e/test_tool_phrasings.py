"""The tools answer in the words people use: each phrasing through the real default agent.

The list was written before the agent was run on it and is not tuned to pass: a phrasing here is
a question a user could ask, its target is the tool that promises that answer, and the expected
number is worked out by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from agentroute import Agent

CALC = "calc.calculate"
UNITS = "units.convert"

# (request, target, numbers that must appear in the answer, words that must appear)
PHRASINGS: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    # calc: primality, percentages, factorials, integer operations, powers and roots in words
    ("is 97 prime?", CALC, (), ("97 is prime",)),
    ("is 91 a prime number?", CALC, (), ("not prime",)),
    ("what is 15% of 80", CALC, ("12",), ()),
    ("20 percent of 150", CALC, ("30",), ()),
    ("5!", CALC, ("120",), ()),
    ("factorial of 6", CALC, ("720",), ()),
    ("add 12 and 30", CALC, ("42",), ()),
    ("what percent is 30 of 120", CALC, ("25",), ()),
    ("increase 200 by 15%", CALC, ("230",), ()),
    ("decrease 80 by 25%", CALC, ("60",), ()),
    ("gcd of 48 and 36", CALC, ("12",), ()),
    ("least common multiple of 4 and 6", CALC, ("12",), ()),
    ("17 mod 5", CALC, ("2",), ()),
    ("what is 3 to the power of 4", CALC, ("81",), ()),
    ("square root of 225", CALC, ("15",), ()),
    ("cube root of 27", CALC, ("3",), ()),
    ("what is 7 squared", CALC, ("49",), ()),
    ("multiply 12 by 11", CALC, ("132",), ()),
    ("the remainder when 100 is divided by 7", CALC, ("2",), ()),
    ("what is 45 divided by 9", CALC, ("5",), ()),
    # units: durations, lengths, speeds, accelerations, energy, volume, area, data, temperature
    ("how many seconds are in 3 hours", UNITS, ("10800",), ()),
    ("convert 90 minutes to hours", UNITS, ("1.5",), ()),
    ("how many feet are in 2 meters", UNITS, ("6.56",), ()),
    ("2h 30m in minutes", UNITS, ("150",), ()),
    ("60 mph in km/h", UNITS, ("96.56064",), ()),
    ("9.8 m/s^2 in ft/s^2", UNITS, ("32.15",), ()),
    ("5 kWh in joules", UNITS, ("18000000",), ()),
    ("how many days are in 6 weeks", UNITS, ("42",), ()),
    ("convert 100 fahrenheit to celsius", UNITS, ("37.7",), ()),
    ("how many litres are in 2 gallons", UNITS, ("7.57",), ()),
    ("1 hectare in acres", UNITS, ("2.47",), ()),
    ("500 MB in GB", UNITS, ("0.5",), ()),
    ("10 km to miles", UNITS, ("6.21",), ()),
    ("how many ounces in 3 pounds", UNITS, ("48",), ()),
    ("how many minutes in a day", UNITS, ("1440",), ()),
    ("convert 1 cubic metre to litres", UNITS, ("1000",), ()),
    ("1 kcal in joules", UNITS, ("4184",), ()),
    ("what is 30 degrees celsius in fahrenheit", UNITS, ("86",), ()),
    # question wrappers, misspelt operator and unit words, fractions, durations, totals
    ("could you tell me what 96 divided by 8 is?", CALC, ("12",), ()),
    ("multiplly 25 by 4", CALC, ("100",), ()),
    ("what is 7/8 as a decimal", CALC, ("0.875",), ()),
    ("2 and 1/2 plus 1 and 3/4", CALC, ("4.25",), ()),
    ("add up 5, 10 and 15", CALC, ("30",), ()),
    ("what is 3 to the 4th", CALC, ("81",), ()),
    ("how many centimetres in 4 inchs", UNITS, ("10.16",), ()),
    ("how many milimeters in 2 meters", UNITS, ("2000",), ()),
    ("how many minutes in 3 hours and 10 minutes", UNITS, ("190",), ()),
    ("convert -5 C to F", UNITS, ("23",), ()),
]


def has_number(text: str, number: str) -> bool:
    """``number`` appears as a number of its own (``2`` is not found in ``12`` or ``2.5``);
    a decimal may go on (``6.56`` is found in ``6.561679790``)."""
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    tail = "" if "." in number else r"(?!\.?\d)"
    return re.search(rf"(?<![\d.]){re.escape(number)}" + tail, plain) is not None


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with Agent.default(tmp_path_factory.mktemp("phrasings")) as default:
        yield default


def test_the_list_is_long_enough() -> None:
    assert len(PHRASINGS) >= 30


@pytest.mark.parametrize(("request_text", "target", "numbers", "words"), PHRASINGS)
def test_phrasing_reaches_its_tool_and_is_answered(
    agent: Agent, request_text: str, target: str, numbers: tuple[str, ...], words: tuple[str, ...]
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == [target], (result.answer, result.unmatched)
    assert all(s.ok for s in result.steps), result.answer
    for number in numbers:
        assert has_number(result.answer, number), result.answer
    for word in words:
        assert word in result.answer, result.answer
