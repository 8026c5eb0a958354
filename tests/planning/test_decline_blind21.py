"""Declining found by the session-21 request set, written before the code was read
(benchmarks/planning/dev/blind21_decline.jsonl), through the real Agent: the bundled facts
base, the real calc and units MCP servers, a coding specialist and a general-purpose expert
(scripted chat models), so each test sees whether a request was declined or served.

Measured before: made-up people, companies and products with a real given name or kind beside
a coined word ("Ingrid Falkenmoor", "Quantaflux Industries"), made-up elements in lower case
("zentronium"), a verdict of taste ("is Python better than Go"), what will happen ("when will
humans land on Mars", "the top song next Christmas") and "our" meeting went to the general
expert, which would invent an answer; a method a real Python type or module lacks
("str.unfurl()", "numpy.wobble") went to the coder, which would explain it as if it existed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from general_agent import REPLY, general_agent

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.testing import FunctionChatModel

CODER = "CODER-REPLY"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    coder = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: CODER),
        TargetDescriptor(
            name="coder",
            kind=TargetKind.EXPERT,
            description="Programming specialist: writes, reviews and explains code in Python, "
            "JavaScript, SQL, shell and regular expressions; explains error messages.",
            domains=["programming", "code", "software"],
            examples=["Write a Python function that reverses a linked list"],
        ),
    )
    with general_agent(tmp_path_factory.mktemp("kb"), bases=[coder]) as built:
        yield built


@pytest.mark.parametrize(
    "request_text",
    [
        "who is Ingrid Falkenmoor",
        "who founded Quantaflux Industries",
        "how much does the Glimmerdeck Pro laptop weigh",
        "what's the chemical symbol for zentronium",
        "is Python better than Go",
        "who is the greatest footballer of all time",
        "when will humans land on Mars",
        "what will be the top song on the charts next Christmas",
        "when is our meeting",
        "what does Python's str.unfurl() method do",
        "what does numpy.wobble do",
    ],
)
def test_what_nothing_answers_is_declined(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert "No suitable target" in result.answer, result.answer


@pytest.mark.parametrize(
    "request_text",
    [
        "who was Alan Turing",
        "what is Frida Kahlo famous for",
        "what did Emmy Noether prove",
        "what's the best way to learn Go",
        "help me write an agenda for our team meeting",
        "is Python better than Go for data science",
    ],
)
def test_real_names_and_advice_go_to_the_general_expert(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert REPLY in result.answer or CODER in result.answer, result.answer


@pytest.mark.parametrize(
    "request_text", ["who was Hans Lipperhey", "who is Antonio Meucci", "who was Tenzing Norgay"]
)
def test_rare_names_the_facts_base_writes_are_not_declined(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert result.steps, result.answer
    assert "No suitable target" not in result.answer


def test_a_real_method_goes_to_the_coder(agent: Agent) -> None:
    result = agent.run("what does Python's str.partition() do")
    assert [s.target for s in result.steps] == ["coder"], result.trace
