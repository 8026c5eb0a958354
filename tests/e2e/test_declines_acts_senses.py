"""Through the real Agent graph, the real calc and units MCP servers and a general expert as
the catch-all: what no target can do is declined, in English or another language; the same
words in a request a target does serve are not.

Measured before (``dev/blind20_decline.jsonl``): a message by WhatsApp, a phone top-up, a
picture or a screen to look at, the user's followers and card transactions, an order, the
weather or a bank account asked in Spanish or German, a train running late and the FTSE 100
today, money earned, a parcel shipped and a folder to remove went to the general expert
(which would invent an answer) or to the calculator, as did the part after a declined one
("... and tell me what breed my dog is"); a quoted "what's the weather like today" to
translate and a forecast's figure to convert were declined as live data, and a German
request to write an invitation as an unknown name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.build import builtin_mcp_specs
from agentroute.embeddings import default_embedder
from agentroute.testing import ScriptedChatModel

REPLY = "GENERAL-REPLY"
NOTHING_DOES = [
    "whatsapp my sister happy birthday",
    "top up my phone credit with 20 pounds",
    "what's in this picture",
    "read the text on my screen",
    "who follows me on Instagram",
    "show my last five card transactions",
    "is the 8:15 train to Leeds running late",
    "how is the FTSE 100 doing today",
    "bestell mir eine Pizza",
    "¿qué tiempo hace hoy en Sevilla?",
    "¿cuánto tengo en mi cuenta bancaria?",
    "has the package from IKEA shipped",
    "how much did I earn last year",
    "remove the archive folder",
    # the part after a declined one asks of the same photo: not the catch-all's
    "look at this photo and tell me what breed my dog is",
    "dm Priya on Slack and ask for the slides",
]
FOR_THE_GENERAL = [
    "translate 'what's the weather like today' into Japanese",
    "schreib mir eine kurze Einladung zu meiner Geburtstagsfeier",
]


@pytest.fixture(scope="module")
def agent() -> Iterator[Agent]:
    general = ChatModelExpert(
        ScriptedChatModel(replies=[REPLY] * len(FOR_THE_GENERAL)),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing and rewriting text, summaries, "
            "explanations of everyday topics, advice, translations, drafting emails.",
            domains=["writing", "general"],
        ),
    )
    with Agent(
        targets=[general], mcp=builtin_mcp_specs(), embedder=default_embedder(), warm_spares=False
    ) as built:
        yield built


@pytest.mark.parametrize("request_text", NOTHING_DOES)
def test_what_no_target_does_is_declined(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert not any(s.ok for s in result.steps), [s.target for s in result.steps]
    assert "No suitable target" in result.answer, result.answer


@pytest.mark.parametrize("request_text", FOR_THE_GENERAL)
def test_the_same_words_in_a_text_to_write_are_served(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert [s.target for s in result.steps] == ["general"], result.trace
    assert REPLY in result.answer and "No suitable target" not in result.answer


def test_a_forecast_figure_to_convert_is_the_converters(agent: Agent) -> None:
    result = agent.run("the forecast says 30 degrees celsius, what is that in fahrenheit")
    assert [s.target for s in result.steps] == ["units.convert"], result.trace
    assert "86" in result.answer
