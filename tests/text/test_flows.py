"""Parts in the registers people chat in, and the values that flow between them: greetings
and hedges, lead-ins set off by a colon or a dash, asides in parentheses, one question over a
list, two things of one subject, and the form an earlier result takes in a later part
(written apart from any benchmark)."""

import pytest

from agentroute.text import (
    PrincipalValue,
    carried_unit,
    clauses,
    resolve_references,
    split_clauses,
    value_for,
)


def plan(text: str) -> list[tuple[str, list[int]]]:
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # greetings and hedges alone ask nothing
        ("hey, what's 6 * 7?", ["what's 6 * 7?"]),
        ("Hi! So, what's the capital of Chile?", ["what's the capital of Chile?"]),
        ("Sorry to bother you, but what's 9 squared?", ["what's 9 squared?"]),
        (
            "work out 4 * 4 for me, and while you're at it, convert 2 km to miles",
            ["work out 4 * 4 for me", "convert 2 km to miles"],
        ),
        ("If you can, translate 'cat' into Welsh", ["translate 'cat' into Welsh"]),
        # a lead-in of politeness before a colon or a spaced dash
        ("Quick one before lunch: what's 3 + 3?", ["what's 3 + 3?"]),
        (
            "Just wondering - what is 8 / 2 - and also who wrote Emma?",
            ["what is 8 / 2", "who wrote Emma?"],
        ),
        # an aside in parentheses that gives no number
        (
            "convert 3 miles to km (for my run) and then double it",
            ["convert 3 miles to km", "double it"],
        ),
        # items marked inside a sentence
        ("ok two things: (1) what's 5 * 5 and (2) what's 6 * 6", ["what's 5 * 5", "what's 6 * 6"]),
        (
            "Convert (a) 2 km to miles and (b) 2 miles to km",
            ["Convert 2 km to miles", "Convert 2 miles to km"],
        ),
        # a question inside a statement is a question, a wish is a request
        (
            "I was wondering what the capital of Chile is, and what 2 + 2 is",
            ["I was wondering what the capital of Chile is", "what 2 + 2 is"],
        ),
    ],
)
def test_chatty_parts(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Translate to French: good morning",  # the colon introduces what is translated
        "Step 1: compute 16 * 4",  # a numbered lead is not a greeting
        "Calculate (3 + 4) * 5",  # parentheses with numbers are arithmetic
        "Convert 5 stone to kg (in pounds)",  # an aside that names a unit stays
    ],
)
def test_what_is_not_filler_stays(text: str) -> None:
    assert " ".join(split_clauses(text)).replace("  ", " ") in {
        text,
        text.replace("Step 1: ", ""),
    }


def test_a_correction_still_replaces_what_it_corrects() -> None:
    assert split_clauses("Convert 5 stone to kg. Sorry, 6 stone to kg.") == ["6 stone to kg"]


def test_a_stated_fact_still_feeds_the_question_after_it() -> None:
    (only,) = clauses("I weigh 150 lbs, what is that in kg?")
    assert only.facts > 0
    # a wish is a request of its own, not a fact
    assert split_clauses("I need 5 miles in km, and then that times 2") == [
        "I need 5 miles in km",
        "that times 2",
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "convert 3, 5 and 8 miles to km",
            ["convert 3 miles to km", "convert 5 miles to km", "convert 8 miles to km"],
        ),
        (
            "How many pounds are 1 kg and 2 kg?",
            ["How many pounds are 1 kg?", "How many pounds are 2 kg?"],
        ),
        ("Turn 6 and 12 feet into metres", ["Turn 6 feet into metres", "Turn 12 feet into metres"]),
        ("square 4, 5 and 6", ["square 4", "square 5", "square 6"]),
        (
            "What are the capitals of Chile, Peru and Spain?",
            [
                "What are the capitals of Chile?",
                "What are the capitals of Peru?",
                "What are the capitals of Spain?",
            ],
        ),
        (
            "What time is it in Oslo, Rome and Lima?",
            ["What time is it in Oslo?", "What time is it in Rome?", "What time is it in Lima?"],
        ),
        (
            "Tell me the capital and the currency of Chile",
            ["Tell me the capital of Chile", "Tell me the currency of Chile"],
        ),
    ],
)
def test_one_question_over_a_list_is_one_part_per_item(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Add 3, 5 and 8",  # a sum takes the list whole
        "What's the average of 2, 4 and 9?",
        "What's the distance between Paris and London?",
        "What's 2 to the 8th and 3 to the 4th?",  # powers, not quantities with units
        "Show the tags and the branches",  # no subject they share
    ],
)
def test_a_list_taken_whole_stays_one_part(text: str) -> None:
    assert len(split_clauses(text)) <= 2
    assert all("," not in p or "and" in p for p in split_clauses(text))
    if text.startswith(("Add", "What's the average", "What's the distance")):
        assert split_clauses(text) == [text.rstrip(".")]


