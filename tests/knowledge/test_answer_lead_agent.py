"""Once a base answers, its search's two best passages are among those the answer's statements
are chosen from, even when the answerability bars cut one (``ANSWER_LEAD``): here the
lighthouse's record, below the similarity floor for "the lamp tower", holds what it is built
of. Through the real Agent graph over a real chromadb base on disk, real MiniLM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, _chroma_kb

from .kb_agent import kb_agent

DOCS = {
    "pier": (
        "North pier",
        "Vega is the lighthouse on the north pier of the harbour. It was built of granite in "
        "1871 and painted white in 1902.",
    ),
    "lamps": (
        "Lighthouse lamps",
        "The lighthouse lamp turns once every ten seconds. The keeper climbs 120 steps to "
        "reach the lamp room.",
    ),
    "beacons": (
        "Harbour beacons",
        "The beacon on the breakwater flashes red every five seconds. Buoys at the channel "
        "mouth flash green.",
    ),
    "fees": (
        "Harbour fees",
        "Every ship pays a harbour fee by its tonnage. Fishing boats registered in the town "
        "pay half.",
    ),
}
QUESTION = "what is the lamp tower built of?"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("lead") / "kb",
        default_embedder(),
        description="Harbour manual",
        chunk_chars=120,
    )
    base.add(Document(id=i, title=t, text=x) for i, (t, x) in DOCS.items())
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "lead") as a:
        yield a


def _said(agent: Agent) -> list[str]:
    result = agent.run(QUESTION)
    assert [s.target for s in result.steps] == ["harbour"]
    step = result.steps[0]
    assert step.ok, step.error
    return [c["text"] for c in step.data["claims"]]


def test_the_search_s_second_passage_cut_by_the_bars_can_answer(
    kb: ChromaKnowledgeBase, agent: Agent
) -> None:
    hits = kb.search(QUESTION, 8)
    assert hits[1].doc_id == "pier" and hits[1].similarity < kb.min_similarity  # cut by the floor
    relevant, _, _ = kb._answering(QUESTION, hits, worded=True)
    assert "pier" not in {h.doc_id for h in relevant}
    said = _said(agent)
    assert any("granite" in t for t in said), said


def test_without_the_lead_passages_the_fact_is_not_shown(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_chroma_kb, "ANSWER_LEAD", 0)
    said = _said(agent)
    assert not any("granite" in t for t in said), said
