from __future__ import annotations

from collections.abc import Callable

import pytest

from agentroute import Plan, PlanningContext, Step


class FixedPlanner:
    """A planner whose plans a test writes out; records every context it was given."""

    name = "fixed"

    def __init__(self, *rounds: list[tuple[str, str]] | Callable[[PlanningContext], Plan]) -> None:
        self.rounds = list(rounds)
        self.contexts: list[PlanningContext] = []

    async def plan(self, ctx: PlanningContext) -> Plan:
        self.contexts.append(ctx)
        spec = self.rounds[min(len(self.contexts), len(self.rounds)) - 1]
        if callable(spec):
            return spec(ctx)
        n = ctx.next_step_number
        steps = [Step(id=f"s{n + i}", query=q, target=t) for i, (q, t) in enumerate(spec)]
        return Plan(steps=steps, planner=self.name)


@pytest.fixture
def fixed_planner() -> type[FixedPlanner]:
    return FixedPlanner
