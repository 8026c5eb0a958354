"""References between parts of one request written the ways blind set 16 writes them: a part
by its place and what it is ("add 1 to the first one", "the time in the first city"), a plural
that puts earlier results together ("the difference between them", "multiply them") and
"they" for what the part before found."""

from __future__ import annotations

import pytest

from agentroute.text import clauses, resolve_references


def resolved(request: str) -> list[tuple[str, list[int]]]:
    return [
        (p.query(lambda i: f"s{i}"), p.depends_on) for p in resolve_references(clauses(request))
    ]


@pytest.mark.parametrize(
    ("request_text", "last"),
    [
        ("Convert 3 miles to km, convert 4 kg to pounds, then add 1 to the first one.",
         ("add 1 to {{s0}}", [0])),
        ("capital of France, capital of Italy, and what time is it in the first city",
         ("what time is it in {{s0}}", [0])),
        ("What's 6 times 7, what's 10 plus 5, and then multiply the second result by 2.",
         ("multiply {{s1}} by 2", [1])),
    ],
)  # fmt: skip
def test_a_part_named_by_its_place_and_noun(request_text: str, last: tuple[str, list[int]]) -> None:
    assert resolved(request_text)[-1] == last


def test_an_ordinal_without_a_noun_after_to_is_still_a_power() -> None:
    assert resolved("What is 3 to the 2nd?") == [("What is 3 to the 2nd?", [])]


@pytest.mark.parametrize(
    ("request_text", "last"),
    [
        ("What is 15 squared and what is 10 squared? What's the difference between them?",
         ("What's the difference between {{s0}} and {{s1}}?", [0, 1])),
        ("Take the atomic number of carbon and the atomic number of oxygen and multiply them.",
         ("multiply {{s0}} and {{s1}}", [0, 1])),
    ],
)  # fmt: skip
def test_a_plural_that_puts_results_together_means_every_part(
    request_text: str, last: tuple[str, list[int]]
) -> None:
    assert resolved(request_text)[-1] == last


def test_they_means_what_the_part_before_found() -> None:
    assert resolved("Which country has Canberra as its capital? What currency do they use?")[
        -1
    ] == ("What currency do {{s0}} use?", [0])


@pytest.mark.parametrize(
    ("request_text", "last"),
    [
        ("Get the status of the repo, then describe the changes to a non-programmer.",
         ("describe {{s0}} to a non-programmer", [0])),
        ("Read notes.txt and translate the lines into French",
         ("translate {{s0}} into French", [0])),
    ],
)  # fmt: skip
def test_a_text_working_part_names_its_object_by_kind(
    request_text: str, last: tuple[str, list[int]]
) -> None:
    assert resolved(request_text)[-1] == last


def test_a_text_working_part_with_its_own_object_points_nowhere() -> None:
    assert resolved(
        "What's the capital of France and explain the difference between a king and a queen"
    )[-1] == ("explain the difference between a king and a queen", [])


@pytest.mark.parametrize(
    ("request_text", "last"),
    [
        ("Compute 2 to the 6th, find the square root of 144, and add 36 to the first of those",
         ("add 36 to {{s0}}", [0])),
        ("1) 9 times 9  2) 100 F in celsius  3) the answer to 1 minus 30",
         ("{{s0}} minus 30", [0])),
    ],
)  # fmt: skip
def test_a_part_named_by_its_place_in_a_list(
    request_text: str, last: tuple[str, list[int]]
) -> None:
    assert resolved(request_text)[-1] == last


def test_the_answer_to_decimal_places_is_no_part_number() -> None:
    assert resolved("What is 5 squared? Then the answer to 2 decimal places")[-1][1] == [0]


def test_a_value_only_part_is_read_into_its_owner() -> None:
    assert resolved("Take 144, find its square root, then multiply the result by 10") == [
        ("find the square root of 144", []),
        ("multiply {{s0}} by 10", [0]),
    ]


def test_a_part_that_says_the_unit_is_read_into_the_conversion() -> None:
    assert resolved("How much is 18 x 5? Use that as a number of miles and convert it to km.") == [
        ("How much is 18 x 5?", []),
        ("convert {{s0}} miles to km", [0]),
    ]


@pytest.mark.parametrize(
    "request_text",
    [
        "what's 7 percent of 3,200 and what language do they speak in Brazil",
        "For Switzerland: what's the capital, and what currency do they use?",
        "What's the capital of Portugal, and also what currency they use",
    ],
)
def test_they_of_people_anywhere_points_nowhere(request_text: str) -> None:
    assert resolved(request_text)[-1][1] == []
