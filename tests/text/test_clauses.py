import pytest

from agentroute.text import clauses, split_clauses


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # every way of chaining two requests
        ("Square 9, then cube 4", ["Square 9", "cube 4"]),
        ("Sort the list and then print it", ["Sort the list", "print it"]),
        ("Open the log. Also count the errors.", ["Open the log", "count the errors"]),
        ("Weigh the parcel; post it", ["Weigh the parcel", "post it"]),
        ("Fetch the page, and after that summarise it", ["Fetch the page", "summarise it"]),
        ("Name a fruit and in addition a vegetable", ["Name a fruit", "Name a vegetable"]),
        ("Is it late? And where is the bus?", ["Is it late?", "where is the bus?"]),
        ("Who wrote Dune? Then, who wrote Emma?", ["Who wrote Dune?", "who wrote Emma?"]),
        ("List the tags. Finally, delete the old one.", ["List the tags", "delete the old one"]),
        # a bare connective is never a clause
        ("What is 3 + 3? And", ["What is 3 + 3?"]),
        ("Also, then.", ["Also, then."]),
    ],
)
def test_connectives(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Add 3, 4 and 5",
        "What is the average of 10, 20 and 30?",
        "Pick a number between 3 and 5",
        "What's 1 and 1/2 plus 2 and 1/4?",
        "My run took 1 hour and 5 minutes",
        "Echo 'red, green and then blue'",
        'Say "first, then second" out loud',
        "Multiply 7 by 6 and 2",
    ],
)
def test_never_inside_an_expression_or_a_quotation(text: str) -> None:
    assert split_clauses(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's 7 * 8 and 90 / 3?", ["What's 7 * 8?", "What's 90 / 3?"]),
        (
            "Compute 2 + 2, 3 * 3 and 10 - 4",
            ["Compute 2 + 2", "Compute 3 * 3", "Compute 10 - 4"],
        ),
        (
            "convert 3 feet to cm and 2 litres to pints",
            ["convert 3 feet to cm", "convert 2 litres to pints"],
        ),
        (
            "How much is 4 to the power of 3 and 5 to the power of 2?",
            ["How much is 4 to the power of 3?", "How much is 5 to the power of 2?"],
        ),
    ],
)
def test_parallel_items_take_the_frame_of_the_first(text: str, expected: list[str]) -> None:
    parts = clauses(text)
    assert [c.text for c in parts] == expected
    assert len({c.group for c in parts}) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Who painted the Mona Lisa? And the Night Watch?",
            ["Who painted the Mona Lisa?", "Who painted the Night Watch?"],
        ),
        (
            "What is the population of Chile? The population of Peru?",
            ["What is the population of Chile?", "What is the population of Peru?"],
        ),
        (
            "Translate 'thank you' into German and into Dutch.",
            ["Translate 'thank you' into German", "Translate 'thank you' into Dutch"],
        ),
        (
            "How many grams are 3 ounces? And 7 ounces?",
            ["How many grams are 3 ounces?", "How many grams are 7 ounces?"],
        ),
        (
            "What is the capital of Kenya? What about Ghana?",
            ["What is the capital of Kenya?", "What is the capital of Ghana?"],
        ),
    ],
)
def test_an_ellipsis_takes_the_frame_of_the_clause_before(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have 4 bags of 9 apples, how many apples is that?", 1),
        ("My room is 12 feet long; what is that in metres?", 1),
        ("Suppose a car goes 90 km/h. How far does it go in 3 hours?", 1),
        ("We spent 40 dollars and 25 dollars; what is the total?", 1),
        (
            "I am 180 cm tall, how much is that in feet, and my bag weighs 8 kg, what is that in pounds?",
            2,
        ),
    ],
)
def test_stated_facts_join_the_question_they_feed(text: str, expected: int) -> None:
    parts = clauses(text)
    assert len(parts) == expected
    assert all(c.facts > 0 for c in parts)


def test_a_correction_replaces_what_it_corrects() -> None:
    assert split_clauses("Convert 5 stone to kg. Sorry, 6 stone to kg.") == ["6 stone to kg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5!", ["5!"]),
        ("What is 5! + 3?", ["What is 5! + 3?"]),
        ("Great! What is 2 + 2?", ["What is 2 + 2?"]),  # split, and "Great" asks nothing
    ],
)
def test_a_factorial_is_not_an_exclamation(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


@pytest.mark.parametrize(
    ("request_text", "read"),
    [
        # a program set before the colon stays the subject of a command with a number in it
        ("xargs: run up to 4 processes at a time", "run up to 4 processes at a time in xargs"),
        ("For Germany: population in 2020", "population in 2020 in Germany"),
        # worked-on numbers name what they ask: the topic is not added to them
        ("For the US: convert 5 miles to km", "convert 5 miles to km"),
    ],
)
def test_a_topic_before_a_colon_stays_with_a_part_that_gives_a_number(
    request_text: str, read: str
) -> None:
    assert [c.text for c in clauses(request_text)] == [read]