def test_a_topic_before_a_colon_is_what_the_parts_ask_about() -> None:
    assert split_clauses("For Chile: what's the capital, and what currency do they use?") == [
        "what's the capital of Chile",
        "what currency do they use in Chile?",
    ]
    assert split_clauses("Peru: capital? currency?") == ["capital of Peru?", "currency of Peru?"]
    # a part that names its own subject keeps it
    assert split_clauses("About Peru - what's the capital of Chile?") == [
        "what's the capital of Chile?"
    ]


@pytest.mark.parametrize(
    ("text", "last"),
    [
        # an arithmetic word after "that" makes it the earlier result, not a determiner
        ("What's 5 kg in pounds? Then what's that minus 1", ("what's {{s1}} minus 1", [0])),
        ("Convert 3 kg to pounds, and then that plus 2?", ("{{s1}} plus 2?", [0])),
        ("What's 9 * 9 - then what that is minus 80.", ("what {{s1}} is minus 80", [0])),
        ("I'd like 3 kg in pounds, and what's that times 2", ("what's {{s1}} times 2", [0])),
        # "the difference between" asks a difference, it is not one
        (
            "Compute 10 * 10 and 6 * 6, then the difference between the two results",
            ("the difference between {{s1}} and {{s2}}", [0, 1]),
        ),
        # an ordinal before an operation
        (
            "What's 100 / 4 and 100 / 5? Now what is the first divided by the second?",
            ("what is {{s1}} divided by {{s2}}?", [0, 1]),
        ),
        # "that number of" stands for the number
        (
            "Multiply 25 by 4; then express that number of metres in feet.",
            ("express {{s1}} metres in feet", [0]),
        ),
        # "there" is where the earlier answer is, written as a place
        (
            "Find out the capital of Chile. Then tell me what time it is there.",
            ("tell me what time it is in {{s1}}", [0]),
        ),
        # "its" after "the capital of Chile" is Chile's
        ("What's the capital of Chile and its currency?", ("What's the currency of Chile?", [])),
    ],
)
def test_how_a_later_part_refers_to_an_earlier_one(text: str, last: tuple[str, list[int]]) -> None:
    assert plan(text)[-1] == last


@pytest.mark.parametrize(
    "text",
    [
        "Is there a cafe in Chile? How big is it?",  # "is there" that something exists
        "Which river flows through Vienna, and what is its length?",  # "its": the river found
    ],
)
def test_what_still_refers_as_before(text: str) -> None:
    last = plan(text)[-1]
    if "its" in text:
        assert last == ("what is the length of {{s1}}?", [0])
    else:
        assert "there" not in last[0]


def test_a_computed_number_keeps_the_one_unit_it_was_computed_from() -> None:
    assert carried_unit(PrincipalValue("142.27"), ["lb"], computed=True) == "lb"
    assert carried_unit(PrincipalValue("11.15"), ["km", "mi"], computed=True) == ""
    assert carried_unit(PrincipalValue("7"), ["km", ""], computed=True) == ""
    assert carried_unit(PrincipalValue("5", "km"), [], computed=False) == "km"
    assert carried_unit(PrincipalValue("5"), ["km"], computed=False) == ""


