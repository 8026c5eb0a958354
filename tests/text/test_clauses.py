import pytest

from agentroute.text import split_clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "What is 17 * 23, and how many kilometres are 5 miles?",
            ["What is 17 * 23", "how many kilometres are 5 miles?"],
        ),
        ("What is the sum of 17 and 23?", ["What is the sum of 17 and 23?"]),
        (
            "Convert 5 miles to km; what is the capital of France? Who invented the telephone",
            [
                "Convert 5 miles to km",
                "what is the capital of France?",
                "Who invented the telephone",
            ],
        ),
        (
            "Tell me the capital of Peru and also compute 2+2",
            ["Tell me the capital of Peru", "compute 2+2"],
        ),
        ("salt and pepper", ["salt and pepper"]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected
