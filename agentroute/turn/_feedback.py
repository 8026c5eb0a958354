"""What a verdict on a turn teaches the model routers.

The agent's model router learns one outcome per expert step. A cascade target learns from its
own account of which models answered what (see ``CascadeExpert.feedback``), since the step
names the cascade, not the model whose answer was kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentroute.protocols import ModelRouter, Target
from agentroute.turn._result import TurnResult
from agentroute.types import TargetKind

__all__ = ["teach_routers"]


def teach_routers(
    turn: TurnResult,
    reward: float,
    targets: Mapping[str, Target],
    model_router: ModelRouter | None,
) -> list[Any]:
    """Learn from ``reward`` for every successful expert step; returns the outcomes learned."""
    from agentroute.routing import Outcome

    learn = getattr(model_router, "learn", None)
    # The router names the task of each step's query, so the outcome (and the store that keeps
    # it) is filed under it rather than under a task of its own.
    task_of = getattr(model_router, "task_of", None)
    outcomes: list[Outcome] = []
    for step in turn.steps:
        if step.kind is not TargetKind.EXPERT or not step.target or not step.ok:
            continue
        target = targets.get(step.target)
        own = getattr(target, "feedback", None)
        if own is not None:
            outcomes += own(step.query, step.data, reward)
        elif learn is not None:
            outcome = Outcome(
                query=step.query,
                model=step.target,
                quality=reward,
                cost_usd=step.cost_usd,
                latency_s=step.latency_s,
                task=task_of(step.query) if task_of is not None else "",
            )
            learn(outcome)
            outcomes.append(outcome)
    return outcomes
