"""Planners for tests: a strict script of plans, a function, one step, or every target once.

With them, what a test measures is the graph (routing, policy, dispatch, replanning), not how a
real planner would have split or worded the request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from agentroute.testing._schema_data import value_for
from agentroute.testing._script import Script, prompt_start
from agentroute.types import Plan, PlanningContext, Step, TargetKind

__all__ = [
    "FunctionPlanner",
    "OneStepPlanner",
    "PlanFunction",
    "ScriptedPlanner",
    "ScriptedStep",
    "TestPlanner",
]

ScriptedStep: TypeAlias = Step | tuple[str, str] | tuple[str, str, dict[str, Any]]
"""A step as a test writes it: a ``Step``, or ``(query, target)`` or ``(query, target, args)``."""

PlanFunction: TypeAlias = Callable[[PlanningContext], Plan | Sequence[Step]]
"""What a ``FunctionPlanner`` calls: the planning context in, a plan or its steps out."""


class ScriptedPlanner:
    """Plans one scripted round per call, in order, and is strict both ways.

    A round is a ``Plan`` or a list of ``ScriptedStep``; written steps are numbered from the
    context's ``next_step_number``, and an empty round ends the turn. A call beyond the script
    raises ``ScriptError`` naming the call and the request; ``assert_consumed()`` raises for a
    round never asked for. ``contexts`` records what each call was given.
    """

    def __init__(self, *rounds: Plan | Sequence[ScriptedStep], name: str = "scripted") -> None:
        self.name = name
        self.contexts: list[PlanningContext] = []
        self._script: Script[Plan | Sequence[ScriptedStep]] = Script("ScriptedPlanner", rounds)

    async def plan(self, ctx: PlanningContext) -> Plan:
        self.contexts.append(ctx)
        spec = self._script.next(f"round {ctx.round}, request starts {prompt_start(ctx.request)!r}")
        if isinstance(spec, Plan):
            return spec
        n = ctx.next_step_number
        return Plan(steps=[_step(f"s{n + i}", s) for i, s in enumerate(spec)], planner=self.name)

    def assert_consumed(self) -> None:
        """Raise ``ScriptError`` unless every round was planned and no call went beyond them."""
        self._script.assert_consumed()


class FunctionPlanner:
    """Plans with ``function(ctx)``: for plans computed from the context (the round, what failed).

    A returned ``Plan`` is used as it is; a list of steps becomes a plan by this planner.
    ``contexts`` records what each call was given.
    """

    def __init__(self, function: PlanFunction, *, name: str = "function") -> None:
        self.name = name
        self.function = function
        self.contexts: list[PlanningContext] = []

    async def plan(self, ctx: PlanningContext) -> Plan:
        self.contexts.append(ctx)
        result = self.function(ctx)
        if isinstance(result, Plan):
            return result
        return Plan(steps=list(result), planner=self.name)


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


class TestPlanner:
    """Calls every target it is shown once, then ends the turn: a smoke test of every target.

    Arguments are the simplest valid under the target's ``input_schema`` (its required
    properties only); a target without a schema gets none and derives them from the query.
    """

    __test__ = False  # pytest: a double, not a test class
    name = "test"

    async def plan(self, ctx: PlanningContext) -> Plan:
        if ctx.round > 1:
            return Plan(steps=[], planner=self.name)
        n = ctx.next_step_number
        steps = [
            Step(
                id=f"s{n + i}",
                query=f"test {t.name}",
                target=t.name,
                args=value_for(t.input_schema) if t.input_schema is not None else None,
            )
            for i, t in enumerate(ctx.targets)
        ]
        return Plan(steps=steps, planner=self.name)


def _step(step_id: str, spec: ScriptedStep) -> Step:
    if isinstance(spec, Step):
        return spec
    query, target, *rest = spec
    return Step(id=step_id, query=query, target=target, args=rest[0] if rest else None)
