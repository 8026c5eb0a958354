"""The decisions inside route and gate: which target a step goes to (within the budget), and
what the policy says about the call (failing closed)."""

from __future__ import annotations

from collections.abc import Mapping

from agentroute._log import get_logger
from agentroute.protocols import Target
from agentroute.turn._state import TurnContext, TurnState
from agentroute.types import PolicyDecision, RouteDecision, Step, TargetKind, ToolCall

__all__ = ["budget_left", "check_call", "choose_route", "hidden_by_policy"]

log = get_logger(__name__)


def budget_left(ctx: TurnContext, state: TurnState) -> float:
    """Dollars this turn may still spend (per-turn and per-session budgets, whichever binds)."""
    left = float("inf")
    if ctx.budget.per_turn_usd is not None:
        left = ctx.budget.per_turn_usd - state.get("cost_usd", 0.0)
    if ctx.budget.per_session_usd is not None:
        spent = ctx.session_spent.get(state.get("session", ""), 0.0)
        left = min(left, ctx.budget.per_session_usd - spent)
    return left


def choose_route(
    ctx: TurnContext,
    step: Step,
    left: float,
    hint: RouteDecision | None = None,
) -> RouteDecision:
    """The planner named a target; for experts, a model router may pick a better-value one."""
    name = step.target
    if name is None or name not in ctx.targets:
        return RouteDecision(step_id=step.id, target=None, reason="no target was planned")
    chosen = ctx.targets[name].descriptor
    if chosen.kind is TargetKind.EXPERT and ctx.model_router is not None:
        experts = [
            t.descriptor for t in ctx.targets.values() if t.descriptor.kind is TargetKind.EXPERT
        ]
        decision = ctx.model_router.choose(step.query, experts)
        fallback = hint is not None and hint.fallback  # the planner's catch-all stays one
        decision = decision.model_copy(
            update={"step_id": step.id, "kind": TargetKind.EXPERT, "fallback": fallback}
        )
        if decision.target is None:
            return decision
        ranked = [decision.target, *(a.target for a in decision.alternatives)]
        for rank, option in enumerate(ranked):
            if option not in ctx.targets:
                continue
            cost = ctx.targets[option].estimate_cost(step.query)
            if cost <= left:
                if rank == 0:
                    return decision
                return decision.model_copy(
                    update={
                        "target": option,
                        "predicted_cost": cost,
                        "reason": f"{decision.target} is over the remaining budget "
                        f"(${max(left, 0):.4f}); {option} is the best that fits",
                    }
                )
        return RouteDecision(
            step_id=step.id,
            target=None,
            kind=TargetKind.EXPERT,
            alternatives=decision.alternatives,
            reason=f"no expert fits the remaining budget (${max(left, 0):.4f})",
        )
    cost = ctx.targets[name].estimate_cost(step.query)
    if cost > left:
        return RouteDecision(
            step_id=step.id,
            target=None,
            kind=chosen.kind,
            predicted_cost=cost,
            reason=f"{name} would cost ${cost:.4f}, over the remaining budget ${max(left, 0):.4f}",
        )
    if hint is not None and hint.target == name:
        return hint.model_copy(update={"step_id": step.id, "predicted_cost": cost})
    return RouteDecision(
        step_id=step.id,
        target=name,
        kind=chosen.kind,
        score=1.0,
        predicted_cost=cost,
        reason="chosen by the planner",
    )


def hidden_by_policy(gate: object, targets: Mapping[str, Target]) -> list[str]:
    """The targets ``gate`` denies whatever the call (a gate that can tell: ``never_allows``):
    the planner is not shown them, so they are never planned, then replanned."""
    never = getattr(gate, "never_allows", None)
    if never is None:
        return []
    return sorted(n for n, t in list(targets.items()) if never(n, t.descriptor.kind))


def check_call(ctx: TurnContext, call: ToolCall, session: str) -> PolicyDecision:
    """The gate fails closed: an error inside the policy engine is a deny."""
    try:
        return ctx.gate.check(call, session=session)
    except Exception as exc:
        log.error("gate.error", target=call.target, error=repr(exc))
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect="deny",
            reason=f"policy evaluation failed ({exc!r}); failing closed",
            fallback=f"the call to {call.target} was blocked (policy error)",
        )
