"""Declining found by the session-19 request set, written before the code was read
(benchmarks/planning/dev/blind19_decline.jsonl), through the real Agent: the bundled facts
base, the real calc and units MCP servers, a general-purpose expert and a translator (scripted
chat models), so each test sees whether a request was declined or served.

* a thing named by a kind and plain words only ("the Glass Mountain treaty", "the Order of the
  Crimson Lantern") is declined, even with a general expert; real ones of that form ("the
  Velvet Revolution", "the Golden Gate Bridge") and requests to invent one go to it;
* what a language is spoken in, asked of a made-up place, is declined for the translator too;
* the latest version, release or record of something is live data: declined with no tool.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from general_agent import REPLY, general_agent

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.testing import FunctionChatModel

TRANSLATED = "TRANSLATOR-REPLY"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    translator = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: TRANSLATED),
        TargetDescriptor(
            name="translator",
            kind=TargetKind.EXPERT,
            description="Translation specialist: translates text between languages (English, "
            "French, German, Spanish, Italian, Japanese, ...) and explains idioms and grammar.",
            domains=["translation", "languages"],
            examples=[
                "Translate 'good morning' into French",
                "How do you say thank you in Japanese",
            ],
        ),
    )
    with general_agent(tmp_path_factory.mktemp("kb"), bases=[translator]) as built:
        yield built


def declined(agent: Agent, request: str) -> None:
    result = agent.run(request)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert REPLY not in result.answer and TRANSLATED not in result.answer


@pytest.mark.parametrize(
    "request_text",
    [
        "what were the terms of the Glass Mountain treaty",
        "when was the Order of the Crimson Lantern founded",
        "what is the Velvet Protocol",
        "How long is the Whispering River?",
        "who is the current president of the Velvet Republic",
    ],
)
def test_a_thing_named_by_plain_words_only_is_declined(agent: Agent, request_text: str) -> None:
    declined(agent, request_text)


@pytest.mark.parametrize(
    "request_text",
    [
        "what was the Velvet Revolution",
        "who designed the Golden Gate Bridge",
        "what is the Order of the Golden Fleece",
        "write a poem about the Glass Mountain",
    ],
)
def test_real_or_invented_names_of_that_form_are_served(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == ["general"], result.trace
    assert REPLY in result.answer


def test_a_language_spoken_in_a_made_up_place_is_declined(agent: Agent) -> None:
    declined(agent, "what language do people speak in Kwendaria")
    served = agent.run("how do you say good night in Italian")
    assert [s.target for s in served.steps] == ["translator"], served.trace


@pytest.mark.parametrize(
    "request_text",
    ["what's the latest version of Python", "what's the current world record for the marathon"],
)
def test_the_latest_of_something_is_live_data(agent: Agent, request_text: str) -> None:
    declined(agent, request_text)
