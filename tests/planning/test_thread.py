"""Follow-ups that come back to an earlier turn of the thread (planning._thread), and the
registers of a follow-up read against the turn it continues (planning._followup): a reason
asked of a fact, corrections that name what they set aside, a time of day, the other way
round after "how many", "compare that with", a new request after an expert."""

from __future__ import annotations

from agentroute.planning._followup import resolve_followup
from agentroute.planning._thread import continued_turn, shares_sign
from agentroute.types import PriorStep, PriorTurn, TargetKind

from .test_followup_dev import KINDS, route


def _turn(request: str, target: str, result: str) -> PriorTurn:
    kind = KINDS[target.split(".", 1)[0]]
    step = PriorStep(query=request, target=target, kind=kind, ok=True, result=result)
    return PriorTurn(request=request, steps=[step], answer=result)


MILES = _turn("Convert 5 miles to km", "units", "5 mi = 8.04672 km")
PERU = _turn("What's the capital of Peru?", "facts", "> Its capital is Lima.")
TIMES = _turn("What's 7 times 6?", "calc", "7 * 6 = 42")
TOKYO = _turn("What time is it in Tokyo?", "time", '{"timezone": "Asia/Tokyo"}')
POUNDS = _turn("Convert 3 kg to pounds", "units", "3 kg ≈ 6.61 lb")
ITALIAN = _turn("Translate 'see you soon' into Italian", "translator", "a presto")


def _read(request: str, *turns: PriorTurn, general: str | None = None) -> tuple[str, str | None]:
    follow = resolve_followup(request, turns[-1], route, list(turns[:-1]), general)
    assert follow is not None and follow.clauses, follow
    return follow.clauses[0]


# -- which turn --------------------------------------------------------------------------------


def test_a_sign_shared_is_a_word_a_kind_of_value_or_a_name_to_refer_to() -> None:
    assert shares_sign("and 8 miles?", "Convert 5 miles to km")  # the unit
    assert shares_sign("and the time in Madrid?", "What time is it in Tokyo?")  # a word
    assert shares_sign("back to it: 25%?", "What is 15% of 200?")  # a percentage
    assert shares_sign("and into Portuguese?", ITALIAN.request)  # a language
    assert shares_sign("what currency do they use there?", "What's the capital of Peru?")
    assert not shares_sign("and 8 miles?", "What's the capital of Peru?")
    assert not shares_sign("and 8 miles?", "What's 7 times 6?")  # a quantity shares its unit
    assert shares_sign("and 8?", "What's 7 times 6?")  # a bare number, any number
    assert shares_sign("ok and 50 F?", "Convert 100 F to C")  # a unit however short
    assert not shares_sign("ok and 50 F?", "who discovered penicillin?")
    assert not shares_sign("what currency do they use there?", "What's 7 times 6?")
    assert not shares_sign("and in Karachi?", "Convert 5 litres to gallons. Convert 5 litres")


def test_a_follow_up_comes_back_past_an_aside_it_shares_nothing_with() -> None:
    assert continued_turn("and 8 miles?", PERU, [MILES]) is MILES
    assert continued_turn("and what currency do they use there?", TIMES, [PERU]) is PERU
    assert continued_turn("and into Portuguese?", TIMES, [ITALIAN]) is ITALIAN


def test_the_last_turn_keeps_a_follow_up_that_fits_it_or_fits_nothing() -> None:
    assert continued_turn("and 8 miles?", MILES, [PERU]) is MILES  # fits the last one
    assert continued_turn("and Chile?", PERU, [MILES]) is PERU  # a name, as the last had
    assert continued_turn("shorter please", PERU, [MILES]) is PERU  # fits none: the last
    assert continued_turn("and 8 miles?", PERU, []) is PERU  # nothing earlier kept


def test_the_most_recent_earlier_turn_that_fits_wins() -> None:
    older = _turn("Convert 2 miles to yards", "units", "2 mi = 3520 yd")
    assert continued_turn("and 8 miles?", PERU, [older, MILES]) is MILES


def test_rewritten_against_the_turn_it_comes_back_to() -> None:
    assert _read("and 8 miles?", MILES, PERU) == ("Convert 8 miles to km", "units")
    assert _read("and the time in Madrid?", TOKYO, POUNDS) == ("What time is it in Madrid?", "time")
    query, target = _read("and into Portuguese?", ITALIAN, TIMES)
    assert query == "Translate 'see you soon' into Portuguese" and target == "translator"


def test_a_new_request_after_an_aside_is_still_planned_alone() -> None:
    follow = resolve_followup("who discovered penicillin", TOKYO, route, [MILES])
    assert follow is None or not follow.clauses


# -- registers ------------------------------------------------------------------------------


