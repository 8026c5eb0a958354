"""Through the real Agent graph, a real chromadb base on disk, the real calc and units MCP
servers, a general expert as the catch-all and a coding expert: what blind22_decline found
answered although nothing holds it is declined, and its real look-alike is still answered.

Measured before (``dev/blind22_decline.jsonl``): "the Order of the Quiet River" went to the
general expert because a base wrote "order", "quiet" and "river" apart; "Dr. Halvard
Emberline" was cut at "Dr." and its first half sent to the general expert; JavaScript's
Array.prototype.scramble and Rust's Vec::retain_twice went to the coding expert; "which is
nicer, French or Italian" to the translator; "what will Apple announce next september" and
"which shoe size do I wear" to the general expert.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.build import builtin_mcp_specs
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.testing import ScriptedChatModel

GENERAL = "GENERAL-REPLY"
CODER = "CODER-REPLY"
NOTHING_HOLDS = [
    "who leads the Order of the Quiet River",
    "who is Dr. Halvard Emberline",
    "What does JavaScript's Array.prototype.scramble do?",
    "Rust Vec::retain_twice explained",
    "which is nicer, French or Italian",
    "what will Apple announce next september",
    "which shoe size do I wear",
    "who discovered the Falling Leaf nebula",
]
ANSWERED = [
    "what is the Golden Gate Bridge",
    "what does Array.prototype.flatMap do in javascript",
    "rust Vec::retain example",
    "what should I wear to a wedding",
]


def _expert(name: str, reply: str, description: str, domains: list[str]) -> ChatModelExpert:
    return ChatModelExpert(
        ScriptedChatModel(replies=[reply] * 20),
        TargetDescriptor(
            name=name, kind=TargetKind.EXPERT, description=description, domains=domains
        ),
    )


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root: Path = tmp_path_factory.mktemp("coined")
    embedder = default_embedder()
    notes = ChromaKnowledgeBase(
        "notes", root / "notes", embedder, description="The team's notes on rivers and rules."
    )
    notes.add(
        [
            Document(
                id="rules",
                title="Rules",
                text="Rules are checked in order of priority; the quiet mode hides their output.",
            ),
            Document(
                id="seine",
                title="The Seine",
                text="The river Seine flows through Paris into the English Channel.",
            ),
        ]
    )
    general = _expert(
        "general",
        GENERAL,
        "General-purpose chat assistant: writing, explanations of everyday topics, advice.",
        ["writing", "general", "advice"],
    )
    coder = _expert(
        "coder",
        CODER,
        "Programming specialist: writes, reviews and explains code in Python, JavaScript, "
        "Rust and SQL; explains functions and methods of their standard libraries.",
        ["programming", "code", "software"],
    )
    with Agent(
        targets=[general, coder, notes],
        mcp=builtin_mcp_specs(),
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as built:
        yield built


@pytest.mark.parametrize("request_text", NOTHING_HOLDS)
def test_what_nothing_holds_is_declined(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert not any(s.ok for s in result.steps), [s.target for s in result.steps]
    assert "No suitable target" in result.answer, result.answer


@pytest.mark.parametrize("request_text", ANSWERED)
def test_its_real_look_alike_is_answered(agent: Agent, request_text: str) -> None:
    result = agent.run(request_text)
    assert result.steps and all(s.ok for s in result.steps), result.trace
    assert "No suitable target" not in result.answer, result.answer
    assert GENERAL in result.answer or CODER in result.answer, result.answer
