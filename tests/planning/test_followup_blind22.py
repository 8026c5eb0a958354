"""Follow-ups found by the session-22 thread set, written before the code was read
(benchmarks/planning/dev/blind22_conv.jsonl).

* a follow-up asking for a unit of another measure ("and in feet?" after a temperature) is
  declined with the reason, not sent to a tool that fails;
* after a declined turn, "there" is the place it named, and a message for the act declined
  ("say i'm sick" after "send an email to my boss") is declined with it;
* an attribute alone ("capital?", "and the capital?") is of the thing the last question was
  about, however it named it ("what currency does brazil use");
* after a turn of two parts, a place goes on with the part that names one and a bare number
  with the part that has one;
* a thread begun in French, German or Spanish reaches the tool it asks for, follow-ups too.

The reader's logic runs with a small keyword router (as tests/planning/test_followup.py);
the last tests run the real Agent (calc, units and the official time server, a scripted
general expert).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from general_agent import multi_part_agent

from agentroute import Agent, TurnResult
from agentroute.planning._dimensions import mismatched
from agentroute.planning._followup import resolve_followup
from agentroute.planning._foreign import in_english
from agentroute.types import PriorStep, PriorTurn, TargetKind

KINDS = {
    "calc": TargetKind.TOOL,
    "units": TargetKind.TOOL,
    "clock": TargetKind.TOOL,
    "atlas": TargetKind.KNOWLEDGE,
    "linguist": TargetKind.EXPERT,
}
WORDS = {
    "calc": ("squared", "times", "*"),
    "units": ("convert", "celsius", "fahrenheit", " kg", "pounds", "miles", "km"),
    "clock": ("time",),
    "atlas": ("capital", "currency", "language"),
    "linguist": ("translate", "say"),
}


def route(text: str) -> tuple[str, TargetKind, float] | None:
    lower = f" {text.lower()}"
    for name, words in WORDS.items():
        if any(w in lower for w in words):
            return name, KINDS[name], 0.6
    return None


def step(query: str, target: str, result: str) -> PriorStep:
    return PriorStep(query=query, target=target, kind=KINDS[target], ok=True, result=result)


def turn(request: str, *steps: PriorStep) -> PriorTurn:
    return PriorTurn(request=request, steps=list(steps), answer="")


DECLINED_EMAIL = PriorTurn(request="send an email to my boss", steps=[], answer="")
DECLINED_FLIGHT = PriorTurn(request="book me a flight to rome", steps=[], answer="")


@pytest.mark.parametrize(
    ("previous", "result", "followup"),
    [
        ("30 celsius to fahrenheit", "30 °C = 86 °F", "and in feet?"),
        ("how many grams in 2 pounds", "2 lb = 907.18474 g", "and in litres?"),
        ("5 miles in km", "5 mi = 8.04672 km", "in kg?"),
    ],
)
def test_a_unit_of_another_measure_is_declined(previous: str, result: str, followup: str) -> None:
    follow = resolve_followup(followup, turn(previous, step(previous, "units", result)), route)
    assert follow is not None and follow.declined and not follow.clauses
    assert "no conversion" in follow.declined


@pytest.mark.parametrize(
    ("previous", "followup", "unit"),
    [
        ("how many minutes in 3 days", "in hours?", "hours"),
        ("60 miles per hour in km/h", "and in mph?", "mph"),
        ("30 celsius to fahrenheit", "kelvin?", "kelvin"),
    ],
)
def test_a_unit_of_the_same_measure_converts(previous: str, followup: str, unit: str) -> None:
    follow = resolve_followup(followup, turn(previous, step(previous, "units", "")), route)
    assert follow is not None and not follow.declined
    assert follow.clauses and unit in follow.clauses[0][0]


def test_measures_are_data() -> None:
    assert mismatched("30 celsius", "feet") == ("temperature", "length")
    assert mismatched("8849 metres", "feet") is None
    assert mismatched("60 miles", "km/h", "60 miles per hour in km/h") is None


def test_there_after_a_declined_turn_is_the_place_it_named() -> None:
    follow = resolve_followup("ok then what time is it there", DECLINED_FLIGHT, route)
    assert follow is not None and follow.request == "what time is it in Rome"


def test_the_message_of_a_declined_act_is_declined_with_it() -> None:
    follow = resolve_followup("say i'm sick", DECLINED_EMAIL, route)
    assert follow is not None and follow.declined


@pytest.mark.parametrize(
    ("previous", "followup", "asked"),
    [
        ("what currency does brazil use", "ok and the capital?", "the capital of Brazil"),
        ("what language do they speak in austria", "capital?", "the capital of austria"),
    ],
)
def test_an_attribute_alone_is_of_the_last_questions_subject(
    previous: str, followup: str, asked: str
) -> None:
    follow = resolve_followup(followup, turn(previous, step(previous, "atlas", "")), route)
    assert follow is not None and follow.clauses
    assert follow.clauses[0][0] == asked


def test_a_place_goes_on_with_the_part_that_names_one() -> None:
    last = turn(
        "capital of italy and 30 f in c",
        step("capital of italy", "atlas", "Rome is the capital of Italy."),
        step("30 f in c", "units", "30 °F ≈ -1.1 °C"),
    )
    follow = resolve_followup("and of spain?", last, route)
    assert follow is not None and follow.clauses
    assert follow.clauses[0][0].lower() == "capital of spain"


def test_a_bare_number_goes_on_with_the_part_that_has_one() -> None:
    last = turn(
        "what's 15 squared and what time is it in tokyo",
        step("what's 15 squared", "calc", "15 ** 2 = 225"),
        step("what time is it in tokyo", "clock", '{"timezone": "Asia/Tokyo"}'),
    )
    follow = resolve_followup("and 16?", last, route)
    assert follow is not None and follow.clauses
    assert follow.clauses[0][0] == "what's 16 squared"


@pytest.mark.parametrize(
    ("said", "english"),
    [
        ("Quelle heure est-il à Tokyo ?", "what time is it in Tokyo?"),
        ("et à Londres ?", "and in London?"),
        ("wie spät ist es in new york", "what time is it in new york"),
        ("¿y de Alemania?", "and of Germany?"),
        ("comment dit-on merci en allemand", "how do you say merci in German"),
        ("und tee?", "und tee?"),  # a word of the language, not a name: the expert's
        ("quelle est la meilleure façon d'apprendre le piano", None),
    ],
)
def test_a_known_foreign_opening_reads_in_english(said: str, english: str | None) -> None:
    assert in_english(said) == (english or said)


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with multi_part_agent(tmp_path_factory.mktemp("kb")) as built:
        yield built


def converse(agent: Agent, *turns: str) -> TurnResult:
    thread = uuid.uuid4().hex[:12]
    for earlier in turns[:-1]:
        agent.run(earlier, thread=thread)
    return agent.run(turns[-1], thread=thread)


def test_agent_declines_feet_after_a_temperature(agent: Agent) -> None:
    result = converse(agent, "30 celsius to fahrenheit", "and in feet?")
    assert result.steps == []
    assert "no conversion turns one into the other" in result.answer


def test_agent_follows_a_thread_begun_in_french(agent: Agent) -> None:
    result = converse(agent, "Quelle heure est-il à Tokyo ?", "et à Londres ?")
    assert [s.target for s in result.steps] == ["time.get_current_time"]
    assert "Europe/London" in result.answer


def test_agent_goes_on_with_the_part_a_number_fits(agent: Agent) -> None:
    result = converse(agent, "what's 15 squared and what time is it in tokyo", "and 16?")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "256" in result.answer
