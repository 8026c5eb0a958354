"""A word that asks an attribute only in a question about an entity ("speak" of "what
language do they speak in Brazil", "how far" of "how far away is the moon") asks nothing
where it is a plain verb among other content words ("how do daemons speak D-Bus messages")
or part of another phrase ("how far along is dd"): the attribute check declined both, for
want of a language or a distance. Through the real Agent graph over a real chromadb base
on disk; the attribute asked of an entity is still checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

from .kb_agent import kb_agent

DOCS = {
    "dbus": (
        "dbus-daemon(1)",
        "dbus-daemon is the message bus daemon: applications and system daemons talk to each "
        "other through it by sending D-Bus messages, method calls and signals over the bus.",
    ),
    "dd": (
        "dd(1)",
        "dd copies a file, converting and formatting according to the operands. With "
        "status=progress it shows periodic transfer statistics while the copy runs.",
    ),
    "brazil": (
        "Brazil",
        "Brazil is the largest country in South America. Its capital is Brasilia and its "
        "currency is the real.",
    ),
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "docs",
        tmp_path_factory.mktemp("attribute_fragment") / "kb",
        default_embedder(),
        description="Manual pages and a few country facts.",
    )
    base.add(Document(id=k, title=t, text=x) for k, (t, x) in DOCS.items())
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "attribute_fragment") as a:
        yield a


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("How do system daemons speak D-Bus messages to applications?", "dbus"),
        ("can I see how far along dd is while it copies a file?", "dd"),
    ],
)
def test_a_word_that_asks_nothing_here_is_no_attribute_asked(
    agent: Agent, kb: ChromaKnowledgeBase, question: str, doc: str
) -> None:
    probe = kb.probe(question)
    assert probe.answers, probe.reason
    result = agent.run(question)
    assert [s.target for s in result.steps] == ["docs"], result.unmatched
    step = result.steps[0]
    assert step.ok, step.error
    assert step.data["claims"][0]["doc_id"] == doc


def test_the_attribute_asked_of_an_entity_is_still_checked(
    agent: Agent, kb: ChromaKnowledgeBase
) -> None:
    question = "what language do they speak in Brazil"
    probe = kb.probe(question)
    assert not probe.answers
    assert probe.reason.startswith("no passage giving the language"), probe.reason
    result = agent.run(question)
    assert not [s for s in result.steps if s.ok], result.answer
