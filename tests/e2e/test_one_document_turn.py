"""Through the real Agent and graph: two pieces of one ask that one document of a base answers
are one step (``planning._one_document``), and the turn's answer cites that document once;
asks of two documents stay two steps (real chromadb bases on disk, the real content probe)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root: Path = tmp_path_factory.mktemp("onedoc-turn")
    embedder = default_embedder()
    library = ChromaKnowledgeBase(
        "library", root / "library", embedder, description="Python library reference."
    )
    library.add(
        [
            Document(
                id="statistics",
                title="module statistics",
                text="Statistics functions to compute the mean, median and mode of a list of "
                "numbers. mean: Compute the arithmetic mean (average) of a list of numbers. "
                "median: Compute the median (middle value) of a list of numbers.",
            ),
            Document(
                id="heapq",
                title="module heapq",
                text="Heap queue algorithm, also known as the priority queue algorithm. "
                "heappush: Push item onto heap, maintaining the heap invariant.",
            ),
        ]
    )
    facts = ChromaKnowledgeBase("facts", root / "facts", embedder, description="Countries.")
    facts.add(
        [
            Document(
                id="brazil",
                title="Brazil",
                text="Brazil is the largest country in South America. Its official language "
                "is Portuguese and its currency is the Brazilian real.",
            ),
            Document(
                id="hungary",
                title="Hungary",
                text="Hungary is a country in Central Europe. Its capital is Budapest, its "
                "official language is Hungarian and its currency is the forint.",
            ),
        ]
    )
    with Agent(targets=[library, facts], embedder=embedder, warm_spares=False) as built:
        yield built


def test_one_document_answers_both_pieces_in_one_step(agent: Agent) -> None:
    result = agent.run("how to compute the mean and median of a list in python")
    assert [s.target for s in result.steps] == ["library"]
    assert result.steps[0].ok
    assert "mean" in result.answer and "median" in result.answer
    assert "module statistics" in result.answer


def test_two_documents_stay_two_steps(agent: Agent) -> None:
    result = agent.run("What's the official language of Brazil and the currency of Hungary?")
    assert [s.target for s in result.steps] == ["facts", "facts"]
    assert "Portuguese" in result.answer and "forint" in result.answer
