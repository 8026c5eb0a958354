"""A cascade over recorded model outputs (RouterBench): cheap models first, fully offline.

    python examples/cascade.py [path/to/routerbench]

Two cheap replay experts answer first; when the vote of their answers (each weighted by how
good the router expects that model to be here) is convincing, the dear model is never paid
for. The router learns what to expect from outcomes recorded on other prompts.
"""

import json
import sys
from pathlib import Path

from agentroute import Agent, ChatModelExpert, Plan, PlanningContext, Step, TargetDescriptor
from agentroute.models import ReplayChatModel
from agentroute.routing import (
    CascadeExpert,
    CascadeRouter,
    RoutingConfig,
    fit_from_outcomes,
    load_outcome_table,
)


class WholeRequest:
    """The whole request is one step for the cascade."""

    name = "whole-request"

    async def plan(self, ctx: PlanningContext) -> Plan:
        return Plan(steps=[Step(id="s1", query=ctx.request, target="cascade")], planner=self.name)


data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "data/routerbench"
csv = data / "arc_challenge_train.csv"
pool = {
    "gpt4": "gpt-4-1106-preview",
    "yi": "zero-one-ai/Yi-34B-Chat",
    "mixtral": "mistralai/mixtral-8x7b-chat",
}
table = load_outcome_table(csv, keep_responses=True)

# What the router learns from: outcomes of these models on 300 other prompts, under our names.
outcomes = Path("outcomes.jsonl")
with outcomes.open("w") as fh:
    for i in range(100, 400):
        for name, model in pool.items():
            j = table.models.index(model)
            row = {"query": table.queries[i], "model": name, "task": "arc"}
            row |= {"quality": table.quality[i, j], "cost_usd": table.cost[i, j]}
            fh.write(json.dumps(row) + "\n")
router = fit_from_outcomes(
    outcomes, router="graph", config=RoutingConfig(dollars_per_point=float("inf"))
)

experts = [
    ChatModelExpert(
        ReplayChatModel.from_csv(csv, model=model), TargetDescriptor(name=name, kind="expert")
    )
    for name, model in pool.items()
]
cascade = CascadeExpert(CascadeRouter(router, width=2, cost_fraction=0.25), experts)
with Agent(targets=[cascade], planner=WholeRequest(), max_rounds=1, checkpoint=False) as agent:
    for question in table.queries[:3]:
        step = agent.run(question).steps[0]
        paid = ", ".join(s.name for s in step.sources)
        print(
            f"{step.data['note']}\n  paid for: {paid}; cost ${step.cost_usd:.6f}; answer {step.result!r}"
        )
