"""Of a sentence that states several quantities, the one of the kind the question names
(agentroute/text/_answers.py, answers.json "unit_kinds"), and the earlier question deciding
the value that flows into a later step (agentroute/text/_results.py ``value_for(asked=)``)."""

from __future__ import annotations

import pytest

from agentroute.text import answer_in, value_for

SOUND = "The speed of sound in dry air at 20 degrees Celsius is about 343 metres per second."
WATER = (
    "At standard atmospheric pressure pure water freezes at 0 degrees Celsius and boils at 100"
    " degrees Celsius (212 degrees Fahrenheit)."
)


def test_the_quantity_of_the_kind_asked_for() -> None:
    found = answer_in("What's the speed of sound in air?", SOUND)
    assert found is not None and (found.number, found.unit) == ("343", "metres per second")


def test_a_temperature_asked_for_is_still_the_temperature() -> None:
    found = answer_in("What is the temperature of the air when sound travels at that speed?", SOUND)
    assert found is not None and found.number == "20"
    boiling = answer_in("At what temperature does water boil?", WATER)
    assert boiling is not None and boiling.number == "100"


def test_a_question_naming_no_kind_is_read_as_before() -> None:
    found = answer_in("How much is it?", SOUND)
    assert found is not None and found.number == "20"  # the first, as without kinds


def test_the_earlier_question_picks_the_value_that_flows() -> None:
    query = "Convert {{s1}} to km/h"
    data = {"sentence": SOUND}
    at = query.index("}}") + 2
    taken = value_for(
        query, at, SOUND, data, takes_text=False, asked="What's the speed of sound in air?"
    )
    assert taken == "343 metres per second"
    # without the earlier question: the sentence's first number, as before
    assert value_for(query, at, SOUND, data, takes_text=False).startswith("20")
    # a target that takes text still gets the whole result
    assert value_for(query, at, SOUND, data, takes_text=True, asked="speed of sound?") == SOUND


def test_adding_up_base_answers_takes_the_asked_quantity_not_every_number() -> None:
    sentence = (
        "Hydrogen (symbol H, atomic number 1) is the lightest and most abundant chemical"
        " element in the universe."
    )
    query = "Add {{s1}} and {{s2}} together"
    at = query.index("}}") + 2
    taken = value_for(
        query,
        at,
        f"{sentence}\n[2] another passage, 118 elements",
        {"sentence": sentence},
        takes_text=False,
        asked="What are the atomic numbers of hydrogen?",
    )
    assert taken == "1"


SOUND_AND_WATER = (
    "The speed of sound in dry air at 20 degrees Celsius is about 343 metres per second. "
    "Sound travels faster in water (about 1,480 metres per second) and faster still in steel."
)


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("speed of sound in m/s", "343"),  # "at 20 degrees Celsius" qualifies the 343
        ("What is the speed of sound?", "343"),
        ("speed of sound in water", "1480"),  # the words before the other number decide
    ],
)
def test_a_number_of_another_kind_leaves_its_words_to_the_next(question: str, number: str) -> None:
    found = answer_in(question, SOUND_AND_WATER)
    assert found is not None and found.number == number
