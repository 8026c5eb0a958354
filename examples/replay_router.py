"""Cost-aware model routing over recorded model outputs (RouterBench), fully offline.

    python examples/replay_router.py [path/to/routerbench]

Three replay experts answer with what the real models answered on these prompts; a graph
router picks the best value for money per sub-query, and explains its choice.
"""

import sys
from pathlib import Path

from agentroute import (
    Agent,
    ChatModelExpert,
    Plan,
    PlanningContext,
    Step,
    TargetDescriptor,
    TargetKind,
)
from agentroute.models import ReplayChatModel
from agentroute.routing import default_router, load_outcome_table


class WholeRequest:
    """A planner of our own: the whole request is one sub-query for an expert (the model
    router then chooses which one)."""

    name = "whole-request"

    async def plan(self, ctx: PlanningContext) -> Plan:
        expert = next(t.name for t in ctx.targets if t.kind is TargetKind.EXPERT)
        return Plan(steps=[Step(id="s1", query=ctx.request, target=expert)], planner=self.name)


data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "data/routerbench"
csv = data / "arc_challenge_train.csv"
pool = {  # name: (RouterBench model, $ per 1M tokens in, out)
    "gpt4": ("gpt-4-1106-preview", 10.0, 30.0),
    "mixtral": ("mistralai/mixtral-8x7b-chat", 0.6, 0.6),
    "llama70b": ("meta/llama-2-70b-chat", 0.9, 0.9),
}
experts = [
    ChatModelExpert(
        ReplayChatModel.from_csv(csv, model=model),
        TargetDescriptor(
            name=name,
            kind=TargetKind.EXPERT,
            description="answers science exam questions",
            examples=["Which of these is a renewable resource?"],
            price_in_per_m=p_in,
            price_out_per_m=p_out,
        ),
    )
    for name, (model, p_in, p_out) in pool.items()
]
router = default_router(descriptors=[e.descriptor for e in experts])
with Agent(targets=experts, model_router=router, planner=WholeRequest(), max_rounds=1) as agent:
    question = load_outcome_table(csv).queries[0]
    result = agent.run(question)
    step = result.steps[0]
    print(f"routed to {step.target}: {step.route.reason}")
    print(f"cost ${result.cost_usd:.6f}; answer: {result.answer[:200]}")
