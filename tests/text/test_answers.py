"""What a question asks for, read from the sentence that answers it."""

from __future__ import annotations

import pytest

from agentroute.text import answer_in, value_for

WATER = (
    "At standard pressure pure water freezes at 0 degrees Celsius and boils at 100 degrees "
    "Celsius (212 degrees Fahrenheit)."
)


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("boiling point of water?", WATER, "100 degrees Celsius"),
        ("What is the freezing point of water?", WATER, "0 degrees Celsius"),
        ("How hot must water get to boil, in Fahrenheit?", WATER, "212 degrees Fahrenheit"),
        ("When did Bell get his patent?", "Bell received the patent in 1876.", "1876"),
        ("How tall is Everest?", "Everest is 8,849 metres high.", "8849 metres"),
        ("Who wrote Hamlet?", "Hamlet is a tragedy by William Shakespeare.", "William Shakespeare"),
        ("Which planet is the largest?", "The largest planet is Jupiter.", "Jupiter"),
    ],
)
def test_answer_in_reads_the_quantity_or_entity(question: str, sentence: str, answer: str) -> None:
    found = answer_in(question, sentence)
    assert found is not None and found.text == answer


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("What is photosynthesis?", "Photosynthesis is how Plants make food from Light."),
        ("Tell me about Paris", "Paris lies on the Seine."),
        ("How tall is Everest?", "Everest is the highest mountain on Earth."),
    ],
)
def test_answer_in_is_none_when_not_asked_or_not_stated(question: str, sentence: str) -> None:
    assert answer_in(question, sentence) is None


def test_a_quantity_answer_goes_on_bare_to_arithmetic_and_whole_to_a_conversion() -> None:
    data = {"answer": "100 degrees Celsius", "value": "100", "unit": "degrees Celsius"}
    convert = "what is {{s1}} in Fahrenheit?"
    at = convert.index("}}") + 2
    assert value_for(convert, at, "passage", data, takes_text=False) == "100 degrees Celsius"
    double = "multiply {{s1}} by 2"
    at = double.index("}}") + 2
    assert value_for(double, at, "passage", data, takes_text=False) == "100"
    assert value_for(double, at, "passage", data, takes_text=True) == "100 degrees Celsius"


def test_a_later_step_asking_how_much_takes_the_quantity_from_the_answering_sentence() -> None:
    data = {
        "answer": "Danube",
        "sentence": "The Danube is Europe's second-longest river, about 2,850 kilometres long.",
    }
    query = "how long is {{s1}} in miles?"
    at = query.index("}}") + 2
    assert value_for(query, at, "passage", data, takes_text=False) == "2850 kilometres"
    assert value_for(query, at, "passage", data, takes_text=True) == "Danube"
    weather = "what's the temperature in {{s1}} today?"  # names a quantity, wants the place
    at = weather.index("}}") + 2
    assert value_for(weather, at, "passage", data, takes_text=False) == "Danube"


def test_a_passage_found_without_a_question_gives_its_sentence_s_quantity() -> None:
    """ "Look up standard gravity and multiply it by 75": no quantity was asked, so the number
    is the answering sentence's, not the "[1]" that numbers the quoted passages."""
    passage = "Passages retrieved from knowledge base 'facts':\n[1] Gravity (similarity 0.65)\n> ..."
    data = {"sentence": "Standard gravity, g, is defined as exactly 9.80665 metres per second."}
    query = "multiply {{s1}} by 75"
    at = query.index("}}") + 2
    assert value_for(query, at, passage, data, takes_text=False) == "9.80665"
    assert value_for(query, at, passage, None, takes_text=False) == "1"  # without it: the list's


def test_an_operation_said_after_the_number_takes_it_bare() -> None:
    query = "what is {{s1}} doubled?"
    at = query.index("}}") + 2
    assert value_for(query, at, "1 kg ≈ 35.27 oz", None, takes_text=False) == "35.27"
