"""Ways of joining parts the blind17 set found the clause reader missing (slipped joining
words, "and when?", lists of "Y's X", two things of one subject, a spaced slash, a trailed-off
part corrected), and requests with "and" or a comma that stay one part."""

from __future__ import annotations

import pytest

from agentroute.text import split_clauses
from agentroute.text._clauses import clauses
from agentroute.text._junctions import split_confident


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "what time is it in tokyo as wel as the capital of china",
            ["what time is it in tokyo", "the capital of china"],
        ),
        (
            "convert 5 miles to km alongwith the capital of Mexico",
            ["convert 5 miles to km", "the capital of Mexico"],
        ),
        (
            "capital of Romania adn who invented the radio",
            ["capital of Romania", "who invented the radio"],
        ),
        (
            "what's the git status pluss the time in london",
            ["what's the git status", "the time in london"],
        ),
        (
            "Who invented the printing press and when?",
            ["Who invented the printing press", "when invented the printing press?"],
        ),
        (
            "who discovered penicillin and in what year",
            ["who discovered penicillin", "in what year discovered penicillin"],
        ),
        (
            "Germany's capital, France's language and Italy's currency please",
            ["Germany's capital", "France's language", "Italy's currency please"],
        ),
        (
            "the capital of France, Germany's currency and 2+2",
            ["the capital of France", "Germany's currency", "2+2"],
        ),
        (
            "the capital and official language of Kenya",
            ["the capital of Kenya", "the official language of Kenya"],
        ),
        (
            "what is the boiling point of water as well as the freezing point",
            ["what is the boiling point of water", "the freezing point of water"],
        ),
        (
            "what's the SI unit of force and what's the capital of Slovakia and 7 factorial",
            ["what's the SI unit of force", "what's the capital of Slovakia", "7 factorial"],
        ),
        (
            "what's the capital of Brazil / what's its currency",
            ["what's the capital of Brazil", "what's its currency"],
        ),
        (
            "tell me the population... sorry, the capital of Peru, and the git status",
            ["the capital of Peru", "the git status"],
        ),
    ],
)
def test_parts_joined_the_ways_people_write_them(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Tell me the time in Tokyo, Japan",
        "Draft an email to my landlord about the heating and the leaking tap",
        "write a poem about cats and dogs",
        "What is the sum of 12 and 30?",
        "translate 'salt and pepper' into French",
        "Which river flows through Vienna, Bratislava and Budapest?",
        "what's 60 km / h in mph",
        "a plane and a train",
    ],
)
def test_one_part_with_and_or_a_comma_stays_whole(text: str) -> None:
    assert len(split_confident(clauses(text))) == 1


def test_slips_are_never_words_of_their_own() -> None:
    # "than" and "the" are words: "more than 5" and "the time" are read as written
    assert split_clauses("is 7 more than 5") == ["is 7 more than 5"]
