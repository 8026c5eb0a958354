"""Knowledge bases chosen by their content, through the real Agent graph: two chromadb bases on
disk whose descriptions mislead, the content probe routing right, and a question about an
entity no base holds declined instead of answered with a neighbour's passage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbroute")
    embedder = default_embedder()
    # The descriptions say the opposite of what the bases hold.
    sky = ChromaKnowledgeBase(
        "notes_a",
        root / "a",
        embedder,
        description="Cooking: recipes, baking, kitchen techniques and ingredients.",
    )
    sky.add(
        [
            Document(
                id="jupiter",
                title="Jupiter",
                text="Jupiter is the largest planet; its Great Red Spot is a giant storm.",
            ),
            Document(
                id="switzerland",
                title="Switzerland",
                text="Bern is the capital of Switzerland, a country in the Alps.",
            ),
        ]
    )
    kitchen = ChromaKnowledgeBase(
        "notes_b",
        root / "b",
        embedder,
        description="Astronomy: planets, stars, moons and galaxies.",
    )
    kitchen.add(
        [
            Document(
                id="bread",
                title="Bread",
                text="Knead bread dough for ten minutes, then let it rise for an hour.",
            ),
        ]
    )
    with Agent(
        name="kbroute",
        targets=[sky, kitchen],
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


def test_content_routes_where_the_description_misleads(agent: Agent) -> None:
    result = agent.run("Which planet has the Great Red Spot?")
    assert [s.target for s in result.steps] == ["notes_a"]
    assert result.steps[0].ok and "Jupiter" in result.answer
    route = result.steps[0].route
    assert route is not None and "passage" in route.reason  # chosen by its passage

    result = agent.run("How long should bread dough rise?")
    assert [s.target for s in result.steps] == ["notes_b"]
    assert "rise" in result.answer


def test_a_missing_entity_is_declined_not_answered_by_a_neighbour(agent: Agent) -> None:
    result = agent.run("What is the capital of Liechtenstein?")
    assert not any(s.ok for s in result.steps)
    assert "Bern" not in result.answer
    assert [u.rstrip("?") for u in result.unmatched] == ["What is the capital of Liechtenstein"]
