"""Requests set side by side with commas or one "and", operator-led parts, carrying verbs and
ordinals joined by "to" (agentroute/text/_clauses.py, _references.py)."""

from __future__ import annotations

import pytest

from agentroute.text import clauses, resolve_references
from agentroute.text._clauses import leaves_left_operand


def texts(request: str) -> list[str]:
    return [c.text for c in clauses(request)]


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        (
            "Give me the capital of Portugal, the language of Brazil, and 250 g in ounces.",
            ["Give me the capital of Portugal", "the language of Brazil", "250 g in ounces"],
        ),
        (
            "I need the capital of Argentina, the time in Madrid, 25% of 640 and a short poem"
            " about the sea.",
            [
                "I need the capital of Argentina",
                "the time in Madrid",
                "25% of 640",
                "a short poem about the sea",
            ],
        ),
        (
            "What's the freezing point of water, 0.5 kg in grams, and a limerick about a goat.",
            ["What's the freezing point of water", "0.5 kg in grams", "a limerick about a goat"],
        ),
        ("capital of kenya, time there", ["capital of kenya", "time there"]),
        ("gold atomic number, times 2", ["gold atomic number", "times 2"]),
        ("what's 18 * 4 and the capital of Germany", ["what's 18 * 4", "the capital of Germany"]),
        ("3 miles in km. double.", ["3 miles in km", "double"]),
        (
            "Explain recursion with a Python example, work out 256 / 16, and name the highest"
            " mountain in Asia.",
            [
                "Explain recursion with a Python example",
                "work out 256 / 16",
                "name the highest mountain in Asia",
            ],
        ),
    ],
)
def test_a_list_of_requests_splits(request_text: str, expected: list[str]) -> None:
    assert texts(request_text) == expected


@pytest.mark.parametrize(
    "request_text",
    [
        "add 3, 4 and 5",
        "Write a poem about the sea, the sky and the stars",
        "Write a story about a cat and a dog",
        "the history of Rome and the Roman empire",
        "Find files in docs and subfolders",
        "What is the distance between Paris, France and Berlin?",
        "lol nice. make it sadder",
    ],
)
def test_a_list_one_request_works_on_stays_whole(request_text: str) -> None:
    assert len(clauses(request_text)) == 1


def test_a_list_of_calculations_keeps_its_group_and_a_run_of_quantities_its_conversion() -> None:
    found = clauses("Calculate 11 * 11, 111 * 111 and 1111 * 1111, then add them")
    assert [c.text for c in found[:3]] == [
        "Calculate 11 * 11",
        "Calculate 111 * 111",
        "Calculate 1111 * 1111",
    ]
    assert len({c.group for c in found[:3]}) == 1  # "them" still means all three
    assert texts("Convert 5 km, 10 km and 20 km to miles") == [
        "Convert 5 km to miles",
        "Convert 10 km to miles",
        "Convert 20 km to miles",
    ]


def test_a_noun_phrase_that_asks_is_no_stated_fact() -> None:
    assert texts("The average of 10, 20 and 45; the capital of Italy; and 5 km in feet.") == [
        "The average of 10, 20 and 45",
        "The capital of Italy",
        "5 km in feet",
    ]
    # a statement still feeds the question after it
    (one,) = clauses("The box of 12 eggs costs 5 dollars, what is that per egg?")
    assert one.facts > 0


@pytest.mark.parametrize(
    ("text", "expected"), [("times 2", True), ("/3", True), ("divided by 4?", True)]
)
def test_an_operation_without_its_left_operand(text: str, expected: bool) -> None:
    assert leaves_left_operand(text) is expected


@pytest.mark.parametrize("text", ["2 times 3", "times square", "plus one more thing", "7"])
def test_a_whole_operation_is_not_operator_led(text: str) -> None:
    assert not leaves_left_operand(text)


def queries(request: str) -> list[tuple[str, list[int]]]:
    return [
        (r.query(lambda i: f"S{i}"), r.depends_on) for r in resolve_references(clauses(request))
    ]


def test_an_operator_led_part_works_on_the_result_before() -> None:
    assert queries("gold atomic number, times 2") == [
        ("gold atomic number", []),
        ("{{S0}} times 2", [0]),
    ]
    assert queries("12*12, then /3")[1] == ("{{S0}} /3", [0])


def test_ordinals_joined_by_to() -> None:
    assert queries("What's 48 / 6 and 9 * 7? Add the first to the second.")[2] == (
        "Add {{S0}} to {{S1}}",
        [0, 1],
    )
    # "the first to fly" and "2 to the 8th" point at nothing
    assert [d for _, d in queries("Who was the first to fly, and who was the first to walk?")] == [
        [],
        [],
    ]
    assert queries("What is 2 to the 8th?") == [("What is 2 to the 8th?", [])]


def test_a_carrying_verb_before_an_operation_is_dropped() -> None:
    assert queries("What's 2 to the 10th? Then take the square root of that.")[1] == (
        "the square root of {{S0}}",
        [0],
    )
    # "use that to ..." carries a value to something that is no operation: kept
    assert queries("What's the capital of Spain? Use that to tell me the time.")[1][0].startswith(
        "Use"
    )


def test_lower_case_things_after_a_plural_of_what_is_looked_up_are_asked_each() -> None:
    found = resolve_references(
        clauses("What are the atomic numbers of hydrogen and gold? Add them together.")
    )
    assert [r.text for r in found[:2]] == [
        "What are the atomic numbers of hydrogen?",
        "What are the atomic numbers of gold?",
    ]
    assert found[2].depends_on == [0, 1]
    assert len(clauses("What are the benefits of diet and exercise?")) == 1


def test_a_phrase_that_only_takes_up_a_result_makes_no_step() -> None:
    _, using, square = resolve_references(
        clauses("Compute 6 * 7. Then, using that result, work out its square.")
    )
    assert using.shows == 0
    assert square.depends_on == [1] and square.query(lambda i: f"S{i}") == (
        "work out the square of {{S1}}"
    )
