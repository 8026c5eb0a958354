"""Quantities a request gives, and targets that compute on one (read from their examples)."""

import pytest

from agentroute.text import carries_quantity, carries_unit, numbers_in, takes_quantity, takes_unit


@pytest.mark.parametrize(
    "text",
    [
        "5 miles in km",
        "twelve times eight",
        "a dozen eggs",
        "how many ounces in a pound",
        "convert {{s1}} to feet",
        "half an hour in minutes",
        "1,024 / 16",
    ],
)
def test_gives_a_quantity(text: str) -> None:
    assert carries_quantity(text) or "{{" in text


@pytest.mark.parametrize(
    "text",
    [
        "how tall is Mount Everest in metres",
        "what is the SI unit of power?",
        "How far away is the Moon in km?",
        "show the git status",
    ],
)
def test_gives_none(text: str) -> None:
    assert not carries_quantity(text)


def test_targets_that_compute_are_read_from_their_examples() -> None:
    assert takes_quantity(["what is 17 * 23", "9 squared", "how many grams in an ounce"])
    assert not takes_quantity(["show the status", "what is 2 + 2", "list branches"])
    assert not takes_quantity(["2 + 2"])  # too few examples to say


def test_numbers_with_what_they_count() -> None:
    assert numbers_in("1 mile to metres") == ["1 mile"]
    assert numbers_in("1,024 MB and then 1969.") == ["1024 mb", "1969"]
    assert numbers_in("light travels 1/299,792,458 of it") == []


@pytest.mark.parametrize(
    "text",
    [
        "5 km",
        "5km in miles",
        "3h20m",
        "100 °F in °C",
        "how many feet in a mile",
        "five km",
        "How many litres is 1 US gallon?",
        "How many square feet is 20 square metres?",
        "Convert 5'10\" to centimetres",
    ],
)
def test_a_number_with_a_unit(text: str) -> None:
    assert carries_unit(text)


@pytest.mark.parametrize(
    "text",
    [
        "3 to the 4th",
        "17 * 23",
        "2 to the power of 10",
        "twelve times eleven",
        "15% of 80",
        "add 7 and 8",
        "the remainder when 50 is divided by 6",
    ],
)
def test_bare_numbers_carry_no_unit(text: str) -> None:
    assert not carries_unit(text)


def test_a_converter_is_told_by_its_examples() -> None:
    assert takes_unit(["2.5 kg in pounds", "convert 100 °F to °C", "how many hours in a week"])
    assert not takes_unit(["what is 17 * 23", "2.5 kg in pounds", "convert 100 °F to °C"])
    assert not takes_unit(["2.5 kg in pounds"])  # too few to tell
