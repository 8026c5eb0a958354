"""References read from the sentence's structure (issue 13's blind set): "that" after a
preposition or as an embedded question's subject, "its"/"the same country" of an owner
named without an article, a part that only waits for a result, a place named by a question."""

from __future__ import annotations

import pytest

from agentroute.text import clauses, inner_place, resolve_references


def resolved(request: str) -> list[tuple[str, list[int]]]:
    return [
        (p.query(lambda i: f"s{i}"), p.depends_on) for p in resolve_references(clauses(request))
    ]


@pytest.mark.parametrize(
    ("request_text", "last"),
    [
        ("Convert 2 miles to feet, then tell me how many yards that is",
         ("tell me how many yards {{s0}} is", [0])),
        ("Convert 5 kg to pounds and tell me what that is in ounces",
         ("tell me what {{s0}} is in ounces", [0])),
        ("Whats 1000 / 8? And what half of that would be?", ("what half of {{s0}} would be?", [0])),
    ],
)  # fmt: skip
def test_that_points_back_whatever_verb_follows(
    request_text: str, last: tuple[str, list[int]]
) -> None:
    assert resolved(request_text)[-1] == last


def test_a_relative_that_still_points_nowhere() -> None:
    assert resolved("write a script that is fast and then explain what it does")[0] == (
        "write a script that is fast",
        [],
    )


def test_an_owner_named_without_an_article_is_copied() -> None:
    assert resolved("currency of Japan and also its capital")[-1] == ("the capital of Japan", [])
    assert resolved("What's the official language of Brazil and the currency of the same country?")[
        -1
    ] == ("What's the currency of Brazil?", [])


def test_a_part_that_only_waits_for_a_result_shows_it() -> None:
    parts = resolve_references(
        clauses("what's 250 times 4? and after you've got that, convert it from grams to ounces")
    )
    assert parts[1].shows == 0
    assert parts[2].depends_on == [1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what time is it in the capital of Peru", ("what is the capital of Peru?", "what time is it there")),
        ("what's the time there now in Romania's capital?",
         ("what is the capital of Romania?", "what's the time there now?")),
        ("time in capital of kenya", ("what is the capital of kenya?", "time there")),
        ("the capital of Peru", None),
        ("so my cousin lives in the capital of Hungary", None),  # a fact stated, not asked
        ("What river is the capital of Hungary on?", None),
    ],
)  # fmt: skip
def test_a_place_named_by_a_question_is_asked_first(
    text: str, expected: tuple[str, str] | None
) -> None:
    assert inner_place(text) == expected