def test_why_after_a_fact_goes_to_the_general_expert_with_the_fact_as_data() -> None:
    canberra = _turn("What's the capital of Australia?", "facts", "> Its capital is Canberra.")
    query, target = _read("why?", canberra, general="general")
    assert target == "general" and "Canberra" in query and "capital of Australia" in query
    assert _read("why did he do it?", _turn("Who invented the telephone?", "facts", "> Bell"),
                 general="general")[1] == "general"  # fmt: skip
    zero = _turn("What is 0 degrees Celsius in Fahrenheit?", "units", "0 °C = 32 °F")
    assert _read("but why 32?", zero, general="general")[1] == "general"


def test_why_stays_with_the_base_without_a_general_expert_or_after_an_expert() -> None:
    who = _turn("Who discovered penicillin?", "facts", "> Alexander Fleming, 1928")
    assert _read("why?", who) == ("Who discovered penicillin? — why", "facts")
    poem = _turn("Write a haiku about rain", "general", "Soft rain on the roof")
    assert _read("why?", poem, general="general")[1] == "general"
    # a reason word that names nothing of the previous turn is a question of its own
    follow = resolve_followup("why is the sky blue?", who, route, [], "general")
    assert follow is None or not follow.clauses or follow.how != "explain"


def test_a_correction_that_first_sets_a_value_aside() -> None:
    berlin = _turn("What time is it in Berlin?", "time", '{"timezone": "Europe/Berlin"}')
    assert _read("no not Berlin, Madrid", berlin) == ("What time is it in Madrid?", "time")
    assert _read("no, I meant Madrid", berlin) == ("What time is it in Madrid?", "time")


def test_make_that_a_language_is_a_new_value_make_it_funnier_an_edit() -> None:
    french = _turn("Translate 'goodbye' into French", "translator", "au revoir")
    query, target = _read("actually, make that Japanese", french)
    assert query == "Translate 'goodbye' into Japanese" and target == "translator"
    haiku = _turn("Write a haiku about rain", "general", "Soft rain on the roof")
    follow = resolve_followup("make it funnier", haiku, route)
    assert follow is not None and follow.how == "continue"


def test_a_time_of_day_replaces_a_time_of_day_with_its_place() -> None:
    six = _turn("Convert 6pm Berlin to Tokyo time", "time", "{}")
    assert _read("and 8pm?", six)[0] == "Convert 8pm Berlin to Tokyo time"
    three = _turn("What's 3pm Tokyo in London time?", "time", "{}")
    assert _read("no, I meant 3pm Sydney", three)[0] == "What's 3pm Sydney in London time?"
    assert _read("and 20?", _turn("Convert 10 km to miles", "units", "6.2 mi"))[0] == (
        "Convert 20 km to miles"
    )  # a number is no time of day


def test_the_other_way_round_after_how_many() -> None:
    kg = _turn("How many kg is 5 pounds?", "units", "5 lb = 2.27 kg")
    assert _read("and the other way around?", kg) == ("convert 5 kg to pounds", "units")
    inches = _turn("How many inches in 20 cm?", "units", "20 cm = 7.87 in")
    assert _read("other way round please", inches) == ("convert 20 inches to cm", "units")


def test_compare_that_with_asks_the_same_of_the_new_name() -> None:
    france = _turn("What's the capital of France?", "facts", "> Paris")
    assert _read("compare that with Italy", france) == ("What's the capital of Italy?", "facts")
    egypt = _turn("What continent is Egypt on?", "geography", "Africa")
    assert _read("how does that compare with Peru?", egypt)[0] == "What continent is Peru on?"


def test_a_place_after_a_filler_word_replaces_the_place() -> None:
    chicago = _turn("What time is it in Chicago?", "time", "{}")
    assert _read("ok, and over in Dubai?", chicago) == ("What time is it in Dubai?", "time")


def test_a_new_question_for_a_tool_after_an_expert_is_planned_alone() -> None:
    german = _turn("Translate 'thank you' into German", "translator", "danke")
    follow = resolve_followup("what's 100 fahrenheit in celsius?", german, route)
    assert follow is not None and not follow.clauses
    assert follow.request == "what's 100 fahrenheit in celsius?"
    # a fragment after the translator is still its own follow-up
    assert _read("and into Spanish?", german)[1] == "translator"


def test_a_repeated_question_with_a_new_value_is_a_follow_up_not_a_new_request() -> None:
    def converter(text: str) -> tuple[str, TargetKind, float]:  # routes anything to units
        return ("units", TargetKind.TOOL, 0.5)

    feet = _turn("How many feet in 3 metres?", "units", "3 m ≈ 9.84 ft")
    follow = resolve_followup("and how many in 7 metres?", feet, converter)
    assert follow is not None and follow.clauses[0][0] == "How many feet in 7 metres?"
    # a whole new question to the same tool is still planned as written
    follow = resolve_followup("and what is 5 kg in ounces?", feet, converter)
    assert follow is not None and not follow.clauses
    # so is a correction that says every value again
    miles = _turn("Convert 5 miles to km", "units", "5 mi = 8.04672 km")
    follow = resolve_followup("no sorry, 5 km to miles", miles, converter)
    assert follow is not None and not follow.clauses and follow.request == "5 km to miles"
