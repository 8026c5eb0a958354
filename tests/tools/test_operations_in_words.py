"""Operations and quantities said in words that the calc and units servers read (session 16):
an ordinal power, a decimal share, pi, the years between two numbers, a quantity added to
another with "plus", and a fraction said after the unit."""

from fractions import Fraction

import pytest
from agentroute_tools._calc import calculate, format_number
from agentroute_tools._units import convert


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("what is 2 to the tenth", "1024"),
        ("3 to the second", "9"),
        ("Whats 0.5 of 300", "150"),
        ("how many years between 1990 and 2000", "10"),
        ("how many years are there between 2024 and 1990", "34"),
        ("how many days from 3 to 17", "14"),
        ("what's pi times 2", "6.28318530718"),
        ("what is 2π", "6.28318530718"),
        ("3 pi", "9.42477796077"),
        ("Between 45 and 60 what's the difference?", "15"),
    ],
)
def test_calculations_said_in_words(query: str, value: str) -> None:
    result = calculate(query)
    assert format_number(result.value, result.approximate) == value


def test_years_between_is_a_span_never_a_sum() -> None:
    assert calculate("how many years between 1990 and 2000").value != 3990


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("how many decades between 1990 and 2020", "3"),
        ("how many numbers are there between 1 and 10", "8"),
    ],
)
def test_a_count_over_a_span_is_counted_in_its_own_unit(query: str, value: str) -> None:
    # not 30 decades, nor 9 numbers strictly between 1 and 10
    result = calculate(query)
    assert format_number(result.value, result.approximate) == value


@pytest.mark.parametrize(
    ("query", "value", "unit"),
    [
        ("what's 5 km plus 3 miles in km", Fraction(153563, 15625), "km"),
        ("5 kg + 300 g in grams", Fraction(5300), "g"),
        ("how many seconds are in an hour and a half", Fraction(5400), "s"),
        ("how many minutes is 2 hours and a quarter", Fraction(135), "min"),
    ],
)
def test_quantities_said_in_words(query: str, value: Fraction, unit: str) -> None:
    result = convert(query)
    assert (result.result, result.target.symbol) == (value, unit)


def test_plus_adds_only_quantities_of_one_dimension() -> None:
    """ "I ran 10 km and my friend ran 6 miles; how many km did my friend run" is still the
    friend's 6 miles."""
    result = convert("I ran 10 km and my friend ran 6 miles; how many km did my friend run?")
    assert result.value == 6
