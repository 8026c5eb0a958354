"""Quantities a request gives, and targets that compute on one (read from their examples)."""

import pytest

from agentroute.text import carries_quantity, numbers_in, takes_quantity


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
