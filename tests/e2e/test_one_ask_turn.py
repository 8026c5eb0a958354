"""Through the real Agent and graph: a question the clause reader cut in two, whose whole
one base answers better than either piece, is one step (``planning._one_document.one_ask``);
two questions asked together stay two steps, in two bases or in one (real chromadb bases on
disk, the real content probe)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root: Path = tmp_path_factory.mktemp("one-ask-turn")
    embedder = default_embedder()
    pages = ChromaKnowledgeBase(
        "manpages", root / "manpages", embedder, description="Linux manual pages."
    )
    pages.add(
        [
            Document(
                id="watch.1",
                title="watch(1)",
                text="watch - execute a program periodically, showing output fullscreen. watch "
                "runs command repeatedly, displaying its output and errors (the first "
                "screenfull). By default, the command is run every 2 seconds. -n, --interval "
                "seconds: specify update interval.",
            ),
            Document(
                id="tail.1",
                title="tail(1)",
                text="tail - output the last part of files. Print the last 10 lines of each "
                "FILE to standard output. -f, --follow: output appended data as the file grows.",
            ),
            Document(
                id="ls.1",
                title="ls(1)",
                text="ls - list directory contents. List information about the FILEs (the "
                "current directory by default). -S: sort by file size, largest first.",
            ),
        ]
    )
    facts = ChromaKnowledgeBase("facts", root / "facts", embedder, description="Countries.")
    facts.add(
        [
            Document(
                id="japan",
                title="Japan",
                text="Japan is an island country in East Asia. Its capital and largest city is "
                "Tokyo. The currency is the yen.",
            ),
            Document(
                id="brazil",
                title="Brazil",
                text="Brazil is the largest country in South America. Its official language "
                "is Portuguese and its currency is the Brazilian real.",
            ),
        ]
    )
    with Agent(targets=[pages, facts], embedder=embedder, warm_spares=False) as built:
        yield built


def test_a_question_cut_in_two_is_one_step(agent: Agent) -> None:
    # the clause reader cuts it at "and": alone, "show its output" is declined
    result = agent.run("rerun a command every 2 seconds and show its output")
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.steps[0].ok
    assert "watch" in result.answer
    assert "No suitable target" not in result.answer


def test_two_questions_of_two_bases_stay_two_steps(agent: Agent) -> None:
    result = agent.run("what is the capital of japan and how do I follow a log file with tail")
    assert [s.target for s in result.steps] == ["facts", "manpages"]
    assert "Tokyo" in result.answer and "--follow" in result.answer


def test_two_questions_of_one_base_stay_two_steps(agent: Agent) -> None:
    result = agent.run("what's the currency of japan and the official language of brazil")
    assert [s.target for s in result.steps] == ["facts", "facts"]
    assert "yen" in result.answer and "Portuguese" in result.answer
