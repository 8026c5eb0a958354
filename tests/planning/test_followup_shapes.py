"""Thread shapes of blind set 20, read against the previous turns: another operation on the
numbers of one calculation, a value changed in the part that said it, a name for the part that
named one, a place referred back with the place the graph put it in, "what year?" of a
passage, "who wrote them?" of a tool's listing, and the turn a file name or a unit comes
back to. The router is a keyword table (the reader is under test); tests/e2e runs the planner."""

from __future__ import annotations

import pytest

from agentroute.planning._followup import resolve_followup
from agentroute.planning._operands import on_operands
from agentroute.planning._thread import continued_turn, shares_sign
from agentroute.types import PriorStep, PriorTurn

from .test_followup import KINDS, route


def _step(query: str, target: str, result: str) -> PriorStep:
    return PriorStep(query=query, target=target, kind=KINDS[target], ok=True, result=result)


def _turn(request: str, *steps: PriorStep) -> PriorTurn:
    return PriorTurn(request=request, steps=list(steps), answer=steps[-1].result)


def _read(request: str, *turns: PriorTurn, general: str | None = None) -> tuple[str, str | None]:
    follow = resolve_followup(request, turns[-1], route, list(turns[:-1]), general)
    assert follow is not None and follow.clauses, follow
    return follow.clauses[0]


ADD = _turn("Add 48 and 17", _step("Add 48 and 17", "calc", "48 + 17 = 65"))
AVERAGE = _turn(
    "What's the average of 4, 8 and 15?",
    _step("What's the average of 4, 8 and 15?", "calc", "(4 + 8 + 15) / 3 = 9"),
)


@pytest.mark.parametrize(
    ("request_text", "query"),
    [
        ("now subtract them instead", "48 - 17"),
        ("multiply them instead", "48 * 17"),
        ("and divide them?", "48 / 17"),
        ("what about the product?", "48 * 17"),
        ("and their difference?", "48 - 17"),
    ],
)
def test_them_after_one_calculation_are_its_numbers(request_text: str, query: str) -> None:
    assert _read(request_text, ADD) == (query, "calc")


def test_a_list_operation_on_the_numbers_of_a_list() -> None:
    assert _read("and their sum?", AVERAGE) == ("4 + 8 + 15", "calc")
    # which number is taken from which is not said for three
    assert on_operands("subtract them", list(AVERAGE.steps)) is None


def test_one_number_or_a_new_amount_is_not_an_operation_on_the_numbers() -> None:
    assert on_operands("double it", list(ADD.steps)) is None
    assert on_operands("subtract 5 from them", list(ADD.steps)) is None
    squared = _step("What's 9 squared?", "calc", "9^2 = 81")
    assert on_operands("and cubed?", [squared]) is None


TWO_PARTS = _turn(
    "What's 15% of 200 and 25% of 80?",
    _step("What's 15% of 200", "calc", "15 / 100 * 200 = 30"),
    _step("25% of 80", "calc", "25 / 100 * 80 = 20"),
)
CAPITAL_AND_MILES = _turn(
    "What is the capital of Kenya, and how many km is 10 miles?",
    _step("What is the capital of Kenya", "atlas", "> Nairobi —capital_of→ Kenya (source: x)"),
    _step("how many km is 10 miles?", "units", "10 mi = 16.09344 km"),
)


def test_a_changed_value_goes_to_the_part_that_said_it() -> None:
    assert _read("change the 200 to 360", TWO_PARTS) == ("What's 15% of 360", "calc")


def test_a_name_goes_to_the_one_part_that_named_one() -> None:
    query, _ = _read("and of Peru?", CAPITAL_AND_MILES)
    assert "Peru" in query and "Kenya" not in query and "miles" not in query


