"""A base asked directly answers a keyword fragment from the passage writing its words even
when it is asked politely ("Can you explain and tell me more about ...": the words it only
asks with are none a passage need write) and even when it embeds as far from that passage
as a cosine of 0.1 (``WORDED_FLOOR``); a fragment of words no passage writes is still
declined, and the planner's probe still routes by similarity (real chromadb on disk, real
MiniLM)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, _answer, _chroma_kb
from agentroute.knowledge._answer import written_share

from .test_answer_pool import HARBOUR

POLITE = "Can you explain and tell me more about bollard looped"
FAR = "what about looped cast-iron?"


@pytest.fixture(scope="module")
def harbour(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("polite") / "harbour",
        minilm,
        description="Harbour operations manual",
    )
    kb.add(Document(id=i, title=t, text=x) for i, (t, x) in HARBOUR.items())
    return kb


async def test_a_fragment_asked_politely_is_answered_by_the_passage_writing_it(
    harbour: ChromaKnowledgeBase,
) -> None:
    best = harbour.search(POLITE, 1)[0]
    assert best.doc_id == "moor" and best.similarity < harbour.min_similarity
    share, held = written_share(POLITE, f"{best.title} {best.text}", harbour._names().weight)
    assert share == pytest.approx(1.0) and held == 2  # "explain", "tell", "more" not counted
    obs = await harbour.invoke("s1", POLITE, None, timeout=30)
    assert obs.ok, obs.error
    assert "cast-iron bollard" in obs.data["claims"][0]["text"]
    assert not harbour.probe(POLITE).answers  # only a base asked directly answers


async def test_counting_the_asking_words_declines_it(
    harbour: ChromaKnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_answer, "_ASKING", frozenset())
    best = harbour.search(POLITE, 1)[0]
    share, _ = written_share(POLITE, f"{best.title} {best.text}", harbour._names().weight)
    assert share < _chroma_kb.WORDED_SHARE  # the words it asks with weighed most
    obs = await harbour.invoke("s1", POLITE, None, timeout=30)
    assert not obs.ok


async def test_a_fragment_far_below_the_floor_is_answered_and_was_not_at_015(
    harbour: ChromaKnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    best = harbour.search(FAR, 1)[0]
    assert best.doc_id == "moor" and _chroma_kb.WORDED_FLOOR <= best.similarity < 0.15
    obs = await harbour.invoke("s1", FAR, None, timeout=30)
    assert obs.ok, obs.error
    assert "cast-iron bollard" in obs.data["claims"][0]["text"]
    monkeypatch.setattr(_chroma_kb, "WORDED_FLOOR", 0.15)
    assert not (await harbour.invoke("s1", FAR, None, timeout=30)).ok


@pytest.mark.parametrize(
    "question",
    [
        "Can you explain and tell me more about banana bread",
        "I'd like to know more about quantum gravity, please",
        "explain bread yeast oven flour",
    ],
)
async def test_a_polite_question_the_passages_do_not_write_is_still_declined(
    harbour: ChromaKnowledgeBase, question: str
) -> None:
    obs = await harbour.invoke("s1", question, None, timeout=30)
    assert not obs.ok
    assert obs.error.startswith("no relevant passage"), obs.error
