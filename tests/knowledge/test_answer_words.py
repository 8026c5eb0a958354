"""A base asked directly keeps, among the passages its answer is chosen from, the one writing
the question's words although its cosine is far behind the best; and a capitalised word most
of its passages write is no name to check (real chromadb on disk, real MiniLM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._answer import written_share
from agentroute.knowledge._chroma_kb import POOL_SHARE
from agentroute.text import named_entities

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
    "winter": (
        "Winter",
        "Ice breakers keep the channel open in January. Buoys are lifted before the first "
        "frost and laid again in spring.",
    ),
}

NOTED = {
    "moor": ("Mooring ships", "Ships are moored at the quay. Note: the master assigns berths."),
    "tides": ("Tides", "The harbour has two high tides a day. Note: tables come out monthly."),
    "cargo": ("Cargo handling", "Cranes unload containers. Note: dangerous goods are apart."),
    "winter": ("Winter", "Ice breakers keep the channel open. Note: buoys are lifted in frost."),
    "pilots": ("Pilots", "Pilots guide large ships in. Note: a pilot boards two miles out."),
    "fees": (
        "Harbour fees",
        "Every ship pays a harbour fee by its tonnage. Fishing boats registered in the town "
        "pay half.",
    ),
}


def _base(
    path: Path, minilm: MiniLMEmbedder, docs: dict[str, tuple[str, str]], keep_within: float = 0.15
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(
        "harbour", path, minilm, description="Harbour manual", keep_within=keep_within
    )
    kb.add(Document(id=i, title=t, text=x) for i, (t, x) in docs.items())
    return kb


async def test_a_passage_writing_the_questions_words_is_kept_far_behind_the_best(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> None:
    kb = _base(tmp_path_factory.mktemp("words") / "h", minilm, HARBOUR, keep_within=0.1)
    question = "ships quay buoys lifted frost"
    hits = {h.doc_id: h for h in kb.search(question, 8)}
    weight = kb._names().weight
    # the mooring passage is closest; the winter one, which writes the rare words, is further
    # behind it than the base keeps a neighbour
    assert hits["moor"].similarity - hits["winter"].similarity > kb.keep_within
    winter = hits["winter"]
    share, held = written_share(question, f"{winter.title} {winter.text}", weight)
    assert share >= POOL_SHARE and held >= 2
    obs = await kb.invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    said = [c["text"] for c in obs.data["claims"]]
    assert any("Buoys are lifted before the first frost" in t for t in said), said
    # a passage sharing a word or so is no more kept than before
    fees = hits["fees"]
    assert written_share(question, f"{fees.title} {fees.text}", weight)[0] < POOL_SHARE
    assert all(c["doc_id"] != "fees" for c in obs.data["claims"])
    # the planner's probe is unchanged: it cites the close passages only
    assert kb.probe(question).answers


async def test_a_word_most_passages_write_is_no_name_the_answer_must_mention(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> None:
    kb = _base(tmp_path_factory.mktemp("generic") / "h", minilm, NOTED)
    question = "fishing boats fee Note"
    assert named_entities(question) == ["Note"]
    assert "note" in kb._names().generic  # five passages of six write it
    best = kb.search(question, 1)[0]
    assert best.doc_id == "fees" and "note" not in best.text.lower()
    obs = await kb.invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    # answered by the fees passage, not by the closest passage that writes "Note"
    assert obs.data["claims"][0]["doc_id"] == "fees"
    assert "Fishing boats registered in the town pay half." in obs.result


async def test_a_rare_name_no_passage_writes_is_still_declined(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> None:
    kb = _base(tmp_path_factory.mktemp("rare") / "h", minilm, NOTED)
    obs = await kb.invoke("s1", "fishing boats fee Rotterdam", None, timeout=30)
    assert not obs.ok
    assert "Rotterdam" in obs.error