PERU = _turn(
    "What is the capital of Peru?",
    _step("What is the capital of Peru?", "atlas", "> Lima —capital_of→ Peru (source: x)"),
)
BRAZIL = _turn(
    "What is the capital of Brazil?",
    _step("What is the capital of Brazil?", "atlas", "> Brasília —capital_of→ Brazil (source: x)"),
)
FEET = _turn("How many feet are in 3 metres?", _step("3 metres in feet", "units", "3 m = 9.84 ft"))


def test_a_place_referred_back_is_said_with_the_place_the_graph_put_it_in() -> None:
    query, _ = _read("what language do they speak there?", PERU)
    assert query == "what language do they speak in Lima, Peru?"
    query, _ = _read("what language do they speak in that country?", BRAZIL, FEET)
    assert query == "what language do they speak in Brasília, Brazil?"


PENICILLIN = _turn(
    "Who discovered penicillin?",
    _step("Who discovered penicillin?", "atlas", "> Alexander Fleming discovered it in 1928."),
)


def test_a_question_word_and_a_noun_ask_the_passage_of_the_last_turn() -> None:
    assert _read("what year?", PENICILLIN) == ("what year — Who discovered penicillin?", "atlas")


def test_them_after_a_listing_asks_the_same_tool() -> None:
    log = _turn(
        "What are the recent commits?",
        _step("What are the recent commits?", "files", "Commit: 3f2a\nAuthor: Ada\n\nCommit: 9b1c"),
    )
    query, _ = _read("who wrote them?", log)
    assert query == "who wrote them? — What are the recent commits?"


NOTES = _turn("What's in notes.txt?", _step("notes.txt", "files", "alpha line"))
CLOCK = _turn("What time is it in UTC?", _step("time in UTC", "clock", '{"timezone": "UTC"}'))
MARATHON = _turn("How many km is 26.2 miles?", _step("26.2 miles in km", "units", "42.16 km"))


def test_a_file_name_or_a_unit_comes_back_to_the_turn_that_had_one() -> None:
    assert shares_sign("and in todo.md?", "What's in notes.txt?")
    assert not shares_sign("and in todo.md?", "What time is it in UTC?")
    assert continued_turn("and in todo.md?", CLOCK, [NOTES]) is NOTES
    assert shares_sign("and the distance in metres?", "How many km is 26.2 miles?")
    assert continued_turn("and the distance in metres?", PENICILLIN, [MARATHON]) is MARATHON


def test_a_verb_meets_its_past_tense() -> None:
    assert shares_sign("when did he invent it?", "Who invented dynamite?")


def test_degrees_go_to_the_temperature_part() -> None:
    both = _turn(
        "Convert 30 degrees Celsius to Fahrenheit and 10 km to miles",
        _step("Convert 30 degrees Celsius to Fahrenheit", "units", "30 °C = 86 °F"),
        _step("Convert 10 km to miles", "units", "10 km ≈ 6.213711922 mi"),
    )
    assert _read("and 40 degrees?", both) == ("Convert 40 degrees Celsius to Fahrenheit", "units")


def test_a_bare_attribute_after_a_base_is_of_the_same_thing() -> None:
    capital = _turn(
        "capital of france",
        _step("capital of france", "atlas", "> Paris —capital_of→ France (source: x)"),
    )
    follow = resolve_followup("language?", capital, lambda text: None, [], None)
    assert follow is not None and follow.clauses == [("the language of france", None)]


def test_a_name_come_back_to_is_what_the_pronoun_means() -> None:
    kenya = _turn(
        "What is the capital of Kenya?",
        _step("What is the capital of Kenya?", "atlas", "> Nairobi —capital_of→ Kenya"),
    )
    aside = _turn("what is 9 times 9", _step("what is 9 times 9", "calc", "9 * 9 = 81"))
    asked = "going back to Kenya, what language do they speak?"
    follow = resolve_followup(asked, aside, route, [kenya])
    assert follow is not None and follow.request == "what language do they speak in Kenya?"
    follow = resolve_followup("back to Kenya: what time is it there?", aside, route, [kenya])
    assert follow is not None and follow.request == "what time is it in Kenya?"
