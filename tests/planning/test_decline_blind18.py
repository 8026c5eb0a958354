"""Declining found by the session-18 request set, written before the code was read
(benchmarks/planning/dev/blind18_decline.jsonl), through the real Agent: the bundled facts
base, the real calc and units MCP servers, a documentation base of a product (real chromadb)
and a general-purpose expert (a scripted chat model), so each test sees whether a request was
declined, served, or taken by the catch-all.

* a unit no one knows ("5 florbs", "how many trunkfeet") is declined; a real unit English
  vocabularies lack ("fortnights") is converted;
* an operation on a letter no value is given for ("what's x plus 3") is declined; "5 x 3"
  multiplies;
* a question about a documentation base's own subject that none of its passages answers
  ("agentroute's Redis cache") is declined, not invented by the catch-all; one it answers goes
  to it, and a request to compose about the subject goes to the catch-all;
* a passage about the entity that does not give the attribute asked ("France's national
  anthem") is no answer: the catch-all takes it;
* a made-up name beside a real one ("taller than Mount Grallok") is declined though a
  passage answers of the real one; software named by "pip install" is checked as software.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from general_agent import REPLY, general_agent

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase

DOCS = """# agentroute

agentroute routes each part of a request to the expert, tool or knowledge base that serves it.

## Installing

Install agentroute with pip install agentroute; Python 3.11 or later is needed.

## The chat command

agentroute chat opens a conversation in the terminal; each thread is kept in SQLite between
sessions.
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    folder = tmp_path_factory.mktemp("kb")
    (folder / "README.md").write_text(DOCS)
    docs = ChromaKnowledgeBase(
        "project_docs",
        folder / "project_docs",
        default_embedder(),
        description="The agentroute project's own documentation: installation, commands.",
        domains=["agentroute", "documentation"],
        examples=["How do I install agentroute?", "What does agentroute chat do?"],
    )
    docs.ingest([folder / "README.md"])
    with general_agent(folder, bases=[docs]) as built:
        yield built


def declined(agent: Agent, request: str) -> None:
    result = agent.run(request)
    assert result.steps == [], [(s.target, s.query) for s in result.steps]
    assert REPLY not in result.answer


@pytest.mark.parametrize(
    "request_text",
    [
        "convert 5 florbs to meters",
        "how many trunkfeet make a yard",
        "how many cubic vosks are in a litre",
    ],
)
def test_a_unit_no_one_knows_is_declined(agent: Agent, request_text: str) -> None:
    declined(agent, request_text)


def test_a_real_unit_english_lacks_is_converted(agent: Agent) -> None:
    result = agent.run("convert 2 fortnights to days")
    assert [s.target for s in result.steps] == ["units.convert"], result.answer
    assert "28" in result.answer


@pytest.mark.parametrize("request_text", ["what's x plus 3", "multiply y by 7"])
def test_an_operation_on_an_undefined_letter_is_declined(agent: Agent, request_text: str) -> None:
    declined(agent, request_text)


def test_a_letter_between_numbers_multiplies(agent: Agent) -> None:
    result = agent.run("what is 5 x 3")
    assert [s.target for s in result.steps] == ["calc.calculate"], result.answer
    assert "15" in result.answer


def test_a_bases_own_subject_it_does_not_answer_is_declined(agent: Agent) -> None:
    declined(agent, "how do I configure agentroute's Redis cache")


def test_a_bases_own_subject_it_answers_goes_to_it(agent: Agent) -> None:
    result = agent.run("how do I install agentroute")
    assert [s.target for s in result.steps] == ["project_docs"], result.answer
    assert "pip install" in result.answer


def test_composing_about_a_bases_subject_is_the_catch_alls(agent: Agent) -> None:
    result = agent.run("write a short poem about agentroute")
    assert [s.target for s in result.steps] == ["general"], result.answer


def test_a_passage_without_the_attribute_asked_is_no_answer(agent: Agent) -> None:
    result = agent.run("what is France's national anthem called")
    assert [s.target for s in result.steps] == ["general"], result.answer
    result = agent.run("what is the capital of France")
    assert [s.target for s in result.steps] == ["facts"], result.answer


@pytest.mark.parametrize(
    "request_text",
    ["is Mount Everest taller than Mount Grallok", "does the Danube flow through Ostravia Minor"],
)
def test_a_made_up_name_beside_a_real_one_is_declined(agent: Agent, request_text: str) -> None:
    """The facts base's passage on the real one passes its own names check; the made-up
    name no vocabulary nor passage knows is still what is asked."""
    declined(agent, request_text)


def test_software_named_by_how_it_is_installed_or_documented_is_checked(agent: Agent) -> None:
    declined(agent, "what does pip install pyzorblex give me")
    declined(agent, "what does the man page for grepzilla say")
    result = agent.run("what does the man page for grep say")
    assert [s.target for s in result.steps] == ["general"], result.answer
