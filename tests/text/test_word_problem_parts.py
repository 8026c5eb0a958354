"""Stated quantities and the question about them stay one part; a quantity asked in a unit is
a request of its own, not an ellipsis (issue 13)."""

from __future__ import annotations

import pytest

from agentroute.text import asks_result, clauses, split_confident, word_problem


@pytest.mark.parametrize(
    "text",
    [
        "jacket is 120 bucks and 35% off, what do i actually pay",
        "bill is 156, there are 4 of us and we want to leave an 18% tip, how much does each pay",
        "i have 1000 dollars, 35% goes to rent and 20% to food, how much is left",
        "15% off 60 and then 8% sales tax on top, what's the final price",
        "oven says 350 F, what's that in C",
        "1 week and 3 days, how many hours",
        "add 3 km and 500 m in metres",
    ],
)
def test_one_problem_is_one_part(text: str) -> None:
    assert [c.text for c in clauses(text)] == [text]


def test_the_question_points_into_what_is_stated() -> None:
    (only,) = clauses("I'm 5 foot 4, what's that in metres")
    assert only.text[only.facts :] == "what's that in metres"


def test_a_question_of_its_own_after_stated_quantities_still_splits() -> None:
    found = [c.text for c in clauses("I am 180 cm tall, how much is that in feet, and my bag "
                                     "weighs 8 kg, what is that in pounds?")]  # fmt: skip
    assert len(found) == 2


def test_a_word_problem_is_answered_apart_from_an_unrelated_request() -> None:
    found = [c.text for c in clauses("I earn 22.50 an hour for 38 hours. Write a haiku about work")]
    assert found == ["I earn 22.50 an hour for 38 hours", "Write a haiku about work"]


def test_a_conversion_after_a_sequence_lead_takes_no_frame() -> None:
    found = [c.text for c in clauses("First, 18% tip on 62 dollars. Second, 72 F in celsius.")]
    assert found == ["18% tip on 62 dollars", "72 F in celsius"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I drive 55 mph for 3 hours, how far", True),
        ("split a 84 dollar bill 3 ways", True),
        ("a 1450 a month rent over a year", True),
        ("10 kilometers an hour in miles per hour", False),
        ("If a car does 40 miles per gallon, how many km is 40 miles?", False),
        ("what is 17 times 23", False),
        ("5 ft 11 in in cm", False),
    ],
)
def test_what_reads_as_a_word_problem(text: str, expected: bool) -> None:
    assert word_problem(text) is expected


def test_result_questions() -> None:
    assert asks_result("how much does each person pay")
    assert asks_result("what's left")
    assert not asks_result("what's the capital of Kenya")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Three things: 4 km and 750 m in miles, the time in Madrid, and the capital of Peru.",
            ["4 km and 750 m in miles", "the time in Madrid", "the capital of Peru"],
        ),
        ("Please convert 5 km and 10 km to miles.", ["Please convert 5 km to miles",
                                                    "Please convert 10 km to miles"]),
    ],
)  # fmt: skip
def test_one_quantity_in_two_units_is_never_cut(text: str, expected: list[str]) -> None:
    assert [c.text for c in split_confident(clauses(text))] == expected


def test_a_question_about_the_stated_pay_joins_it() -> None:
    found = split_confident(clauses("I earn 22.50 an hour and work 38 hours a week. Weekly pay?"))
    assert len(found) == 1
