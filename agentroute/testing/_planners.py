"""A planner that sends the whole request to one target, for tests and benchmarks of routing.

With it, what a test measures is the route node (the model router, a cascade), not how a
planner would have split or worded the request.
"""

from __future__ import annotations

from agentroute._records import Plan, Step, TargetKind
from agentroute.planning._base import PlanningContext

__all__ = ["OneStepPlanner"]


class OneStepPlanner:
    """One step per turn: the request as it is, to ``target`` or else the first expert."""

    name = "one-step"

    def __init__(self, target: str | None = None) -> None:
        self.target = target

    async def plan(self, ctx: PlanningContext) -> Plan:
        if ctx.round > 1:
            return Plan(steps=[], planner=self.name)
        target = self.target or next(
            (t.name for t in ctx.targets if t.kind is TargetKind.EXPERT), None
        )
        if target is None:
            return Plan(steps=[], unmatched=[ctx.request], planner=self.name)
        step = Step(id=f"s{ctx.next_step_number}", query=ctx.request, target=target)
        return Plan(steps=[step], planner=self.name)
