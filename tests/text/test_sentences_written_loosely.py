"""Parts written the loose ways people type them: a sentence in lower case after a full stop,
"as well as" for "and", a count of the questions before them, a thing asked before a dash,
and a result named by what was done to get it ("whatever you got"). Written apart from any
benchmark (session 11); each has cases that must stay whole."""

import pytest

from agentroute.text import clauses, resolve_references, split_clauses


def plan(text: str) -> list[tuple[str, list[int]]]:
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what is 9 factorial. now halve it", ["what is 9 factorial", "halve it"]),
        ("compute 17 * 3. is the result prime?", ["compute 17 * 3", "is the result prime?"]),
        (
            "how deep is the pacific. convert it to feet",
            ["how deep is the pacific", "convert it to feet"],
        ),
        (
            "translate cat to german. also the time in oslo",
            ["translate cat to german", "the time in oslo"],
        ),
    ],
)
def test_a_lower_case_sentence_after_a_full_stop_is_a_part(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "is Washington D.C. what they call the capital",  # a stop after one letter
        "convert 2.5 km to miles",  # a decimal point
        "e.g. convert 5 km to miles",
        "what is 3.14 times 2",
    ],
)
def test_a_stop_that_ends_no_sentence_splits_nothing(text: str) -> None:
    assert len(split_clauses(text)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the time in Oslo as well as in Lima",
            ["the time in Oslo", "the time in Lima"],
        ),
        (
            "the currency of Chile as well as the capital of Peru",
            ["the currency of Chile", "the capital of Peru"],
        ),
        (
            "Write a haiku about snow, as well as translating 'good luck' into Dutch",
            ["Write a haiku about snow", "translate 'good luck' into Dutch"],
        ),
    ],
)
def test_as_well_as_joins_parts_as_and_does(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


def test_as_well_as_that_still_opens_a_part_of_its_own() -> None:
    assert split_clauses("add 4 and 5, as well as that, what is 2 * 8") == [
        "add 4 and 5",
        "what is 2 * 8",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "3 questions. 1st: what's 7 * 7. 2nd: the capital of Chile. 3rd: 5 km in miles",
        "two things: what's 7 * 7, the capital of Chile, 5 km in miles",
    ],
)
def test_a_count_of_the_questions_is_no_question(text: str) -> None:
    parts = split_clauses(text)
    assert len(parts) == 3
    assert not any("question" in p or "things" in p for p in parts)


def test_questions_about_counting_still_ask() -> None:
    assert split_clauses("how many questions are there in the quiz") == [
        "how many questions are there in the quiz"
    ]


def test_a_thing_asked_before_a_dash_is_a_part_a_later_there_refers_to() -> None:
    assert plan("the capital of Chile - what time is it there?") == [
        ("the capital of Chile", []),
        ("what time is it in {{s1}}?", [0]),
    ]


def test_a_named_topic_before_a_dash_is_still_a_topic() -> None:
    assert split_clauses("About Nepal - what's the capital?") == ["what's the capital of Nepal?"]


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("convert 7 miles to km and multiply whatever you got by 3", "multiply {{s1}} by 3"),
        ("what's 12 * 4, then divide what you computed by 6", "divide {{s1}} by 6"),
        ("5 kg in pounds. now add 2 to what it came to", "add 2 to {{s1}}"),
    ],
)
def test_a_result_named_by_what_was_done_to_get_it_is_a_reference(text: str, second: str) -> None:
    planned = plan(text)
    assert planned[1] == (second, [0])


@pytest.mark.parametrize(
    "text",
    [
        "tell me what you found",  # nothing before it
        "what is 4 * 4, and what do you think about it",  # a question, not a free relative
    ],
)
def test_no_free_relative_no_new_reference(text: str) -> None:
    planned = plan(text)
    assert all("whatever" not in q for q, _ in planned)
    assert planned[0][1] == []


def test_an_operator_between_two_lookups_makes_three_parts() -> None:
    assert plan("what's the boiling point of water minus the boiling point of ethanol") == [
        ("what's the boiling point of water", []),
        ("what's the boiling point of ethanol", []),
        ("subtract {{s2}} from {{s1}}", [0, 1]),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the sum of 4 and 5 plus the product of 2 and 3",  # numbers: a calculation as written
        "what is the population of France times two",  # one lookup
    ],
)
def test_no_two_lookups_no_combined_parts(text: str) -> None:
    assert not any(
        p.startswith(("add the first", "subtract the second")) for p in split_clauses(text)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tell me who discovered radium and the currency used in Chile",
            ["Tell me who discovered radium", "Tell me the currency used in Chile"],
        ),
        (
            "who invented the telephone and the capital of Peru",
            ["who invented the telephone", "the capital of Peru"],
        ),
    ],
)
def test_a_question_then_a_thing_asked_by_name_are_two_parts(
    text: str, expected: list[str]
) -> None:
    assert split_clauses(text) == expected


def test_a_thing_asked_of_a_pronoun_is_no_part_of_this_kind() -> None:
    assert "the history of it" not in split_clauses(
        "tell me what a mortgage is and the history of it"
    )


def test_two_nouns_of_one_name_are_no_question_and_thing() -> None:
    assert split_clauses("What are the capital and the currency of Peru?") == [
        "What are the capital of Peru?",
        "What are the currency of Peru?",
    ]
