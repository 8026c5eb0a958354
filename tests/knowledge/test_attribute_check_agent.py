"""A passage about the right entity that does not give the attribute asked is no answer,
through the real Agent graph over a real chromadb base on disk: "population of germany" was
answered with Germany's passage (its capital and currency), "how tall is the Eiffel Tower"
with the tower's passage about who built it. What the base does give is still answered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

from .kb_agent import kb_agent

FACTS = {
    "germany": (
        "Germany",
        "Germany is a country in Central Europe. Its capital and largest city is Berlin. The "
        "official language is German and the currency is the euro.",
    ),
    "japan": (
        "Japan",
        "Japan is an island country in East Asia. Its capital and largest city is Tokyo. "
        "Mount Fuji is its highest mountain.",
    ),
    "australia": (
        "Australia",
        "Australia is a country that covers the mainland of the Australian continent. Its "
        "capital is Canberra. The currency is the Australian dollar.",
    ),
    "eiffel": (
        "The Eiffel Tower",
        "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris. It "
        "was designed by Gustave Eiffel's company and opened for the 1889 World's Fair.",
    ),
    "everest": (
        "Mount Everest",
        "Mount Everest, in the Himalayas, is the highest mountain above sea level at about "
        "8,849 metres. It was first climbed in 1953 by Edmund Hillary and Tenzing Norgay.",
    ),
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "facts",
        tmp_path_factory.mktemp("attributes") / "kb",
        default_embedder(),
        description="Encyclopedic facts: countries, mountains, landmarks.",
    )
    base.add(Document(id=k, title=t, text=x) for k, (t, x) in FACTS.items())
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "attributes") as a:
        yield a


@pytest.mark.parametrize(
    "question",
    [
        "population of germany",
        "what is the GDP of Japan",
        "how tall is the Eiffel Tower",
        "currency of india",
    ],
)
async def test_the_entitys_passage_without_the_attribute_is_declined(
    agent: Agent, kb: ChromaKnowledgeBase, question: str
) -> None:
    probe = kb.probe(question)
    assert not probe.answers, probe.reason
    assert probe.reason.startswith("no passage "), probe.reason  # giving it, or about india
    result = agent.run(question)
    assert not [s for s in result.steps if s.ok], result.answer
    obs = await kb.invoke("s1", question, None, timeout=10)
    assert not obs.ok and obs.error and obs.error.startswith("no passage ")


@pytest.mark.parametrize(
    ("question", "doc", "said"),
    [
        ("capital of germany", "germany", "Berlin"),
        ("how tall is mount everest", "everest", "8,849"),
        ("what is the currency of Australia", "australia", "dollar"),
        ("when did the Eiffel Tower open", "eiffel", "1889"),
    ],
)
def test_what_the_base_gives_is_still_answered(
    agent: Agent, question: str, doc: str, said: str
) -> None:
    result = agent.run(question)
    assert [s.target for s in result.steps] == ["facts"], result.unmatched
    step = result.steps[0]
    assert step.ok, step.error
    assert step.data["claims"][0]["doc_id"] == doc
    assert said in result.answer
