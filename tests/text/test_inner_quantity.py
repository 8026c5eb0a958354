"""A quantity looked up where an operation's number goes ("twice the atomic number of iron"):
the lookup is a question of its own, asked first; the operation then works on its answer."""

import pytest

from agentroute.text import inner_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "What's twice the atomic number of iron?",
            ("what is the atomic number of iron?", "What's twice it?"),
        ),
        (
            "Subtract 26 from the atomic number of gold.",
            ("what is the atomic number of gold?", "Subtract 26 from it."),
        ),
        (
            "Convert the speed of sound in air to km/h.",
            ("what is the speed of sound in air?", "Convert it to km/h."),
        ),
        (
            "convert the average distance to the Moon into miles",
            ("what is the average distance to the Moon?", "convert it into miles"),
        ),
    ],
)
def test_the_lookup_first_then_the_operation_on_it(text: str, expected: tuple[str, str]) -> None:
    assert inner_quantity(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what is the atomic number of gold",  # the lookup alone
        "the number of years between 1969 and 2001",  # a count between numbers given
        "What is the square root of 144",  # no quantity looked up
        "What is the capital of France plus 2",  # a place, not a quantity
        "Convert the total of the amounts to euros",  # not a unit, not a lookup
        "subtract that from the atomic number of gold",  # "it" already means the part before
        "What is the height of Mount Everest in feet?",  # asked in a unit: one question
    ],
)
def test_no_lookup_inside_an_operation(text: str) -> None:
    assert inner_quantity(text) is None


def test_sorting_by_a_quantity_is_no_operation_on_it() -> None:
    assert inner_quantity("which package sorts files by the size of the file") is None
