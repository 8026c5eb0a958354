"""Through the real Agent and graph: a command no tool performs ("start a shell in a new
network namespace") is answered by the base whose passage says how to do it
(``planning._acceptance``'s ``HOW_TO``), while an act on the world no passage tells stays
declined (real chromadb base on disk, the real content probe)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root: Path = tmp_path_factory.mktemp("howto-turn")
    embedder = default_embedder()
    manpages = ChromaKnowledgeBase(
        "manpages", root / "manpages", embedder, description="Linux manual pages."
    )
    manpages.add(
        [
            Document(
                id="unshare.1",
                title="unshare(1)",
                text="unshare - run program in new namespaces. unshare creates new namespaces "
                "and then executes the specified program; if no program is given, it runs a "
                "shell. -n, --net: create a new network namespace.",
            ),
            Document(
                id="tee.1",
                title="tee(1)",
                text="tee - read from standard input and write to standard output and files.",
            ),
        ]
    )
    with Agent(targets=[manpages], embedder=embedder, warm_spares=False) as built:
        yield built


def test_a_base_that_says_how_answers_a_command_no_tool_performs(agent: Agent) -> None:
    result = agent.run("start a shell in a new network namespace")
    assert [s.target for s in result.steps] == ["manpages"]
    assert "unshare" in result.answer


def test_an_act_no_passage_tells_is_still_declined(agent: Agent) -> None:
    result = agent.run("Order a pizza for me")
    assert not any(s.ok for s in result.steps)
    assert "No suitable target" in result.answer
