"""Expert-model routing inside the real graph: cost-aware choice, learning from feedback,
and an explicit decision when the budget fits no model."""

from __future__ import annotations

from agentroute import (
    Agent,
    Budget,
    ChatModelExpert,
    TargetDescriptor,
    TargetKind,
)
from agentroute.routing import Outcome, default_router
from agentroute.testing import FunctionChatModel, OneStepPlanner


def expert(name: str, price: float, answer: str) -> ChatModelExpert:
    return ChatModelExpert(
        FunctionChatModel(function=lambda messages: answer),  # called as routing decides
        TargetDescriptor(
            name=name,
            kind=TargetKind.EXPERT,
            price_in_per_m=price,
            price_out_per_m=price,
            description="answers physics questions",
        ),
    )


def test_feedback_moves_routing_to_the_model_that_is_right() -> None:
    big, small = expert("big", 10.0, "wrong"), expert("small", 0.1, "right")
    router = default_router(descriptors=[big.descriptor, small.descriptor])
    questions = [
        f"Explain quantum tunnelling in a {adj} way"
        for adj in ("simple", "short", "clear", "precise", "friendly", "formal", "brief", "vivid")
    ]
    with Agent(
        targets=[big, small], planner=OneStepPlanner(), model_router=router, max_rounds=1
    ) as agent:
        chosen = []
        for q in questions:
            result = agent.run(q)
            assert result.steps[0].route is not None and result.steps[0].route.alternatives
            target = result.steps[0].target
            chosen.append(target)
            assert agent.feedback(result.turn_id, 1.0 if target == "small" else 0.0)
            if target == "big":  # the user also tried the small model, which was right
                router.learn(Outcome(query=q, model="small", quality=1.0, cost_usd=0.00005))
        final = agent.run("Explain quantum tunnelling in a playful way")
    assert chosen[0] == "big", "before any outcome, the descriptor prior prefers the big model"
    assert final.steps[0].target == "small", (chosen, final.steps[0].route)
    assert "right" in final.answer


def test_a_budget_no_model_fits_is_an_explicit_decision() -> None:
    pricey = expert("pricey", 50.0, "gold")
    router = default_router(descriptors=[pricey.descriptor])
    with Agent(
        targets=[pricey],
        planner=OneStepPlanner(),
        model_router=router,
        max_rounds=1,
        budget=Budget(per_turn_usd=1e-9),
    ) as agent:
        result = agent.run("Explain entropy")
    step = result.steps[0]
    assert step.route is not None and step.route.target is None
    assert "budget" in step.route.reason
    assert not step.ok and "gold" not in result.answer
