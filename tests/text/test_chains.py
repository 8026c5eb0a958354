"""Parts chained, numbered and ordered the many ways people write them, operations listed
after one verb, and noun phrases that refer back after "and" (written apart from any
benchmark)."""

import pytest

from agentroute.text import clauses, resolve_references, split_clauses


def plan(text: str) -> list[tuple[str, list[int]]]:
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # the place of a part in the order opens it and is dropped
        ("First, weigh the box; second, post it.", ["weigh the box", "post it"]),
        ("Firstly list the tags. Secondly: show the log", ["list the tags", "show the log"]),
        ("Step 1: square 12. Step 2: halve 40.", ["square 12", "halve 40"]),
        ("Sort the list, next print the top three", ["Sort the list", "print the top three"]),
        ("Task 3 - read a.md", ["read a.md"]),
        # sequence words between parts
        ("Open the log, followed by the error count", ["Open the log", "Open the error count"]),
        (
            "Fetch the page, and once you have that, count its links",
            ["Fetch the page", "count its links"],
        ),
        ("What's 2^10 followed by 3^5?", ["What's 2^10", "What's 3^5?"]),
    ],
)
def test_ordered_parts(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Show me the next commit",  # "next" inside a part orders nothing
        "What is the second largest city in Peru?",
        "Read the first line of notes.txt",
        "Tell me the last step of the recipe",
    ],
)
def test_order_words_inside_a_part_split_nothing(text: str) -> None:
    assert split_clauses(text) == [text.rstrip(".")]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Multiply 3 by 4 and 5 by 6", ["Multiply 3 by 4", "Multiply 5 by 6"]),
        ("Divide 100 by 4 and 60 by 3.", ["Divide 100 by 4", "Divide 60 by 3"]),
        ("Find 25% of 80 and 10% of 250", ["Find 25% of 80", "Find 10% of 250"]),
        ("What's 9 squared and 4 cubed?", ["What's 9 squared?", "What's 4 cubed?"]),
        ("Calculate (3 + 4) * 5 and 10 - 2", ["Calculate (3 + 4) * 5", "Calculate 10 - 2"]),
        (
            "What's the sum of 4 and 5 and the product of 6 and 7?",
            ["What's the sum of 4 and 5", "What's the product of 6 and 7?"],
        ),
    ],
)
def test_operations_listed_after_one_verb(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Multiply 8 and 9",  # the operands of one operation
        "Add 1 and 2 and 3 and 4",
        "We spent 40 dollars and 25 dollars in total",  # quantities, not operations
        "What is the difference between the sum of 3 and 4 and the product of 2 and 5?",
        "Is 45 between 40 and 50?",
    ],
)
def test_one_operation_stays_whole(text: str) -> None:
    assert len(split_clauses(text)) == 1


def test_a_noun_phrase_that_refers_back_is_a_part_of_its_own() -> None:
    assert plan("Tell me the capital of Peru and the current time there") == [
        ("Tell me the capital of Peru", []),
        ("Tell me the current time in {{s1}}", [0]),
    ]
    assert plan("Name the largest lake and its depth")[-1] == ("Name the depth of {{s1}}", [0])


@pytest.mark.parametrize(
    "text",
    [
        "Show the tags and the branches",
        "Compare this and that",
    ],
)
def test_a_plain_list_of_things_stays_one_part(text: str) -> None:
    assert split_clauses(text) == [text]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Please compute 100 / 5, and after you've done that, add 3 to it",
            ["Please compute 100 / 5", "add 3 to it"],
        ),
        ("Compute 8 * 8 — then subtract 14 from it", ["Compute 8 * 8", "subtract 14 from it"]),
        (
            "Tell me the capital of Japan plus the time there",
            ["Tell me the capital of Japan", "Tell me the time there"],
        ),
    ],
)
def test_a_connective_left_at_a_part_end_is_dropped(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


def test_a_part_opening_with_an_ing_form_reads_as_a_command() -> None:
    assert split_clauses("What is 64 / 8 followed by multiplying the result by 5?") == [
        "What is 64 / 8",
        "multiply the result by 5?",
    ]
    # "Morning" is no -ing form of a verb that opens a request, and a greeting asks nothing
    assert split_clauses("Morning! Bring me the log") == ["Bring me the log"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a) multiply 3 by 3 b) add 1 to it", ["multiply 3 by 3", "add 1 to it"]),
        ("Do these: 1. read a.txt 2. echo hi", ["read a.txt", "echo hi"]),
        ("1) cube 3 2) halve 8 3) square 5", ["cube 3", "halve 8", "square 5"]),
    ],
)
def test_a_numbered_list_on_one_line(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    ["What is (2 + 3) * 4?", "Compute 3 * 4. 5 apples cost 2 dollars", "Read part 2. of the guide"],
)
def test_a_number_in_a_sentence_is_no_list_mark(text: str) -> None:
    assert len(split_clauses(text)) == 1
