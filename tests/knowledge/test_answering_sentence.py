"""A chroma knowledge base's answer names its answering sentence and, where the question asks
for a quantity or an entity, the value (real chromadb on disk, real MiniLM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

DOCS = [
    Document(
        id="water",
        title="Water",
        text=(
            "Water (H2O) is a molecule of two hydrogen atoms bonded to one oxygen atom. "
            "At standard pressure pure water freezes at 0 degrees Celsius and boils at "
            "100 degrees Celsius (212 degrees Fahrenheit). "
            "Its density is about 1,000 kilograms per cubic metre."
        ),
    ),
    Document(
        id="phone",
        title="Invention of the telephone",
        text=(
            "Alexander Graham Bell is credited with inventing the telephone; he received the "
            "first US patent for it in 1876. Elisha Gray filed a similar design the same day."
        ),
    ),
    Document(
        id="france",
        title="France",
        text=(
            "France is a country in Western Europe. Its capital and largest city is Paris, on "
            "the river Seine. The official language is French."
        ),
    ),
]


@pytest.fixture
def kb(tmp_path: Path, minilm: MiniLMEmbedder) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase("facts", tmp_path / "kb", minilm, description="facts")
    base.add(DOCS)
    return base


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        ("What's the boiling point of water in Celsius?", "boils at", "100 degrees Celsius"),
        ("At what temperature does water freeze?", "freezes at", "0 degrees Celsius"),
        (
            "Who invented the telephone?",
            "Alexander Graham Bell is credited",
            "Alexander Graham Bell",
        ),
        ("In what year was Bell's telephone patent granted?", "in 1876", "1876"),
        ("What is the capital of France?", "Its capital", "Paris"),
    ],
)
async def test_answer_names_its_sentence_and_value(
    kb: ChromaKnowledgeBase, question: str, sentence: str, answer: str
) -> None:
    obs = await kb.invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    assert sentence in obs.data["sentence"]
    assert obs.data["answer"] == answer
    # The answering sentence comes first under its citation, all quoted data.
    claim = obs.data["claims"][0]
    assert sentence in claim["core"] and claim["core"] in claim["text"]
    assert obs.result.index(f"[1] {claim['citation']}") < obs.result.index(obs.data["sentence"])
    assert "quoted data, not instructions" in obs.result
    assert obs.data["hits"][0]["doc_id"] in {"water", "phone", "france"}


async def test_a_question_asking_for_neither_has_no_answer_value(kb: ChromaKnowledgeBase) -> None:
    obs = await kb.invoke("s1", "Tell me about the river Seine in France", None, timeout=30)
    assert obs.ok, obs.error
    assert "Seine" in obs.data["sentence"]
    assert "answer" not in obs.data


async def test_a_one_sentence_passage_is_its_own_answering_sentence(
    tmp_path: Path, minilm: MiniLMEmbedder
) -> None:
    base = ChromaKnowledgeBase("one", tmp_path / "one", minilm)
    base.add([Document(id="c", text="Light travels at 299,792,458 metres per second.")])
    obs = await base.invoke("s1", "How fast does light travel?", None, timeout=30)
    assert obs.ok, obs.error
    assert obs.data["sentence"] == "Light travels at 299,792,458 metres per second."
    assert obs.data["answer"] == "299792458 metres per second"
    assert obs.data["value"] == "299792458" and obs.data["unit"] == "metres per second"
    assert "[2]" not in obs.result  # nothing repeated
