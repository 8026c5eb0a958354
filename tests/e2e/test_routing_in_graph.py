"""Expert-model routing inside the real graph: cost-aware choice, learning from feedback,
and an explicit decision when the budget fits no model."""

from __future__ import annotations

from agentroute import Agent, Budget, ChatModelExpert, Plan, PlanningContext, Step
from agentroute import TargetDescriptor, TargetKind
from agentroute.routing import default_router
from agentroute.testing import ScriptedChatModel


class ToFirstExpert:
    name = "to-first-expert"

    async def plan(self, ctx: PlanningContext) -> Plan:
        expert = next(t.name for t in ctx.targets if t.kind is TargetKind.EXPERT)
        return Plan(steps=[Step(id=f"s{ctx.next_step_number}", query=ctx.request, target=expert)])


def expert(name: str, price: float, answer: str) -> ChatModelExpert:
    return ChatModelExpert(
        ScriptedChatModel(replies=[answer]),
        TargetDescriptor(
            name=name,
            kind=TargetKind.EXPERT,
            price_in_per_m=price,
            price_out_per_m=price,
            description="answers physics questions",
        ),
    )


def test_feedback_moves_routing_to_the_model_that_is_right() -> None:
    cheap, strong = expert("cheap", 0.1, "wrong"), expert("strong", 10.0, "right")
    router = default_router(descriptors=[cheap.descriptor, strong.descriptor])
    questions = [
        f"Explain quantum tunnelling in a {adj} way"
        for adj in ("simple", "short", "clear", "precise", "friendly", "formal", "brief", "vivid")
    ]
    with Agent(
        targets=[cheap, strong], planner=ToFirstExpert(), model_router=router, max_rounds=1
    ) as agent:
        first = agent.run(questions[0])
        assert first.steps[0].route is not None and first.steps[0].route.alternatives
        chosen = []
        for q in questions:
            result = agent.run(q)
            target = result.steps[0].target
            chosen.append(target)
            assert agent.feedback(result.turn_id, 1.0 if target == "strong" else 0.0)
            if target == "cheap":  # also show the router what the other model would have done
                from agentroute.routing import Outcome

                router.learn(Outcome(query=q, model="strong", quality=1.0, cost_usd=0.003))
        final = agent.run("Explain quantum tunnelling in a playful way")
    assert chosen[0] == "cheap", "the prior prefers the cheap model before any outcome"
    assert final.steps[0].target == "strong", (chosen, final.steps[0].route)
    assert "right" in final.answer


def test_a_budget_no_model_fits_is_an_explicit_decision() -> None:
    pricey = expert("pricey", 50.0, "gold")
    router = default_router(descriptors=[pricey.descriptor])
    with Agent(
        targets=[pricey],
        planner=ToFirstExpert(),
        model_router=router,
        max_rounds=1,
        budget=Budget(per_turn_usd=1e-9),
    ) as agent:
        result = agent.run("Explain entropy")
    step = result.steps[0]
    assert step.route is not None and step.route.target is None
    assert "budget" in step.route.reason
    assert not step.ok and "gold" not in result.answer
