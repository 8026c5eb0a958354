"""The same request written another way plans the same, through the real Agent (found by the
metamorphic rewrites of benchmarks/_rewrites.py over the planning train and dev requests):
the bundled facts base and geography graph, the real calc and units MCP servers, the official
time server and a general-purpose expert (a scripted chat model).

* a request shouted in capitals, wrapped in manners ("quick q:", "could you tell me", "...
  thanks!") or with its end marks doubled asks what it asks plainly;
* a slip in a small word ("tht", "teh result") and a result named without its noun ("the
  above", "what you got") still point back at the part before;
* parts written without their full stops are cut where a capitalised word opens a new one.
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


@pytest.mark.parametrize(
    ("request_text", "targets", "answers"),
    [
        ("IS 221 PRIME? ALSO WHO DISCOVERED PENICILLIN", ["calc.calculate", "facts"], ["Fleming"]),
        ("HOW MANY OUNSES IN A POUND", ["units.convert"], ["16"]),
        ("quick q: what's 48 times 52? thanks!", ["calc.calculate"], ["2496"]),
        (
            "quick q: what time is it in berlin plus whats 3 to the power of 5",
            ["time.get_current_time", "calc.calculate"],
            ["Europe/Berlin", "243"],
        ),
        ("gold atomic number, times 2 thanks!", ["facts", "calc.calculate"], ["158"]),
        ("I need to know how many km are 5 miles pls", ["units.convert"], ["8.04"]),
        ("Hi! Time in Tokyo. Thanks in advance.", ["time.get_current_time"], ["Asia/Tokyo"]),
        ("Is it night in Auckland right now??", ["time.get_current_time"], ["Pacific/Auckland"]),
    ],
)
def test_manners_and_capitals_change_no_plan(
    agent: Agent, request_text: str, targets: list[str], answers: list[str]
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == targets, result.answer
    for answer in answers:
        assert answer in result.answer, result.answer


@pytest.mark.parametrize(
    ("request_text", "targets", "answer"),
    [
        (
            "How many km are 5 miles? Then multiply the above by 2.",
            ["units.convert", "calc.calculate"],
            "16.09",
        ),
        ("What is 15% of 240? Add tht to 240.", ["calc.calculate", "calc.calculate"], "276"),
        (
            "Convert 30 C to F, then subtract 32 from teh result.",
            ["units.convert", "calc.calculate"],
            "54",
        ),
        ("What's 2 * 4; then square what you got.", ["calc.calculate", "calc.calculate"], "64"),
    ],
)
def test_other_words_for_the_result_still_point_back(
    agent: Agent, request_text: str, targets: list[str], answer: str
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == targets, result.answer
    # the earlier result flowed in: the answer is the second step's on the first one's value
    assert answer in result.answer, result.answer


@pytest.mark.parametrize(
    ("request_text", "targets", "answers"),
    [
        ("What is 15% of 240 Add that to 240", ["calc.calculate", "calc.calculate"], ["276"]),
        (
            "Who invented the steam engine And the telescope And the airplane",
            ["facts", "facts", "facts"],
            ["Newcomen", "Lipperhey", "Wright"],
        ),
    ],
)
def test_a_capitalised_opener_starts_a_part_without_its_full_stop(
    agent: Agent, request_text: str, targets: list[str], answers: list[str]
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == targets, result.answer
    for answer in answers:
        assert answer in result.answer, result.answer


def test_a_capital_after_a_capital_is_a_title_not_a_part(agent: Agent) -> None:
    result = agent.run("Who wrote Gone With The Wind")
    assert len(result.steps) == 1, result.answer
