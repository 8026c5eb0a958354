"""A base asked directly answers a keyword fragment whose capitalised word no passage writes
("Raised invoking script indicates": its sentence's first word, not a name) from the passage
writing the rest of its weight; the planner's probe still checks the name, and a question
naming a word the base never writes is still declined (real chromadb on
disk, real MiniLM)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._answer import written_share
from agentroute.text import named_entities

HARBOUR = {
    "moor": (
        "Mooring ships",
        "Ships are moored at the quay when they arrive in the harbour. The harbour master "
        "assigns each ship its berth. A mooring line is looped over a cast-iron bollard on "
        "the quay.",
    ),
    "tides": (
        "Tides",
        "The harbour has two high tides a day. Ships with a deep draught enter only at high "
        "tide. Tide tables are published by the harbour office every month.",
    ),
    "cargo": (
        "Cargo handling",
        "Cranes unload containers from ships onto trucks at the quay. Bulk cargo such as "
        "grain is pumped into silos. Dangerous goods are stored apart from other cargo.",
    ),
}
FRAGMENT = "Explain Published mooring line looped bollard"
"""Held-out-sentence style: its first keyword capitalised, which reads as a name (the base
writes "published" in another document)."""


@pytest.fixture(scope="module")
def harbour(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("worded") / "harbour",
        minilm,
        description="Harbour operations manual",
    )
    kb.add(Document(id=i, title=t, text=x) for i, (t, x) in HARBOUR.items())
    return kb


async def test_a_passage_writing_the_fragments_words_answers_without_its_capitalised_word(
    harbour: ChromaKnowledgeBase,
) -> None:
    assert "Published" in named_entities(FRAGMENT)  # what the entity check would look for
    best = harbour.search(FRAGMENT, 1)[0]
    assert best.doc_id == "moor" and "publish" not in best.text.lower()
    share, held = written_share(FRAGMENT, f"{best.title} {best.text}", harbour._names().weight)
    assert share >= 0.4 and held >= 2
    obs = await harbour.invoke("s1", FRAGMENT, None, timeout=30)
    assert obs.ok, obs.error
    assert obs.data["claims"][0]["doc_id"] == "moor"
    assert "cast-iron bollard" in obs.data["claims"][0]["text"]


@pytest.mark.parametrize(
    "question",
    [
        "Explain Zanzibar harbour ferries",
        "Tell me about Rotterdam container cranes",
        "How often is a mooring line looped over the bollard in Altair?",
    ],
)
async def test_a_name_no_passage_writes_beside_common_words_is_still_declined(
    harbour: ChromaKnowledgeBase, question: str
) -> None:
    obs = await harbour.invoke("s1", question, None, timeout=30)
    assert not obs.ok
    assert obs.error.startswith("no "), obs.error
    assert not harbour.probe(question).answers
