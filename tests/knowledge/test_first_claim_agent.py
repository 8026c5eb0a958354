"""An answer's first claim (what a later step and a reader take as the answer) is the statement
closest to the question by its embedding (``FIRST_LEXICAL``), not a neighbour that repeats
the question's words: "how often does the island ferry leave?" is answered by the boats that
depart every forty minutes, not by the ferry office that leaves its lights on. Through the real
Agent graph over a real chromadb base on disk, real MiniLM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, _answer

from .kb_agent import kb_agent

DOCS = {
    "office": (
        "Island ferry office",
        "The island ferry ticket office leaves its lights on overnight. It sells tickets and "
        "timetables.",
    ),
    "crossings": (
        "Island ferry crossings",
        "Boats to the island depart every forty minutes from the quay. A crossing takes twenty "
        "minutes in calm weather.",
    ),
    "fees": (
        "Harbour fees",
        "Every ship pays a harbour fee by its tonnage. Fishing boats registered in the town "
        "pay half.",
    ),
    "beacons": (
        "Harbour beacons",
        "The beacon on the breakwater flashes red every five seconds. Buoys at the channel "
        "mouth flash green.",
    ),
}
QUESTION = "how often does the island ferry leave?"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("first-claim") / "kb",
        default_embedder(),
        description="Harbour manual",
        chunk_chars=200,
    )
    base.add(Document(id=i, title=t, text=x) for i, (t, x) in DOCS.items())
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "first-claim") as a:
        yield a


def _answer_of(agent: Agent) -> tuple[str, str]:
    """The step's answering sentence and its first claim's document."""
    result = agent.run(QUESTION)
    assert [s.target for s in result.steps] == ["harbour"]
    step = result.steps[0]
    assert step.ok, step.error
    return str(step.data["sentence"]), str(step.data["claims"][0]["doc_id"])


def test_the_first_claim_is_the_statement_closest_in_meaning(agent: Agent) -> None:
    sentence, doc = _answer_of(agent)
    assert "forty minutes" in sentence and doc == "crossings", (sentence, doc)


def test_ranked_with_the_question_s_words_the_office_would_answer(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_answer, "FIRST_LEXICAL", _answer.LEXICAL)
    sentence, doc = _answer_of(agent)
    assert "forty minutes" not in sentence and doc == "office", (sentence, doc)
