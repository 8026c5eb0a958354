"""Parts of a request the way people list, chain and refer to them, written apart from any
benchmark: lists on lines, '&', parts opening with the same words, ordinals, a thing taken up
again with 'the', a total of things given before."""

import pytest

from agentroute.text import clauses, resolve_references, split_clauses


def plan(text: str) -> list[tuple[str, list[int]]]:
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("1) add 2 and 2\n2) convert 3 km to miles", ["add 2 and 2", "convert 3 km to miles"]),
        ("1. git status\n2. git log", ["git status", "git log"]),
        ("(1) list the files\n(2) read todo.md", ["list the files", "read todo.md"]),
        ("Please do these:\n- echo 'a'\n- echo 'b'", ["echo 'a'", "echo 'b'"]),
        ("read a.txt\nread b.txt\nread c.txt", ["read a.txt", "read b.txt", "read c.txt"]),
        ("what's 2 + 2 & what's 3 + 3", ["what's 2 + 2", "what's 3 + 3"]),
        ("capital of Peru and capital of Chile", ["capital of Peru", "capital of Chile"]),
        ("git diff and git branch", ["git diff", "git branch"]),
        ("sqrt of 81, and 9 cubed", ["sqrt of 81", "9 cubed"]),
        (
            "I want three things: the weather, the news and the time",
            ["the weather", "the news", "the time"],
        ),
        ("Open todo.md and turn it into a poem", ["Open todo.md", "turn it into a poem"]),
    ],
)
def test_parts_come_apart(text: str, parts: list[str]) -> None:
    assert split_clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Add 3, 4 and 5",
        "What is the difference between 3 and 5?",
        "Translate 'salt and pepper' into French",
        "Translate this: salt and pepper",
        "Translate these into French: salt and pepper",
        "multi-line\ntext without a list",  # a line that is not a request of its own
        "Show me files and folders",
        "the cost of bread and butter",
    ],
)
def test_one_part_stays_whole(text: str) -> None:
    if "\n" in text:
        assert len(split_clauses(text)) <= 2
    else:
        assert len(split_clauses(text)) == 1


@pytest.mark.parametrize(
    ("text", "last"),
    [
        (
            "Compute 3 * 3 and 4 * 4, then subtract the first result from the second.",
            ("subtract {{s1}} from {{s2}}", [0, 1]),
        ),
        ("Find the log files, then open the first one.", ("open {{s1}}", [0])),
        (
            "What's 10% of 50? What's 20% of 50? Then add them together.",
            ("add {{s1}} and {{s2}} together", [0, 1]),
        ),
        (
            "Write a limerick about a dog, then translate the limerick into German.",
            ("translate {{s1}} into German", [0]),
        ),
        ("Read budget.csv and give me the sum of the amounts.", ("give me the sum of {{s1}}", [0])),
        ("Convert 20 C to F, then add 5 to the result.", ("add 5 to {{s1}}", [0])),
    ],
)
def test_later_parts_refer_to_earlier_ones(text: str, last: tuple[str, list[int]]) -> None:
    assert plan(text)[-1] == last


@pytest.mark.parametrize(
    "text",
    [
        "What is the capital of France? What is the capital of Spain?",  # "the" both times
        "Who was the first to fly, and who was the first to walk on the moon?",
        "What's 2 to the 8th and 3 to the 4th?",
        "Write a poem about rain and a joke about the sun",
    ],
)
def test_no_reference_where_none_is_made(text: str) -> None:
    assert all(not deps for _, deps in plan(text)), plan(text)
