"""References named by what the result is, by where it was given, by its kind, and parts that
are only an operation, a unit or an arrow (written apart from any benchmark)."""

import pytest

from agentroute.text import clauses, resolve_references


def plan(text: str) -> list[tuple[str, list[int]]]:
    """Each clause's query (clause i as s{i+1}) and the clauses it depends on."""
    resolved = resolve_references(clauses(text))
    return [(r.query(lambda i: f"s{i + 1}"), r.depends_on) for r in resolved]


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("How deep is Loch Ness? Give me the depth in feet.", ("Give me {{s1}} in feet", [0])),
        ("How tall is the Shard? Halve the height.", ("Halve {{s1}}", [0])),
        ("Convert 3 km to miles, then add 2 to the distance", ("add 2 to {{s1}}", [0])),
        ("What's 6 * 6? Add 4 to the result from before", ("Add 4 to {{s1}}", [0])),
        ("Compute 9 + 9 and then double the answer above", ("double {{s1}}", [0])),
    ],
)
def test_a_result_named_by_its_measure_or_where_it_was_given(
    text: str, last: tuple[str, list[int]]
) -> None:
    assert plan(text)[-1] == last


def test_a_measure_that_opens_a_compound_is_no_reference() -> None:
    assert plan("How fast is sound in air? Then the speed limit in Texas")[-1][1] == []


def test_the_total_of_a_list_is_their_sum() -> None:
    assert plan("What's 7 * 3 and 8 * 2? Then halve the total")[-1] == (
        "halve ({{s1}} + {{s2}})",
        [0, 1],
    )


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Which city hosts the Prado? Is said city on a river?", ("Is {{s1}} on a river?", [0])),
        (
            "What do they speak in Peru, and what is that country's flag?",
            ("what is Peru's flag?", []),
        ),
        ("Name the capital of Chile and the country's currency", ("Chile's currency", [])),
    ],
)
def test_a_kind_is_the_thing_found_or_the_country_named(
    text: str, last: tuple[str, list[int]]
) -> None:
    assert plan(text)[-1] == last


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Add 30 and 34, then the square root", ("the square root of {{s1}}", [0])),
        ("Compute 2 ^ 6; cube root", ("the cube root of {{s1}}", [0])),
        ("Convert 3 kg to pounds. Now in stone.", ("convert {{s1}} to stone", [0])),
        ("Is 6 * 7 even? Is that prime?", ("Is {{s1}} prime?", [0])),
        ("Write a sonnet about rain, then shorten the poem", ("shorten {{s1}}", [0])),
    ],
)
def test_an_operation_a_unit_or_a_question_works_on_the_result_before(
    text: str, last: tuple[str, list[int]]
) -> None:
    assert plan(text)[-1] == last


def test_an_arrow_converts_before_a_unit_and_chains_before_an_operation() -> None:
    assert plan("5 kg -> lb -> halve it") == [("5 kg to lb", []), ("halve {{s1}}", [0])]
    assert plan("capital of Peru => time there") == [
        ("capital of Peru", []),
        ("time in {{s1}}", [0]),
    ]
