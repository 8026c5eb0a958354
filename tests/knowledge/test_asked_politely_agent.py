"""Through the real Agent graph over a real chromadb base on disk (real MiniLM): a question
asked politely ("Can you tell me more about ...") keeps, among the passages its answer is
chosen from, the one writing its rare words far behind the closest passage, because the
words it only asks with ("more") are not counted in the share of its words a passage
writes (``written_share``); counted, they weighed most and the rope store's passage fell
below ``POOL_SHARE``: the spare hawser was not in the answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, _answer

from .kb_agent import kb_agent

DOCS = {
    "moor": (
        "Mooring ships",
        "Ships are moored at the quay when they arrive in the harbour. The harbour master "
        "assigns each ship its berth.",
    ),
    "tugs": ("Tugboats", "Tugboats push ships against the quay while the crew makes them fast."),
    "pilots": (
        "Pilots",
        "Pilots guide large ships through the harbour entrance and bring them alongside the quay.",
    ),
    "store": (
        "Rope store",
        "The rope store keeps a spare hawser and two spare fenders for visiting yachts.",
    ),
    "tides": (
        "Tides",
        "The harbour has two high tides a day. Ships with a deep draught enter only at high tide.",
    ),
    "cargo": (
        "Cargo handling",
        "Cranes unload containers from ships onto trucks at the quay. Bulk cargo such as grain "
        "is pumped into silos.",
    ),
    "fees": (
        "Harbour fees",
        "Every ship pays a harbour fee by its tonnage. Fishing boats registered in the town "
        "pay half.",
    ),
}
QUESTION = "Can you tell me more about how ships are moored at the quay with the spare hawser?"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("polite-agent") / "kb",
        default_embedder(),
        description="Harbour operations manual",
    )
    base.add(Document(id=i, title=t, text=x) for i, (t, x) in DOCS.items())
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "polite") as a:
        yield a


def _said(agent: Agent) -> list[str]:
    result = agent.run(QUESTION)
    assert [s.target for s in result.steps] == ["harbour"], result.unmatched
    step = result.steps[0]
    assert step.ok, step.error
    return [c["text"] for c in step.data["claims"]]


def test_the_passage_writing_the_rare_words_is_in_the_answer(
    kb: ChromaKnowledgeBase, agent: Agent
) -> None:
    hits = kb.search(QUESTION, 8)
    store = next(h for h in hits if h.doc_id == "store")
    assert hits.index(store) >= 2  # not one of the search's lead passages
    assert store.similarity < hits[0].similarity - kb.keep_within  # far behind the best
    said = _said(agent)
    assert "Ships are moored at the quay" in said[0], said
    assert any("spare hawser" in t for t in said), said


def test_counting_the_asking_words_leaves_the_hawser_out(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_answer, "_ASKING", frozenset())
    said = _said(agent)
    assert not any("spare hawser" in t for t in said), said
