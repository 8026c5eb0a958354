"""The ways a later part points at an earlier result: by step number, "the previous answer",
"that many", a part that only takes the value up, a definite noun for what an earlier part
asked; and a "that" that points at nothing (written apart from any benchmark)."""

import pytest

from agentroute.text import clauses, resolve_references


def plan(text: str) -> list[tuple[str, list[int]]]:
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


def steps(text: str) -> list[list[int]]:
    """The dependencies of the parts that become steps (a part that only carries a value on
    is no step: a later reference to it means what it carries)."""
    resolved = resolve_references(clauses(text))

    def home(i: int) -> int:
        shows = resolved[i].shows
        return i if shows is None else home(shows)

    kept = [i for i, r in enumerate(resolved) if r.shows is None]
    return [sorted({kept.index(home(d)) for d in resolved[i].depends_on}) for i in kept]


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Step 1: cube 3. Step 2: add 5 to step 1's result.", ("add 5 to {{s1}}", [0])),
        ("Square 7, halve 10, then add the answer to question 1 to 3", ("add {{s1}} to 3", [0])),
        ("Cube 3. Then halve 8. Add part 2 to 1.", ("Add {{s2}} to 1", [1])),
    ],
)
def test_a_part_by_its_number(text: str, last: tuple[str, list[int]]) -> None:
    assert plan(text)[-1] == last


def test_a_step_number_past_the_part_refers_to_nothing() -> None:
    assert plan("Cube 3, then read step 4 of the guide")[-1][1] == []


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Cube 3. Add 21 to the previous answer.", "Add 21 to {{s1}}"),
        ("Cube 3, then halve the resulting number", "halve {{s1}}"),
        ("What's 50 * 2? Convert that many grams to kg.", "Convert {{s1}} grams to kg"),
        ("Square 9; pour that much water", "pour {{s1}} water"),
    ],
)
def test_a_result_named_with_a_modifier_or_a_count(text: str, last: str) -> None:
    assert plan(text)[-1] == (last, [0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cube 3, then take that number and halve it.", [[], [0]]),
        ("Cube 3. Then use the result from before and add 1 to it.", [[], [0]]),
        ("Cube 3, then take the square root of that number.", [[], [0]]),  # a step of its own
    ],
)
def test_a_part_that_only_takes_up_a_value_is_no_step(text: str, expected: list[list[int]]) -> None:
    assert steps(text) == expected


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Which city is the capital of Chile, and how old is the city?", "how old is {{s1}}?"),
        (
            "What's the capital of Chile, and what is the capital known for?",
            "what is {{s1}} known for?",
        ),
        ("Which country has Lima as capital? How big is the nation?", "How big is {{s1}}?"),
    ],
)
def test_the_noun_an_earlier_part_asked_for(text: str, last: str) -> None:
    assert plan(text)[-1] == (last, [0])


@pytest.mark.parametrize(
    "text",
    [
        "What is the capital of Chile? Then what is the capital of Peru?",  # of another one
        "What's the capital of Chile, and how big is the country?",  # Chile: named, known
        "Who built the bridge? Who painted the ceiling?",
    ],
)
def test_a_definite_noun_for_something_named_refers_to_nothing(text: str) -> None:
    assert plan(text)[-1][1] == []


@pytest.mark.parametrize(
    "text",
    [
        "Convert 5 km to miles. Also, is it true that sound travels at 343 m/s?",
        "Add 2 and 2, and I think that the moon is far",
        "Cube 3, then make sure that the oven is off",
        "Square 4 and check that 17 is prime",
    ],
)
def test_a_that_opening_what_is_said_points_at_nothing(text: str) -> None:
    assert plan(text)[-1][1] == []


def test_a_that_after_other_words_still_points_back() -> None:
    assert plan("Square 4, then tell me that number in words")[-1] == (
        "tell me {{s1}} in words",
        [0],
    )


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Add 3 and 4, then multiply by 5", ("multiply {{s1}} by 5", [0])),
        ("Compute 12 * 4; then add 8", ("add 8 to {{s1}}", [0])),
        ("Compute 12 * 4, then subtract 8.", ("subtract 8 from {{s1}}", [0])),
        ("Cube 3, then double", ("double {{s1}}", [0])),
        ("Add 9 and 11, then take away 5", ("take away 5 from {{s1}}", [0])),
    ],
)
def test_an_operation_missing_its_number_takes_the_one_before(
    text: str, last: tuple[str, list[int]]
) -> None:
    assert plan(text)[-1] == last


@pytest.mark.parametrize(
    "text",
    [
        "Read notes.txt, then add 5 and 6",  # both numbers given
        "Compute 3 * 3. Show the log, then add a note",  # no arithmetic
        "Show the log, then double",  # nothing numeric before
    ],
)
def test_an_operation_with_its_numbers_or_no_number_before_stands_alone(text: str) -> None:
    assert plan(text)[-1][1] == []


def test_a_result_named_by_a_word_of_the_part_before() -> None:
    assert plan("Convert 3 miles to km and then convert the km value to feet")[-1] == (
        "convert {{s1}} to feet",
        [0],
    )
    # a word the part before never said names something else
    assert plan("Convert 3 miles to km, then look up the phone number")[-1][1] == []


def test_those_two_means_the_last_two() -> None:
    assert plan("First: 4 + 4. Second: 5 + 5. Third: add those two")[-1] == (
        "add {{s1}} and {{s2}}",
        [0, 1],
    )


def test_an_apostrophe_is_no_quotation_a_possessive_may_point_past() -> None:
    # "its" after "the capital of Spain" is Spain's: the name is copied, nothing waits
    assert plan("What's the capital of Spain and its currency?")[-1] == (
        "What's the currency of Spain?",
        [],
    )
    # a real quotation is what "its" means
    assert plan("Cube 3, then echo 'hello' and its length")[-1][1] == []


def test_a_phrasal_verb_keeps_its_particle_before_the_values() -> None:
    assert plan("Cube 2 and cube 3, then add them up")[-1] == ("add {{s1}} and {{s2}}", [0, 1])
    assert plan("Find the logs, then back them up")[-1] == ("back up {{s1}}", [0])
    assert plan("Cube 2, then add it up to 10")[-1][0] == "add {{s1}} up to 10"  # "up to": a bound


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("What is 20% of 50 and 10% of 300? Add them both.", ("Add {{s1}} and {{s2}}", [0, 1])),
        ("How many ounces is 1 kg? What is that doubled?", ("What is {{s1}} doubled?", [0])),
        ("Convert 90 km to miles. What is that rounded?", ("What is {{s1}} rounded?", [0])),
    ],
)
def test_both_and_an_operation_after_that_are_one_reference(
    text: str, last: tuple[str, list[int]]
) -> None:
    assert plan(text)[-1] == last


def test_each_of_them_is_one_part_per_result() -> None:
    text = "What is 2 times 3 and 4 times 5? Double each of them, then add them together."
    assert plan(text)[2:] == [
        ("Double {{s1}}", [0]),
        ("Double {{s2}}", [1]),
        ("add {{s3}} and {{s4}} together", [2, 3]),
    ]
