"""A cascade of expert models inside the real graph: two cheap models that agree answer a
question they are good at; a question they are bad at is escalated, and every call is paid."""

from __future__ import annotations

import numpy as np
from langchain_core.messages import BaseMessage

from agentroute import (
    Agent,
    ChatModelExpert,
    TargetDescriptor,
    TargetKind,
)
from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import (
    CascadeExpert,
    CascadeRouter,
    OutcomeTable,
    QueryFeaturizer,
    RoutingConfig,
    make_router,
)
from agentroute.testing import FunctionChatModel, OneStepPlanner

PRICE = {"small-a": 0.2, "small-b": 0.3, "big": 20.0}  # dollars per million tokens


def expert(name: str, riddle_answer: str) -> ChatModelExpert:
    def respond(messages: list[BaseMessage]) -> str:
        return "Paris" if "capital" in str(messages[-1].content) else riddle_answer

    return ChatModelExpert(
        FunctionChatModel(function=respond),
        TargetDescriptor(
            name=name,
            kind=TargetKind.EXPERT,
            price_in_per_m=PRICE[name],
            price_out_per_m=PRICE[name],
        ),
    )


def outcomes() -> OutcomeTable:
    """The small models are right on 9 in 10 capital questions and 3 in 10 riddles; big on all."""
    queries, tasks, quality, cost = [], [], [], []
    cities = ["France", "Spain", "Peru", "Chad", "Laos", "Fiji", "Oman", "Togo", "Mali", "Cuba"]
    for i in range(120):
        capital = i % 2 == 0
        country = cities[(i // 2) % 10]
        queries.append(
            f"What is the capital of {country}? #{i}"
            if capital
            else f"Solve this riddle about shadows and mirrors number {i}"
        )
        tasks.append("capitals" if capital else "riddles")
        right = (i // 2) % 10 != 0 if capital else (i // 2) % 10 < 3
        quality.append([float(right), float(right), 1.0])
        cost.append([PRICE["small-a"] * 1e-5, PRICE["small-b"] * 1e-5, PRICE["big"] * 1e-5])
    return OutcomeTable(
        queries, tasks, ["small-a", "small-b", "big"], np.array(quality), np.array(cost)
    )


def build() -> tuple[Agent, dict[str, ChatModelExpert]]:
    experts = {
        "small-a": expert("small-a", "a candle"),
        "small-b": expert("small-b", "a candle"),  # agreeing, but weak on riddles
        "big": expert("big", "your shadow"),
    }
    base = make_router(
        "graph",
        featurizer=QueryFeaturizer(NgramHashingEmbedder(256)),
        config=RoutingConfig(dollars_per_point=float("inf")),  # quality first: big is the target
    ).fit(outcomes())
    cascade = CascadeExpert(
        CascadeRouter(base, width=2, cost_fraction=0.25), list(experts.values())
    )
    agent = Agent(targets=[cascade], planner=OneStepPlanner(), max_rounds=1, checkpoint=False)
    return agent, experts


def calls(e: ChatModelExpert) -> int:
    assert isinstance(e.model, FunctionChatModel)
    return len(e.model.calls)


def test_cheap_models_that_agree_answer_and_the_big_one_is_never_paid() -> None:
    agent, experts = build()
    with agent:
        result = agent.run("What is the capital of France?")
    step = result.steps[0]
    assert step.ok and step.target == "cascade" and "Paris" in result.answer
    assert calls(experts["small-a"]) == calls(experts["small-b"]) == 1
    assert calls(experts["big"]) == 0
    assert {s.name for s in step.sources} == {"small-a", "small-b"}
    assert step.cost_usd == result.cost_usd > 0
    assert "accepted" in step.data["note"]


def test_a_question_the_cheap_models_are_bad_at_is_escalated() -> None:
    agent, experts = build()
    with agent:
        result = agent.run("Solve this riddle about shadows and mirrors once more")
    step = result.steps[0]
    assert step.ok and "your shadow" in result.answer
    assert calls(experts["big"]) == 1 and calls(experts["small-a"]) == 1
    assert {s.name for s in step.sources} == {"small-a", "small-b", "big"}
    assert "escalated to big" in step.data["note"]


def test_feedback_on_a_cascade_answer_teaches_its_base_router() -> None:
    agent, _ = build()
    with agent:
        result = agent.run("Solve this riddle about shadows and mirrors again")
        cascade = agent._runtime.targets["cascade"]  # type: ignore[union-attr]
        before = cascade.cascade.base.memory.n
        assert agent.feedback(result.turn_id, 1.0)
    memory = cascade.cascade.base.memory
    assert memory.n == before + 1  # one new query row, with three outcomes
    row = memory.row("Solve this riddle about shadows and mirrors again")
    learned = dict(zip(memory.models, memory.quality[row], strict=True))
    # big's answer was kept and judged right; the small ones said something else.
    assert learned["big"] == 1.0 and learned["small-a"] == 0.0 and learned["small-b"] == 0.0


def test_a_model_that_raises_fails_its_call_and_the_cascade_still_answers() -> None:
    agent, experts = build()

    def broken(messages: list[BaseMessage]) -> str:
        raise ConnectionError("provider down")

    experts["big"].model = FunctionChatModel(function=broken)
    with agent:
        result = agent.run("Solve this riddle about shadows and mirrors, big is down")
    step = result.steps[0]
    assert step.target == "cascade"
    assert not step.ok and "big failed: ConnectionError('provider down')" in (step.error or "")
