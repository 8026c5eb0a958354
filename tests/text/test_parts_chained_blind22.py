"""Parts chained the ways a request set written before the code was read showed missing
(benchmarks/planning/dev/blind22_multi.jsonl; agentroute/text/_clauses.py, _references.py,
_values.py): list marks written "1-", "step 2:" after a full stop in lower case, a part set
in parentheses, "as well"/"too" after a second quantity, one question asked of each thing
of a list, several requests joined by "and",
"plus" or "+", a lead-in that only says a question follows, a question written on after
another that opens with the same words, numbers in words of the same scale joined by "and",
and "there" that says where the speaker goes."""

from __future__ import annotations

import pytest

from agentroute.text import clauses, digits_for_words, repeats_opening, resolve_references


def texts(request: str) -> list[str]:
    return [c.text for c in clauses(request)]


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        (
            "1- whats 9 times 9\n2- whats the capital of Nepal",
            ["whats 9 times 9", "whats the capital of Nepal"],
        ),
        (
            "step 1: add 120 and 80. step 2: divide the sum by 4",
            ["add 120 and 80", "divide the sum by 4"],
        ),
        (
            "convert 10 km to miles (and 20 km too)",
            ["convert 10 km to miles", "convert 20 km to miles"],
        ),
        (
            "what's the capital of Egypt (and what's the time in Cairo)",
            ["what's the capital of Egypt", "what's the time in Cairo"],
        ),
        ("tell me 17 x 4 (then add 12 to the answer)", ["tell me 17 x 4", "add 12 to the answer"]),
        (
            "convert 3 km to miles and 7 km as well",
            ["convert 3 km to miles", "convert 7 km to miles"],
        ),
        (
            "capital of canada and time in ottawa and 2 plus 2",
            ["capital of canada", "time in ottawa", "2 plus 2"],
        ),
        (
            "time in mexico city plus capital of mexico plus 8 times 8",
            ["time in mexico city", "capital of mexico", "8 times 8"],
        ),
        (
            "the capital of Germany + the time there + 5 km in miles",
            ["the capital of Germany", "the time there", "5 km in miles"],
        ),
        ("time in Toronto + 5 miles in km", ["time in Toronto", "5 miles in km"]),
        (
            "capital of Portugal, together with the time in Lisbon",
            ["capital of Portugal", "the time in Lisbon"],
        ),
        (
            "quick question for a pub quiz - who first walked on the moon and what's the"
            " tallest mountain in the world",
            ["who first walked on the moon", "what's the tallest mountain in the world"],
        ),
        (
            "who invented the telephone, the light bulb, the radio and dynamite?",
            [
                "who invented the telephone?",
                "who invented the light bulb?",
                "who invented the radio?",
                "who invented dynamite?",
            ],
        ),
    ],
)
def test_parts_chained_loosely(request_text: str, expected: list[str]) -> None:
    assert texts(request_text) == expected


@pytest.mark.parametrize(
    "request_text",
    [
        "who discovered DNA's structure (and when)?",  # a question word alone stays
        "3 squared plus 4 squared plus 5 squared",
        "what is 2 plus 3 times 4",
        "add 3, 4 and 5 together",
        "who wrote Romeo and Juliet",
    ],
)
def test_one_request_stays_one(request_text: str) -> None:
    assert len(texts(request_text)) == 1


def test_a_question_said_again_with_the_same_words_is_asked_apart() -> None:
    assert repeats_opening("what is 7 times 8", "what is the capital of peru")
    assert repeats_opening("whats the time in paris", "what's 20 percent of 90")
    assert repeats_opening("who was einstein", "who was newton")
    assert repeats_opening("how many feet in a mile", "how many minutes in 5 hours")
    assert not repeats_opening("time in tokyo", "what is 2 + 2")
    assert not repeats_opening("what is 7 times 8", "who was newton")


def test_numbers_in_words_of_one_scale_joined_by_and_are_two() -> None:
    assert digits_for_words("add three hundred and two hundred") == "add 300 and 200"
    assert digits_for_words("three hundred and two") == "302"
    assert digits_for_words("one thousand and two hundred") == "1200"


def test_there_where_the_speaker_goes_refers_to_nothing() -> None:
    resolved = resolve_references(
        clauses("what's the capital of the UK, then convert 10 miles to km for my drive there")
    )
    assert [r.references for r in resolved] == [(), ()]
    asked = resolve_references(clauses("what's the capital of Spain, and what time is it there?"))
    assert asked[1].references and asked[1].references[0].to == (0,)
    needed = resolve_references(
        clauses(
            "How far is the moon from earth in km, and how many hours to drive there at 100 km/h"
        )
    )
    assert needed[1].references and needed[1].references[0].to == (0,)
