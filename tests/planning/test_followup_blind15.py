"""Follow-ups and declining found by the session-15 request sets, written before the follow-up
reader's code was read (benchmarks/planning/dev/blind15_conv.jsonl, blind15_decline.jsonl),
through the real Agent: the bundled facts base, the real calc and units MCP servers and a
general-purpose expert (a scripted chat model), each conversation a thread of its own.

* after a turn that was declined for live data, the user's own data or an act, a fragment
  that asks the same again ("and Apple's?") is declined too, however the rewrite reads; a
  whole request a specialist serves ("then work out 17 times 23") is planned alone;
* a follow-up that now asks for live data ("and the weather there right now?") is not sent
  back to the base that answered the turn before;
* "and in <unit>?" goes back to the converter, with the quantity first asked ("3 US
  gallons"); "the other way round" after "how many metres in a foot"; "and in 5?" after
  "grams in a pound" is 5 pounds;
* a topic of its own after a tool's answer ("what about the speed of sound?") is a new
  question, not a value for the tool;
* a place named by known words run together ("Port Ashgrove") is declined, not handed to the
  catch-all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from general_agent import REPLY, general_agent

from agentroute import Agent, TurnResult


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with general_agent(tmp_path_factory.mktemp("kb")) as built:
        yield built


def converse(agent: Agent, *turns: str) -> TurnResult:
    """Every turn in one new thread; the last turn's result."""
    thread = uuid.uuid4().hex[:12]
    for earlier in turns[:-1]:
        agent.run(earlier, thread=thread)
    return agent.run(turns[-1], thread=thread)


@pytest.mark.parametrize(
    "turns",
    [
        ("What's Tesla's stock price?", "and Apple's?"),
        ("How much is in my savings account?", "and in my checking?"),
        ("What is the capital of France?", "and what's the weather like there right now?"),
        ("Who invented the telephone?", "ok, book me a table for two there tonight"),
    ],
)
def test_a_follow_up_needing_what_no_target_offers_is_declined(
    agent: Agent, turns: tuple[str, ...]
) -> None:
    result = converse(agent, *turns)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert REPLY not in result.answer


def test_a_whole_request_after_a_declined_turn_is_planned_alone(agent: Agent) -> None:
    result = converse(agent, "Order me a pizza", "then work out 17 times 23")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "391" in result.answer


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("How many litres is 3 US gallons?", "and in millilitres?"), "11356.2"),
        (("How many metres in a foot?", "and the other way round?"), "3.28"),
        (("How many grams in a pound?", "and in 5?"), "2267.96"),
    ],
)
def test_a_unit_follow_up_goes_back_to_the_converter(
    agent: Agent, turns: tuple[str, ...], answer: str
) -> None:
    result = converse(agent, *turns)
    assert [s.target for s in result.steps] == ["units.convert"], result.answer
    assert answer in result.answer


def test_a_topic_of_its_own_after_a_tool_is_a_new_question(agent: Agent) -> None:
    result = converse(agent, "Convert 10 km to miles", "what about the speed of sound?")
    assert [s.target for s in result.steps] == ["facts"]
    assert "343" in result.answer


@pytest.mark.parametrize(
    "request_text",
    ["how many people live in Port Ashgrove", "what is the capital of Stonemarsh"],
)
def test_a_place_made_of_words_run_together_is_declined(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert result.steps == [], [s.target for s in result.steps]
    assert result.unmatched == [request_text]
