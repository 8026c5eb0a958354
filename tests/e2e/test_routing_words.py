"""Through the real Agent: a blend router whose embedding cannot see the word that decides
which expert answers reads it from the prompt's words (the share its cross-validation gave
them), and routes each step to the expert that is right."""

from __future__ import annotations

import numpy as np

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import OutcomeTable, QueryFeaturizer, make_router
from agentroute.testing import FunctionChatModel, OneStepPlanner


def prompts(n: int, seed: int) -> tuple[list[str], list[str]]:
    """Filler words with 'alpha' (the left expert is right) or 'omega' (the right one is)."""
    rng = np.random.default_rng(seed)
    filler = [f"w{k}" for k in range(2000)]
    out, right = [], []
    for i in range(n):
        words = list(rng.choice(filler, size=15))
        marker = "alpha" if i % 2 == 0 else "omega"
        words.insert(int(rng.integers(0, 15)), marker)
        out.append(" ".join(words))
        right.append("left" if marker == "alpha" else "right")
    return out, right


def expert(name: str, price: float) -> ChatModelExpert:
    return ChatModelExpert(
        FunctionChatModel(function=lambda messages: f"{name} answers"),
        TargetDescriptor(
            name=name, kind=TargetKind.EXPERT, price_in_per_m=price, price_out_per_m=price
        ),
    )


def routed_right(word_weight: float | None) -> float:
    queries, right = prompts(300, 2)
    quality = np.array([[1.0, 0.0] if r == "left" else [0.0, 1.0] for r in right])
    cost = np.tile([0.001, 0.002], (len(queries), 1))
    table = OutcomeTable(queries, ["t"] * len(queries), ["left", "right"], quality, cost)
    # 8 dimensions: every word's n-grams collide, so the embedding is blind to the marker.
    router = make_router(
        "blend", featurizer=QueryFeaturizer(NgramHashingEmbedder(8)), word_weight=word_weight
    ).fit(table)
    fresh, truth = prompts(20, 3)
    hits = 0
    with Agent(
        targets=[expert("left", 1.0), expert("right", 2.0)],
        planner=OneStepPlanner(),
        model_router=router,
        max_rounds=1,
    ) as agent:
        for query, want in zip(fresh, truth, strict=True):
            route = agent.run(query).steps[0].route
            assert route is not None and route.target in ("left", "right")
            hits += route.target == want
    return hits / len(fresh)


def test_the_agent_routes_by_the_deciding_word() -> None:
    with_words = routed_right(None)
    without = routed_right(0.0)
    assert with_words >= 0.9, with_words
    assert without <= 0.75, without