def test_a_conversion_takes_the_carried_unit_arithmetic_the_bare_number() -> None:
    data = {"expression": "132.2773573 + 10", "result": "142.2773573", "value": 142.2773573}
    query = "convert {{s2}} back to kg"
    converted = value_for(query, query.index("}}") + 2, "132.2773573 + 10 = 142.2773573", data,
                          takes_text=False, unit="lb")  # fmt: skip
    assert converted == "142.2773573 lb"
    query = "double {{s2}}"
    doubled = value_for(query, len(query), "= 142.2773573", data, takes_text=False, unit="lb")
    assert doubled == "142.2773573"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # a list of frames and calculations, each its own part, the lead words kept
        (
            "the capital of Chile, the currency of Peru, and 7 * 13",
            ["the capital of Chile", "the currency of Peru", "7 * 13"],
        ),
        (
            "tell me the time in Oslo and the time in Lima",
            ["tell me the time in Oslo", "tell me the time in Lima"],
        ),
        # a statement before a dash is its own part; hedges alone are dropped
        (
            "I'm curious about two things - the currency of Peru and the capital of Chile",
            ["the currency of Peru", "the capital of Chile"],
        ),
    ],
)
def test_a_list_of_frames_is_one_part_per_frame(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


def test_a_numbers_only_list_is_still_the_parallel_lists() -> None:
    assert split_clauses("Compute 3 * 3, 4 * 4 and 5 * 5") == [
        "Compute 3 * 3",
        "Compute 4 * 4",
        "Compute 5 * 5",
    ]


def test_the_unit_converted_into_names_the_converted_value() -> None:
    assert plan("Convert 20 km to miles. Then multiply the miles by 3.")[-1] == (
        "multiply {{s1}} by 3",
        [0],
    )
    # a thing the part before did not convert into is no reference
    assert plan("Convert 20 km to miles. Then tell me the capital of Chile.")[-1][1] == []


def test_a_year_is_read_past_a_place_after_it() -> None:
    from agentroute.text import answer_in

    said = "They first flew on 17 December 1903 near Kitty Hawk, North Carolina."
    assert answer_in("When did they first fly?", said) == answer_in(
        "In what year did they fly?", said
    )
    found = answer_in("When did they first fly?", said)
    assert found is not None and (found.number, found.unit) == ("1903", "")
    # a number with a real unit after it is still no year
    height = answer_in("How tall is it?", "It is about 8,849 metres high.")
    assert height is not None and height.unit == "metres"


@pytest.mark.parametrize("text", ["What is it?", "What's there?", "why?", "Who?"])
def test_a_short_question_without_a_greeting_is_still_asked(text: str) -> None:
    assert split_clauses(text) == [text.rstrip(".")]


def test_a_filler_idiom_refers_to_nothing() -> None:
    assert plan("Who invented radio; also convert 5 km to miles while you're at it.")[-1][1] == []


def test_a_lead_in_that_points_past_its_colon_stays() -> None:
    assert split_clauses("Put this into Spanish: the meeting is cancelled") == [
        "Put this into Spanish: the meeting is cancelled"
    ]


@pytest.mark.parametrize(
    "text",
    ["Summarise the plot of Romeo and Juliet.", "What is the currency of Trinidad and Tobago?"],
)
def test_one_name_with_and_in_it_stays_one_part(text: str) -> None:
    assert split_clauses(text) == [text.rstrip(".")]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Calculate these: 15 * 15; 20 * 20.", ["Calculate 15 * 15", "Calculate 20 * 20"]),
        ("Translate these: hello; goodbye", ["Translate hello", "Translate goodbye"]),
        (
            "Convert the following: 5 kg to pounds; 2 miles to km",
            ["Convert 5 kg to pounds", "Convert 2 miles to km"],
        ),
    ],
)
def test_a_command_announcing_its_items_asks_each_with_its_verb(
    text: str, parts: list[str]
) -> None:
    assert split_clauses(text) == parts
