"""Answers through the real Agent graph over a real chromadb base on disk: a real package is
answered with a cited statement, a made-up one is declined with the nearest it holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

from .kb_agent import kb_agent

PACKAGES = {
    "hyperlapse": "Package: hyperlapse\nSection: video\nDescription: make time-lapse videos "
    "from shaky footage\nThis package stabilises hand-held recordings into smooth clips.\n"
    "Maintainer: Debian Multimedia Team.",
    "studio-controls": "Package: studio-controls\nSection: sound\nDescription: control panel "
    "for audio studios\nThis package configures the JACK audio server for recording.",
    "debhelper": "Package: debhelper\nSection: devel\nDescription: helper programs for "
    "debian/rules\nA collection of programs used in debian/rules to build Debian packages.\n"
    "Maintainer: Debian debhelper team.",
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    root = tmp_path_factory.mktemp("answers")
    base = ChromaKnowledgeBase(
        "packages",
        root / "kb",
        default_embedder(),
        description="Debian packages and what they contain.",
    )
    base.add(
        Document(id=f"pkg-{n}", title=f"Debian package {n}", text=t) for n, t in PACKAGES.items()
    )
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "answers") as a:
        yield a


def test_a_real_package_is_answered_with_a_cited_statement(agent: Agent) -> None:
    result = agent.run("Who maintains the Debian package hyperlapse?")
    assert [s.target for s in result.steps] == ["packages"]
    step = result.steps[0]
    assert step.ok, step.error
    claim = step.data["claims"][0]
    assert claim["doc_id"] == "pkg-hyperlapse" and "Multimedia" in claim["text"]
    assert claim["citation"] == "Debian package hyperlapse"
    assert "Debian Multimedia Team" in result.answer
    assert "stabilises" not in result.answer  # the statement, not the whole record


async def test_a_made_up_package_is_declined_with_the_nearest_named(
    agent: Agent, kb: ChromaKnowledgeBase
) -> None:
    question = "Who maintains the Debian package hyperlapse-studio?"
    result = await agent.arun(question)
    assert not any(s.ok for s in result.steps)
    assert result.unmatched == [question]  # declined, not answered with debhelper's record
    assert "debhelper" not in result.answer and "Multimedia" not in result.answer
    # the base's own word, which the planner declined by: the nearest package it does hold
    probe = kb.probe(question)
    assert not probe.answers and probe.missing == ["hyperlapse-studio"]
    assert probe.reason.startswith("no package hyperlapse-studio in knowledge base 'packages'")
    assert "nearest: hyperlapse" in probe.reason
    obs = await kb.invoke("s1", question, None, timeout=30)
    assert not obs.ok and obs.error == probe.reason
