"""Through the real Agent: a blend router that reads the prompt's length sends a long request
to the strong expert and a short one to the cheap expert, where only length tells them apart
(as on RouteLLM's GSM8K, where a longer word problem has more steps and the weak model fails
it more). With the length not read, the words say nothing and both go the same way."""

from __future__ import annotations

import numpy as np
import pytest

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import HashingEmbedder
from agentroute.routing import OutcomeTable, QueryFeaturizer, RoutingConfig, make_router
from agentroute.testing import FunctionChatModel, OneStepPlanner

MODELS = ["weak", "strong"]


def prompt(tag: str, words: int) -> str:
    """'please' and words no other prompt has: neither the words (a word in one prompt only
    is no feature) nor their signed hashing (a random direction at any length) say anything
    but the length."""
    return "please " + " ".join(f"{tag}x{k}" for k in range(words))


def outcomes(n: int = 240) -> OutcomeTable:
    """Half the prompts short (both experts right), half long (only the strong one right)."""
    rng = np.random.default_rng(0)
    queries, quality = [], []
    for i in range(n):
        long = i % 2 == 1
        words = int(rng.integers(60, 90)) if long else int(rng.integers(4, 9))
        queries.append(prompt(f"p{i}", words))
        quality.append([0.0, 1.0] if long else [1.0, 1.0])
    cost = np.tile([0.0001, 0.03], (n, 1))  # the strong expert costs 300 times as much
    return OutcomeTable(queries, ["t"] * n, list(MODELS), np.array(quality), cost)


def expert(name: str, price: float) -> ChatModelExpert:
    return ChatModelExpert(
        FunctionChatModel(function=lambda messages, name=name: f"answer from {name}"),
        TargetDescriptor(
            name=name, kind=TargetKind.EXPERT, price_in_per_m=price, price_out_per_m=price
        ),
    )


def routed(read_length: bool) -> tuple[str | None, str | None]:
    """The expert the agent routes a fresh long request and a fresh short one to."""
    router = make_router(
        "blend",
        featurizer=QueryFeaturizer(HashingEmbedder(16)),
        read_length=read_length,
        config=RoutingConfig(dollars_per_point=0.0005),
    )
    router.fit(outcomes())
    experts = [expert("weak", 0.2), expert("strong", 10.0)]
    with Agent(
        targets=experts, planner=OneStepPlanner(), model_router=router, max_rounds=1
    ) as agent:
        targets = []
        for tag, words in (("long", 75), ("short", 6)):
            step = agent.run(prompt(tag, words)).steps[0]
            assert step.ok and step.route is not None
            targets.append(step.route.target)
    return targets[0], targets[1]


@pytest.mark.parametrize("read_length", [True, False])
def test_the_agent_routes_by_the_prompts_length_only_when_the_router_reads_it(
    read_length: bool,
) -> None:
    long_to, short_to = routed(read_length)
    if read_length:
        assert (long_to, short_to) == ("strong", "weak")
    else:
        assert long_to == short_to, (long_to, short_to)
