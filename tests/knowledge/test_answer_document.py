"""Once a base answers, its answer's statements are chosen among the passages it kept and the
other passages of their documents: the fact is often in a passage of the right document that
the answerability bars cut, here one not repeating the name asked about; another document's
passage stays out (real chromadb on disk, real MiniLM)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

DOCS = {
    "pier": (
        "North pier lighthouse",
        "Vega is the lighthouse on the north pier of the harbour. It was built of granite in "
        "1871.\n\nIts lamp turns once every ten seconds. The keeper climbs 120 steps to reach "
        "the lamp room.",
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


@pytest.fixture(scope="module")
def harbour(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("document") / "harbour",
        minilm,
        description="Harbour manual",
        chunk_chars=120,  # a passage or so per paragraph: the lamp's is one of its own
    )
    kb.add(Document(id=i, title=t, text=x) for i, (t, x) in DOCS.items())
    return kb


async def test_the_named_documents_other_passage_holding_the_fact_is_quoted(
    harbour: ChromaKnowledgeBase,
) -> None:
    question = "How often does the lamp of Vega turn?"
    lamp = next(h for h in harbour.search(question, 8) if "ten seconds" in h.text)
    assert "Vega" not in f"{lamp.title} {lamp.text}"  # the passage with the fact never names it
    obs = await harbour.invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    said = [c["text"] for c in obs.data["claims"]]
    assert any("turns once every ten seconds" in t for t in said), said
    assert obs.data["claims"][0]["doc_id"] == "pier"
    # another document's passage that does not name Vega is still no part of the answer
    assert all(c["doc_id"] == "pier" for c in obs.data["claims"])


async def test_a_made_up_name_is_still_declined(harbour: ChromaKnowledgeBase) -> None:
    obs = await harbour.invoke("s1", "How often does the lamp of Altair turn?", None, timeout=30)
    assert not obs.ok
    assert "Altair" in (obs.error or "")
