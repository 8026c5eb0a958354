"""A base's answer holds the fact asked for: it is chosen among more passages than the base
cites, shows a statement writing the question's rarest word, and a keyword fragment that
embeds far from every passage is still answered by the passage writing its words (real
chromadb on disk, real MiniLM)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._answer import answer_claims, written_share

HARBOUR = {
    "moor": (
        "Mooring ships",
        "Ships are moored at the quay when they arrive in the harbour. The harbour master "
        "assigns each ship its berth. Pilots guide large ships through the harbour entrance. "
        "A mooring line is looped over a cast-iron bollard on the quay.",
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
    "fees": (
        "Harbour fees",
        "Every ship pays a harbour fee by its tonnage. Fishing boats registered in the town "
        "pay half. Fees are due before the ship leaves its berth.",
    ),
}


@pytest.fixture(scope="module")
def harbour(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("pool") / "harbour",
        minilm,
        description="Harbour operations manual",
        top_k=1,  # cites one passage: the answer's statements come from a wider search
    )
    kb.add(Document(id=i, title=t, text=x) for i, (t, x) in HARBOUR.items())
    return kb


def test_a_statement_writing_the_questions_rarest_word_is_shown(
    harbour: ChromaKnowledgeBase, minilm: MiniLMEmbedder
) -> None:
    question = "Which ships bring grain to the harbour quay?"
    hits = harbour.search(question, 2)
    assert [h.doc_id for h in hits] == ["moor", "cargo"]  # the mooring passage is closer
    weighed = answer_claims(
        question, hits, minilm.embed, max_claims=2, weight=harbour._names().weight
    )
    assert any("grain" in c.text for c in weighed)
    assert weighed[0].doc_id == "moor"  # the closest statement stays first
    # without weights no word tells more than another: the closest statements only
    plain = answer_claims(question, hits, minilm.embed, max_claims=2)
    assert not any("grain" in c.text for c in plain)


async def test_an_answer_is_chosen_among_more_passages_than_the_base_cites(
    harbour: ChromaKnowledgeBase,
) -> None:
    obs = await harbour.invoke(
        "s1", "Which ships bring grain to the harbour quay?", None, timeout=30
    )
    assert obs.ok, obs.error
    grain = [c for c in obs.data["claims"] if "grain" in c["text"]]
    assert grain and grain[0]["doc_id"] == "cargo"
    assert "Bulk cargo such as grain is pumped into silos." in obs.result
    assert [h["doc_id"] for h in obs.data["hits"]] == ["moor"]  # top_k passages cited as hits


@pytest.mark.parametrize(
    ("question", "doc", "said"),
    [
        ("what about cast-iron bollard looped", "moor", "cast-iron bollard"),
        ("grain silos pumped bulk", "cargo", "pumped into silos"),
    ],
)
async def test_a_keyword_fragment_far_from_every_passage_is_answered_by_the_one_writing_it(
    harbour: ChromaKnowledgeBase, question: str, doc: str, said: str
) -> None:
    best = harbour.search(question, 1)[0]
    assert best.similarity < harbour.min_similarity  # the embedding alone would decline it
    share, held = written_share(question, f"{best.title} {best.text}", harbour._names().weight)
    assert share >= 0.5 and held >= 2
    obs = await harbour.invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    assert obs.data["claims"][0]["doc_id"] == doc
    assert said in obs.data["claims"][0]["text"]
    # the planner's probe still routes by similarity: only a base asked directly answers
    assert not harbour.probe(question).answers


@pytest.mark.parametrize(
    "question",
    ["recipe for banana bread", "Tell me about quantum gravity", "bread yeast oven flour"],
)
async def test_a_question_the_passages_do_not_write_is_still_declined(
    harbour: ChromaKnowledgeBase, question: str
) -> None:
    obs = await harbour.invoke("s1", question, None, timeout=30)
    assert not obs.ok
    assert obs.error.startswith("no relevant passage"), obs.error
