"""Multi-part requests as people write them, found by a request set written before the
planner's code was read (benchmarks/planning/dev/blind14_multi.jsonl), through the real Agent:
the bundled facts base and geography graph, the real calc and units MCP servers, the official
time server, and a general-purpose expert (a scripted chat model).

* parts written on without punctuation or a joining word ("time in tokyo who invented the
  radio") are split where routing is confident on both sides; a word problem stays whole;
* words that only set the scene ("Hello, I'd love some help.") are no part;
* a whole calculation never takes the operation or the numbers of the part before it
  ("sqrt of 625; 11 times 11" asks no root of 11);
* numbers said in words reach the calculator and the converter as numbers.
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
        (
            "time in tokyo who invented the radio",
            ["time.get_current_time", "facts"],
            ["Asia/Tokyo", "Marconi"],
        ),
        (
            "convert 5km to miles whats 15 percent of 80",
            ["units.convert", "calc.calculate"],
            ["3.10", "12"],
        ),
        (
            "who was gregor mendel what did faraday discover",
            ["facts", "facts"],
            ["heredity", "induction"],
        ),
    ],
)
def test_parts_written_on_without_punctuation_are_split(
    agent: Agent, request_text: str, targets: list[str], answers: list[str]
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == targets, result.answer
    for answer in answers:
        assert answer in result.answer, result.answer


@pytest.mark.parametrize(
    "request_text",
    [
        "price was 80 now its 100 whats the percent increase",
        "if I save 250 a week how much will I have after 12 weeks",
        "when it's noon in London what time is it in Sydney?",
        "tell me what the capital of Kenya is",
    ],
)
def test_one_ask_with_a_question_word_inside_stays_one_part(
    agent: Agent, request_text: str
) -> None:
    result = agent.run(request_text)
    assert len(result.steps) == 1, result.answer


def test_words_that_only_set_the_scene_are_no_part(agent: Agent) -> None:
    result = agent.run(
        "Hello, I'd love some help. Could you write a short thank-you note to my neighbour "
        "and tell me the capital of Portugal?"
    )
    assert [s.target for s in result.steps] == ["general", "geography"], result.answer
    assert "Lisbon" in result.answer
    greeted = agent.run("Good morning! what's 12 times 12")
    assert [s.target for s in greeted.steps] == ["calc.calculate"], greeted.answer
    assert "144" in greeted.answer
    # a short part that refers back is an ask, however little it says
    cubed = agent.run("What's the atomic number of iron? Cube it.")
    assert [s.target for s in cubed.steps] == ["facts", "calc.calculate"], cubed.answer


@pytest.mark.parametrize(
    ("request_text", "answers", "never"),
    [
        ("sqrt of 625; 11 times 11; 365*24", ["25", "121", "8760"], "sqrt(11)"),
        ("20% off a 60 dollar jacket then 7% tax on 120", ["48", "8.4"], "-12.84"),
        (
            "45 plus an 18% tip, and the time in london please",
            ["53.1", "Europe/London"],
            "45 plus the time",
        ),
    ],
)
def test_a_whole_calculation_takes_nothing_of_the_part_before(
    agent: Agent, request_text: str, answers: list[str], never: str
) -> None:
    result = agent.run(request_text)
    assert all(s.ok for s in result.steps), result.answer
    for answer in answers:
        assert answer in result.answer, result.answer
    assert never not in result.answer


@pytest.mark.parametrize(
    ("request_text", "target", "answer"),
    [
        ("what is seven percent of two hundred", "calc.calculate", "14"),
        ("a hundred kmh in mph", "units.convert", "62.13"),
        ("what is half a mile in meters", "units.convert", "804.67"),
    ],
)
def test_numbers_in_words_reach_the_tool_that_computes(
    agent: Agent, request_text: str, target: str, answer: str
) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == [target], result.answer
    assert answer in result.answer, result.answer
