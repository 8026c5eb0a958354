"""Follow-ups and declining found by the session-16 request sets, written before the code was
read (benchmarks/planning/dev/blind16_conv.jsonl, blind16_decline.jsonl), through the real
Agent: the bundled facts base (and geography graph), the real calc and units MCP servers, the
official time server and a general-purpose expert (a scripted chat model), each conversation
a thread of its own.

* "and Google?" after "What's Microsoft trading at?" was declined is the same question of the
  name after the question's own first word, declined again (not handed to the catch-all);
* "same but for Tokyo" after a conversion of a time between two places puts the place in;
* "the other direction" swaps the units; "now include 21 too" adds to the list averaged;
* "now tell me a joke" after arithmetic, "how about a poem about the sea" after a listing:
  a request of its own for another target, not a value for the previous one;
* what will happen ("who will win the next election", "who wins the 2030 World Cup") is
  declined: nothing holds it yet and the catch-all could only guess;
* what only a country has, asked of a country no one knows and made of plain words ("the
  currency of the Maple Isles"), is declined; a real one of several words is not.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from general_agent import REPLY, general_agent, multi_part_agent

from agentroute import Agent, TurnResult


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with general_agent(tmp_path_factory.mktemp("kb")) as built:
        yield built


@pytest.fixture(scope="module")
def timed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with multi_part_agent(tmp_path_factory.mktemp("kb-time")) as built:
        yield built


def converse(agent: Agent, *turns: str) -> TurnResult:
    """Every turn in one new thread; the last turn's result."""
    thread = uuid.uuid4().hex[:12]
    for earlier in turns[:-1]:
        agent.run(earlier, thread=thread)
    return agent.run(turns[-1], thread=thread)


def test_a_name_after_a_declined_question_is_declined_too(timed: Agent) -> None:
    first = converse(timed, "What's Microsoft trading at?")
    assert first.steps == []
    result = converse(timed, "What's Microsoft trading at?", "and Google?")
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    read = " ".join(str(e.data) for e in result.trace if e.node == "plan")
    assert "s Google trading at" in read  # the question asked again, of the new name
    assert REPLY not in result.answer


def test_same_but_for_a_place_puts_the_place_in(timed: Agent) -> None:
    result = converse(timed, "Convert 9:00 London time to New York time", "same but for Tokyo")
    assert [s.target for s in result.steps] == ["time.convert_time"]
    assert "Tokyo" in result.steps[0].query and "New York" not in result.steps[0].query
    assert "Asia/Tokyo" in result.answer


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("how many km is 10 miles", "the other direction"), "6.21"),
        (("average of 4, 8 and 15", "now include 21 too"), "= 12"),
        (("average of 4, 8 and 15", "append 21"), "= 12"),
        (("average of 4, 8 and 15", "add 5 to it"), "= 14"),  # the result plus 5
    ],
)
def test_a_follow_up_re_asks_with_what_it_changes(
    agent: Agent, turns: tuple[str, ...], answer: str
) -> None:
    result = converse(agent, *turns)
    assert len(result.steps) == 1 and result.steps[0].target != "general", result.answer
    assert answer in result.answer


@pytest.mark.parametrize(
    "turns",
    [
        ("what's 3 + 4", "now tell me a joke"),
        ("Convert 5 miles to km", "how about a poem about the sea"),
    ],
)
def test_a_request_of_its_own_after_an_opener_is_planned_alone(
    agent: Agent, turns: tuple[str, ...]
) -> None:
    result = converse(agent, *turns)
    assert [s.target for s in result.steps] == ["general"]
    assert result.steps[0].query.split()[0] in ("tell", "a")  # nothing of the previous turn


@pytest.mark.parametrize(
    "turns",
    [
        ("who will win the next US presidential election",),
        ("who wins the 2030 World Cup",),
        ("will it snow in London on Christmas day this year",),
        ("What's the capital of France?", "and who will win their next election?"),
    ],
)
def test_what_will_happen_is_declined(agent: Agent, turns: tuple[str, ...]) -> None:
    result = converse(agent, *turns)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert REPLY not in result.answer


def test_a_country_no_one_knows_is_declined(agent: Agent) -> None:
    result = agent.run("What currency do they use in the Maple Isles?")
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    real = agent.run("What currency does New Zealand use?")
    assert real.steps, real.answer


@pytest.mark.parametrize(
    "question",
    [
        "Who is the president of Harvard University?",
        "What does the flag of the Boy Scouts look like?",
        "What currency does the Federal Reserve issue?",
    ],
)
def test_what_other_things_have_too_is_not_a_made_up_country(agent: Agent, question: str) -> None:
    # a president, a flag, a currency issued: not asked of a country, so not declined as one
    result = agent.run(question)
    assert result.steps, result.answer
