"""Multi-part requests as people chain them, found by a request set written before the
planner's code was read (benchmarks/planning/dev/blind22_multi.jsonl), through the real
Agent: the bundled facts base and geography graph, the real calc and units MCP servers, the
official time server and a general-purpose expert (a scripted chat model).

* a list marked "1-", "2-" and parts set in parentheses are parts of their own;
* several requests joined by "and", "plus" or "+" are each planned, "there" taking the
  place the part before it found;
* a question written on after one that opens with the same words is asked apart;
* one question asked of each thing of a list is one step per thing;
* a lead-in that only says a question follows is no part;
* a sum over a range, and numbers in words of one scale joined by "and", are computed;
* the capital a part found gives its time zone to "the time there".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent

from .general_agent import multi_part_agent


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    with multi_part_agent(Path(tmp_path_factory.mktemp("kb"))) as built:
        yield built


def targets(result: object) -> list[str]:
    return [s.target for s in result.steps]  # type: ignore[attr-defined]


def test_marked_and_parenthesised_parts(agent: Agent) -> None:
    marked = agent.run("1- whats 9 times 9\n2- whats the capital of Nepal")
    assert sorted(targets(marked)) == ["calc.calculate", "geography"], marked.trace
    assert "81" in marked.answer and "Kathmandu" in marked.answer
    assert "-80" not in marked.answer  # the mark is no minus sign

    aside = agent.run("convert 10 km to miles (and 20 km too)")
    assert targets(aside) == ["units.convert", "units.convert"], aside.trace
    assert "6.21" in aside.answer and "12.42" in aside.answer

    then = agent.run("tell me 17 x 4 (then add 12 to the answer)")
    assert targets(then) == ["calc.calculate", "calc.calculate"], then.trace
    assert "68" in then.answer and "80" in then.answer


def test_requests_joined_by_plus_each_planned(agent: Agent) -> None:
    result = agent.run("the capital of Germany + the time there + 5 km in miles")
    assert targets(result) == ["geography", "time.get_current_time", "units.convert"]
    assert "Europe/Berlin" in result.answer and "3.10" in result.answer

    three = agent.run("time in mexico city plus capital of mexico plus 8 times 8")
    assert sorted(targets(three)) == ["calc.calculate", "geography", "time.get_current_time"]
    assert "America/Mexico_City" in three.answer and "64" in three.answer


def test_questions_written_on_and_asked_of_each(agent: Agent) -> None:
    glued = agent.run("what is 7 times 8 what is the capital of peru")
    assert sorted(targets(glued)) == ["calc.calculate", "geography"], glued.trace
    assert "56" in glued.answer and "Lima" in glued.answer

    each = agent.run("who invented the telephone, the light bulb, the radio and dynamite?")
    assert targets(each) == ["facts"] * 4, each.trace
    for name in ("Bell", "Edison", "Marconi", "Nobel"):
        assert name in each.answer


def test_lead_in_ranges_and_spoken_numbers(agent: Agent) -> None:
    quiz = agent.run(
        "quick question for a pub quiz - who first walked on the moon and what's the tallest"
        " mountain in the world"
    )
    assert targets(quiz) == ["facts", "facts"], quiz.trace
    assert "Armstrong" in quiz.answer and "Everest" in quiz.answer

    summed = agent.run("sum of 1 to 100, and the capital of Italy")
    assert "5050" in summed.answer and "Rome" in summed.answer

    spoken = agent.run("add three hundred and two hundred, then halve it")
    assert targets(spoken) == ["calc.calculate", "calc.calculate"], spoken.trace
    assert "500" in spoken.answer and "250" in spoken.answer


def test_the_time_in_a_capital_without_a_zone_of_its_name(agent: Agent) -> None:
    result = agent.run("first the capital of Switzerland, afterwards the time in Bern")
    assert targets(result) == ["geography", "time.get_current_time"], result.trace
    assert "Europe/Zurich" in result.answer
