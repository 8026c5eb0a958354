"""A made-up function of a real library, through the real Agent graph: two chromadb bases on
disk, a library's reference and manual pages. The manual page that shares a word with the
made-up method ("beep") does not answer it, nor does the library's neighbouring method; the
real method is the library's (``ContentProbe.documents_identifiers``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbident")
    embedder = default_embedder()
    library = ChromaKnowledgeBase(
        "library", root / "library", embedder, description="Reference of the tinyterm library."
    )
    library.add(
        [
            Document(
                id="tinyterm.Console.print",
                title="tinyterm.Console.print",
                text="Print objects to the console terminal, with colour and styles.",
            ),
            Document(
                id="tinyterm.Console.clear",
                title="tinyterm.Console.clear",
                text="Clear the console terminal screen and move the cursor home.",
            ),
        ]
    )
    manuals = ChromaKnowledgeBase(
        "manuals", root / "manuals", embedder, description="Manual pages of shell commands."
    )
    manuals.add(
        [
            Document(
                id="watch.1",
                title="watch(1) manual page",
                text="watch runs a command repeatedly on the console; --beep makes the "
                "terminal beep when the command exits with a non-zero status.",
            ),
            Document(
                id="tput.1",
                title="tput(1) manual page",
                text="tput initialises a terminal or queries the terminfo database; "
                "tput bel rings the console terminal bell.",
            ),
        ]
    )
    with Agent(
        name="kbident",
        targets=[library, manuals],
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


def test_a_made_up_method_of_a_real_class_is_declined(agent: Agent) -> None:
    result = agent.run("tinyterm Console.beep method")
    assert not any(s.ok for s in result.steps)


def test_a_real_method_is_the_library_s(agent: Agent) -> None:
    result = agent.run("what does tinyterm Console.clear do")
    assert [s.target for s in result.steps] == ["library"]
    assert result.steps[0].ok and "cursor" in result.answer
