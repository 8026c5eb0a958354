"""The calc and units tools in the words people type: question wrappers, misspelt operator
and unit words, fractions and mixed numbers, durations, sums of quantities.

Written for this test, apart from the planning benchmark; each expected value is worked out
by hand.
"""

from fractions import Fraction

import pytest
from agentroute_tools._calc import CalcError, calculate
from agentroute_tools._fuzzy import edit_distance, nearest
from agentroute_tools._units import UnitsError, convert


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("could you tell me what 81 divided by 9 is", 9),
        ("hey, what's 12 times 12 please", 144),
        ("i'd like to know what 7 plus 8 equals", 15),
        ("ok so how much is 30 minus 12?", 18),
        ("whats 6 multiplyed by 7", 42),
        ("9 tmes 9", 81),
        ("devide 100 by 4", 25),
        ("what is 15 pecent of 200", 30),
        ("squre root of 169", 13),
        ("2 and 3/4 plus 1 and 1/4", 4),
        ("3 1/2 times 2", 7),
        ("what is 5/8 as a decimal", Fraction(5, 8)),
        ("7/4 in decimal", Fraction(7, 4)),
        ("3 to the 5th", 243),
        ("10 to the 3", 1000),
        ("add up 10, 20, 30 and 40", 100),
        ("the total of 1.5, 2.5 and 6", 10),
    ],
)
def test_calc_reads_the_words_people_use(text: str, value: int | Fraction) -> None:
    assert calculate(text).value == value


@pytest.mark.parametrize(
    "text",
    [
        "what percentage of the ocean is salt",  # a fact, not arithmetic
        "how many eggs are in a dozen",
        "tell me what is",
        "add 1 and",
    ],
)
def test_calc_still_refuses_what_is_not_arithmetic(text: str) -> None:
    with pytest.raises(CalcError):
        calculate(text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("how many centimeters in 2 inchs", Fraction(508, 100), "cm"),
        ("how many kilogams is 11 pounds", Fraction("4.98951607"), "kg"),
        ("how many minuts in 1 hour and 20 minutes", 80, "min"),
        ("how many seconds in 3 minutes and 5 seconds", 185, "s"),
        ("how many grams in an ounse", Fraction("28.349523125"), "g"),
        ("2 hours and 15 minutes in minutes", 135, "min"),
        ("convert -10 celcius to fahrenheit", 14, "°F"),
        ("a 300 g jar and a 700 g jar, together in kg", 1, "kg"),
        ("1 km and 500 m combined, in miles", Fraction(1500, 1609344) * 1000, "mi"),
    ],
)
def test_units_read_the_words_people_use(text: str, value: int | Fraction, unit: str) -> None:
    result = convert(text)
    assert result.target.symbol == unit
    assert result.result == value


def test_units_do_not_read_an_ordinary_word_as_a_unit() -> None:
    with pytest.raises(UnitsError):
        convert("there are 5 apples, how many in total")


def test_a_typo_is_one_slip_from_exactly_one_meaning() -> None:
    assert edit_distance("tiems", "times") == 1  # two letters swapped
    assert edit_distance("multipy", "multiply") == 1
    assert nearest("tims", ["times", "tape"]) == "times"
    assert nearest("tin", ["times", "tin"]) is None  # too short to guess
    assert nearest("bart", ["bars", "bark"]) is None  # a tie: no guess
    assert nearest("there", ["therm"]) is None  # an ordinary word stays itself
