"""Follow-ups and declining found by the session-17 request sets, written before the code was
read (benchmarks/planning/dev/blind17_conv.jsonl, blind17_decline.jsonl), through the real
Agent: the bundled facts base and geography graph, the real calc and units MCP servers, the
official time server and a general-purpose expert (a scripted chat model), each conversation
a thread of its own.

* "same for 5 and 20" after a conversion asks it again for each value;
* "in metric please" gives the previous answer in that system's usual unit;
* "and the other one, Lisbon?" is the question again, of the name after the pointer;
* "now the speed of light" after a question to the geography graph is a topic of its own;
* an act no target performs ("text it to my wife") is declined, not read as the previous
  request; "the rent times 12" after a table computes with the rent's number;
* software no one has ("the <made-up> command") and a state named by its title and plain
  words ("the Empire of Glass") are declined; a standard module and a real empire are not.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from general_agent import REPLY, multi_part_agent

from agentroute import Agent, TurnResult
from agentroute.planning._followup import resolve_followup
from agentroute.types import PriorStep, PriorTurn, TargetKind


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with multi_part_agent(tmp_path_factory.mktemp("kb")) as built:
        yield built


def converse(agent: Agent, *turns: str) -> TurnResult:
    """Every turn in one new thread; the last turn's result."""
    thread = uuid.uuid4().hex[:12]
    for earlier in turns[:-1]:
        agent.run(earlier, thread=thread)
    return agent.run(turns[-1], thread=thread)


def test_same_for_two_values_asks_for_each(agent: Agent) -> None:
    result = converse(agent, "Convert 10 miles to km", "same for 5 and 20")
    assert [s.target for s in result.steps] == ["units.convert", "units.convert"]
    assert "8.04672" in result.answer and "32.18688" in result.answer


def test_in_metric_gives_the_systems_unit(agent: Agent) -> None:
    result = converse(agent, "How many pounds is 11 stone?", "in metric please")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "kg" in result.answer and "69.85" in result.answer


def test_the_other_one_names_the_new_value(agent: Agent) -> None:
    result = converse(agent, "What time is it in Tokyo?", "and the other one, Lisbon?")
    assert [s.target for s in result.steps] == ["time.get_current_time"]
    assert "Europe/Lisbon" in result.answer


def test_a_topic_another_base_holds_is_asked_alone(agent: Agent) -> None:
    result = converse(agent, "What is the currency of Japan?", "now the speed of light please")
    assert [s.target for s in result.steps] == ["facts"], result.answer
    assert "Japan" not in result.steps[0].query
    assert "299,792,458" in result.answer


def test_an_act_after_a_result_is_declined(agent: Agent) -> None:
    result = converse(agent, "what's 3 + 4", "text it to my wife")
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert REPLY not in result.answer


@pytest.mark.parametrize(
    ("made_up", "real"),
    [
        (
            "what options does the flarnish command take",
            "what does the python module itertools do",
        ),
        ("When did the Empire of Glass fall?", "When did the Roman Empire fall?"),
    ],
)
def test_made_up_software_and_states_are_declined(agent: Agent, made_up: str, real: str) -> None:
    declined = agent.run(made_up)
    assert declined.steps == [], [(s.target, s.query) for s in declined.steps]
    answered = agent.run(real)
    assert [s.target for s in answered.steps] == ["general"], answered.answer


@pytest.mark.parametrize(
    "request_text",
    ["how do I use the ripgrep command", "what is the npm package lodash used for"],
)
def test_software_this_machine_lacks_reaches_the_general_expert(
    agent: Agent, request_text: str
) -> None:
    """ripgrep's program is ``rg`` and lodash is no Python distribution, so this machine has
    neither by those names; Debian packages both, so they are real, not made up."""
    answered = agent.run(request_text)
    assert [s.target for s in answered.steps] == ["general"], answered.answer


def test_a_word_the_previous_table_gives_a_number_is_that_number() -> None:
    """ "what's the rent times 12?" after a table was read: the rent's number is computed with
    (read without an agent: the reader alone, its router one that serves nothing)."""
    table = "item,amount\nrent,1200\nfood,450\n"
    step = PriorStep(
        query="read data/budget.csv",
        target="filesystem.read_text_file",
        kind=TargetKind.TOOL,
        ok=True,
        result=table,
    )
    last = PriorTurn(request="read data/budget.csv", steps=[step], answer=table)
    follow = resolve_followup("what's the rent times 12?", last, lambda _text: None)
    assert follow is not None and "1200 times 12" in follow.request
    kept = resolve_followup("what's the deposit times 12?", last, lambda _text: None)
    assert kept is None or "1200" not in kept.request
