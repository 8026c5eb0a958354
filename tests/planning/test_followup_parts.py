"""Follow-ups of the parts of a turn that had several, of the thread's earlier turns, of a
table, and turns that only acknowledge: the reader's logic under a small keyword router
(tests/planning/test_followup.py's); the real planner and chat run in
tests/e2e/test_followup_parts.py."""

from __future__ import annotations

import pytest

from agentroute.planning._followup import acknowledgement_reply, resolve_followup
from agentroute.types import PriorStep, PriorTurn

from .test_followup import KINDS, route


def step(query: str, target: str, result: str) -> PriorStep:
    return PriorStep(query=query, target=target, kind=KINDS[target], ok=True, result=result)


def parts(*steps: PriorStep) -> PriorTurn:
    return PriorTurn(request=" and ".join(s.query for s in steps), steps=list(steps), answer="")


def queries(request: str, last: PriorTurn, earlier: tuple[PriorTurn, ...] = ()) -> list[str]:
    follow = resolve_followup(request, last, route, earlier)
    assert follow is not None, f"{request!r} was not read against the thread"
    return [q for q, _ in follow.clauses] or [follow.request]


MILES = step("Convert 5 miles to km", "units", "5 mi = 8.04672 km")
KILOS = step("Convert 10 kg to pounds", "units", "10 kg ≈ 22.04622622 lb")
PRODUCT = step("What is 12 times 8", "calc", "12 * 8 = 96")
SQUARE = step("What is 7 squared", "calc", "7 ** 2 = 49")
CAPITAL = step(
    "What's the capital of Hungary?",
    "atlas",
    "Passages retrieved from knowledge base 'atlas':\n[1] path\n> Budapest —capital_of→ Hungary",
)


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ("the second one in ounces", ["convert 10 kg to ounces"]),
        ("and the first in metres?", ["convert 5 miles to metres"]),
        ("now 20 of each", ["Convert 20 miles to km", "Convert 20 kg to pounds"]),
        ("both with 3", ["Convert 3 miles to km", "Convert 3 kg to pounds"]),
    ],
)
def test_a_part_named_or_each_part(request_: str, expected: list[str]) -> None:
    assert queries(request_, parts(MILES, KILOS)) == expected


def test_the_results_of_the_parts_are_combined() -> None:
    assert queries("add those two together", parts(PRODUCT, SQUARE)) == ["add 96 and 49 together"]
    assert queries("multiply them", parts(PRODUCT, SQUARE)) == ["multiply 96 and 49"]


def test_the_two_results_of_the_last_two_turns() -> None:
    last, before = parts(SQUARE), parts(PRODUCT)
    assert queries("add the two results", last, (before,)) == ["add 96 and 49"]


def test_the_first_one_is_the_first_turn_when_the_last_had_one_part() -> None:
    first, second = parts(KILOS), parts(MILES)
    assert queries("the first one in stone", second, (first,)) == ["convert 10 kg to stone"]


def test_a_clock_result_is_no_number_to_combine() -> None:
    clock = step("What time is it in Tokyo?", "clock", '{"datetime": "2026-12-07T21:00"}')
    follow = resolve_followup("add the two results", parts(clock), route, (parts(PRODUCT),))
    assert follow is None or all("2026" not in q for q, _ in follow.clauses)


def test_an_attribute_of_another_name_is_asked_whole() -> None:
    assert queries("and the population of Romania?", parts(CAPITAL)) == [
        "what is the population of Romania?"
    ]
    # "the same for ..." keeps the previous question with the new value
    assert queries("same for Romania", parts(CAPITAL)) == ["What's the capital of Romania?"]


def test_an_earlier_turn_named_as_before_is_asked_again() -> None:
    aside = parts(CAPITAL)
    assert queries("do the conversion from before with 20", aside, (parts(MILES),)) == [
        "Convert 20 miles to km"
    ]


def test_a_quantity_after_one_unit_counts_it() -> None:
    ounce = step("How many grams in an ounce", "units", "1 oz = 28.349523125 g")
    assert queries("and 8 ounces?", parts(ounce)) == ["How many grams in 8 ounces"]


def test_a_column_of_a_table_is_totalled() -> None:
    table = step("read data/budget.csv", "files", "item,amount\nrent,1200\nfood,450\n")
    assert queries("what's the total of the amounts?", parts(table)) == [
        "what's the total of 1200 and 450"
    ]


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("ok thanks", "You're welcome."),
        ("great, thank you!", "You're welcome."),
        ("perfect", "Okay."),
        ("ah right, makes sense", "Okay."),
        ("thanks! and 3+3?", None),
        ("and in miles?", None),
        ("", None),
    ],
)
def test_a_turn_that_only_acknowledges(said: str, reply: str | None) -> None:
    assert acknowledgement_reply(said) == reply


def test_a_file_the_last_listing_showed_is_named_with_its_folder() -> None:
    listing = step("list the docs folder", "files", "[FILE] faq.md\n[FILE] guide.md")
    assert queries("open guide.md from there", parts(listing)) == ["open docs/guide.md from there"]
    assert queries("read the faq one", parts(listing)) == ["read docs/faq.md"]


def test_a_quantity_in_millions_is_converted_in_digits() -> None:
    sun = PriorStep(
        query="How far is the Earth from the Sun?",
        target="atlas",
        kind=KINDS["atlas"],
        ok=True,
        result="Passages:\n[1] Earth and the Sun\n> Earth orbits the Sun at about 150 million "
        "kilometres, one astronomical unit.",
    )
    assert queries("in miles?", parts(sun)) == ["convert 150000000 kilometres to miles"]


def test_a_new_name_after_two_parts_is_asked_once() -> None:
    rome = step("What's the capital of Italy?", "atlas", "Passages:\n> Rome —capital_of→ Italy")
    paris = step("What's the capital of France?", "atlas", "Passages:\n> Paris —capital_of→ France")
    assert len(queries("and of Spain?", parts(rome, paris))) == 1


def test_a_quantity_goes_to_the_part_in_its_unit() -> None:
    assert queries("now 10 miles", parts(MILES, KILOS)) == ["Convert 10 miles to km"]


def test_their_sum_and_each_as_the_subject() -> None:
    assert queries("and their sum?", parts(PRODUCT, SQUARE)) == ["and the sum of 96 and 49?"]
    phone = step("Who invented the telephone?", "atlas", "Passages:\n> Bell, 1876")
    bulb = step("Who invented the light bulb?", "atlas", "Passages:\n> Edison, 1879")
    asked = queries("when was each invented?", parts(phone, bulb))
    assert len(asked) == 2 and "telephone" in asked[0] and "light bulb" in asked[1]


def test_a_part_asked_by_its_name_alone_is_the_first_part_s_question() -> None:
    tokyo = step("What time is it in Tokyo", "clock", '{"timezone": "Asia/Tokyo"}')
    london = step("London?", "clock", '{"timezone": "Europe/London"}')
    assert queries("and in Paris?", parts(tokyo, london)) == ["What time is it in Paris"]
