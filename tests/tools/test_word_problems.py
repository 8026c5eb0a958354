"""calc reads everyday word problems exactly, and shows how it read them (issue 13)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from agentroute_tools._calc import CalcError, calculate
from agentroute_tools._units import convert


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I drive 55 mph for 3 hours, how far do I get", 165),
        ("split a 84 dollar bill 3 ways plus 15% tip", Fraction("32.2")),
        ("a 1450 a month rent over a year", 17400),
        ("what's an 18% tip on a $62 dinner?", Fraction("11.16")),
        ("How long does it take to drive 300 km at 80 km/h?", Fraction("3.75")),
        ("my car does 40 miles per gallon, how many gallons for 260 miles", Fraction("6.5")),
        ("3 pizzas at 12.99 each plus a 5 dollar delivery fee", Fraction("43.97")),
        ("I earn 22.50 an hour and work 38 hours a week. Weekly pay?", 855),
        ("price went from 80 to 100, by what percent did it go up", 25),
        ("simple interest on 1200 at 5% for 3 years", 180),
        ("if 5 apples cost 3.50 how much do 8 cost", Fraction("5.6")),
        ("a 2.5 kg bag of rice costs 4 euros, what's the price per kilo", Fraction("1.6")),
        ("15% off 60 and then 8% sales tax on top", Fraction("55.08")),
        ("i have 1000 dollars, 35% goes to rent and 20% to food, how much is left", 450),
        ("a car costs 18000 and loses 15% of its value each year, worth after one year", 15300),
        ("I sleep 7.5 hours a night, how many hours is that in a week", Fraction("52.5")),
        ("a tap drips 2 litres an hour, how much water is that over 3 days", 144),
        ("we paid 96 for 8 people, how much per head", 12),
        ("4 of us share 3 pizzas cut in 8 slices each, how many slices each", 6),
        ("i need 3 cups of flour per loaf for 7 loaves, plus 2 extra cups", 23),
        ("subtract 18% from 2500", 2050),
        ("salary 4200 a month minus 22% tax, what's left", 3276),
        ("double 47 and add 6", 100),
        ("how many 45 minute episodes can i watch in 6 hours", 8),
        ("area of a room that's 4.5 m by 3.2 m", Fraction("14.4")),
    ],
)
def test_word_problems(text: str, value: int | Fraction) -> None:
    assert calculate(text).value == value


def test_the_reading_is_shown() -> None:
    assert calculate("split a 84 dollar bill 3 ways plus 15% tip").expression == (
        "84 * ((100 + 15) / 100) / 3"
    )


@pytest.mark.parametrize(
    "text",
    [
        "52000 a year, 40 hours a week, 52 weeks, hourly rate",  # rates that do not chain
        "5 apples minus 3 pears and a banana",
    ],
)
def test_what_reads_as_no_problem_is_an_error_not_a_guess(text: str) -> None:
    with pytest.raises(CalcError):
        calculate(text)


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("200 ml plus 1.5 l in litres", Fraction("1.7")),
        ("1 hour 15 minutes plus 2 hours 50 minutes, in minutes", 245),
        ("4 km and 750 m in metres", 4750),
        ("I'm 5 foot 4, what's that in inches", 64),
    ],
)
def test_units_add_the_quantities_joined(query: str, value: int | Fraction) -> None:
    assert convert(query).result == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("how much is 85 dollars with 20% off", 68),
        ("the hotel was 1,240 and the flights were 385, what's the total", 1625),
        ("My rent is 1450 a month, how much is that for a whole year", 17400),
    ],
)
def test_what_a_percentage_or_a_total_does(text: str, value: int) -> None:
    assert calculate(text).value == value


def test_a_race_distance_in_k_is_kilometres() -> None:
    assert convert("how many miles is a 10k").text.startswith("10 km ≈ 6.21")
    assert convert("300 k in celsius").text == "300 K = 26.85 °C"


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("5 crates of 18 bottles, how many bottles altogether?", "5 * 18"),
        ("what's 4 trays of 15 muffins", "4 * 15"),
        ("A box holds 30 pencils. How many pencils are in 7 boxes?", "30 * 7"),
        ("There are 60 minutes in an hour. How many minutes are in 9 hours?", "60 * 9"),
        ("a seat costs 12 and we book 9 seats, how much is that", "12 * 9"),
        ("6 mugs cost 3.50 each, what's the total?", "6 * 3.5"),
        ("I had 800, spent 120 and then got 50, how much do I have left?", "800 - 120 + 50"),
        ("we baked 48 cookies and three quarters were eaten, how many were eaten", "48 * 3 / 4"),
    ],
)
def test_groups_what_is_taken_and_parts_of_a_count(text: str, expression: str) -> None:
    """Containers times what each holds, a unit price times a count, what is left after
    spending, a fraction of a count: each read as the arithmetic it asks for."""
    assert calculate(text).expression == expression


@pytest.mark.parametrize(
    "text",
    [
        "3 cups of 250 ml",  # quantities, not groups of things: a conversion's business
        "what is 3 days of 12 hours",
    ],
)
def test_groups_of_quantities_are_not_groups_of_things(text: str) -> None:
    with pytest.raises(CalcError):
        calculate(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3,5 + 1,25", Fraction("4.75")), ("12,5% of 80", 10), ("1,250 + 3,400", 4650)],
)
def test_decimal_commas(text: str, value: int | Fraction) -> None:
    assert calculate(text).value == value


def test_decimal_commas_in_conversions_and_lists() -> None:
    assert convert("3,5 km in metres").result == 3500
    assert calculate("average of 1,2,3").value == 2  # a run of commas is a list
