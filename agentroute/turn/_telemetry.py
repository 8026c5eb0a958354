"""What a turn tells operators: the attributes of its spans (turn, call, policy check) and its
counters, taken from the same records the result and the trace carry.

Counters are added once per finished turn from its ``TurnResult``: a turn waiting for a
human's approval counts only as ``pending``, and its steps are counted when it finishes (a
resumed turn's result holds them all), so nothing is counted twice.
"""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import Span, Status, StatusCode

from agentroute.observability._metrics import metrics, metrics_enabled
from agentroute.turn._result import StepResult, TurnResult
from agentroute.types import Observation, PolicyDecision, RouteDecision

__all__ = [
    "call_attributes",
    "count_turn",
    "count_turn_error",
    "end_call",
    "end_policy",
    "end_turn",
    "step_error_kind",
    "turn_outcome",
]

_TEXT = 200
"""Reasons and errors are cut to this many characters in an attribute."""


def call_attributes(step_id: str, route: RouteDecision) -> dict[str, Any]:
    """A call span's attributes known before the call: the step and its route."""
    attributes: dict[str, Any] = {
        "agentroute.step": step_id,
        "agentroute.target": route.target or "-",
        "agentroute.target.kind": str(route.kind or ""),
        "agentroute.route.score": float(route.score),
        "agentroute.route.reason": route.reason[:_TEXT],
    }
    if route.predicted_cost is not None:
        attributes["agentroute.route.predicted_cost_usd"] = float(route.predicted_cost)
    return attributes


def end_call(span: Span, obs: Observation) -> None:
    """What the call cost and returned; a failed call's span is an error."""
    if not span.is_recording():
        return
    span.set_attribute("agentroute.target.kind", str(obs.kind))
    span.set_attribute("agentroute.ok", obs.ok)
    span.set_attribute("agentroute.cost_usd", obs.cost_usd)
    span.set_attribute("agentroute.latency_s", obs.latency_s)
    if obs.tokens_in or obs.tokens_out:
        span.set_attribute("gen_ai.usage.input_tokens", obs.tokens_in)
        span.set_attribute("gen_ai.usage.output_tokens", obs.tokens_out)
    if not obs.ok:
        error = obs.error or "failed"
        span.set_attribute("error.type", "timeout" if _timed_out(error) else "target")
        span.set_status(Status(StatusCode.ERROR, error[:_TEXT]))


def end_policy(span: Span, decision: PolicyDecision) -> None:
    if not span.is_recording():
        return
    span.set_attribute("agentroute.policy.effect", decision.effect)
    span.set_attribute("agentroute.policy.rule", decision.rule or "default")
    span.set_attribute("agentroute.policy.reason", decision.reason[:_TEXT])
    if decision.policy_version:
        span.set_attribute("agentroute.policy.version", decision.policy_version)


def turn_outcome(result: TurnResult) -> str:
    if result.pending_approval is not None:
        return "pending"
    return "ok" if result.ok else "failed"


def end_turn(span: Span, result: TurnResult) -> None:
    if not span.is_recording():
        return
    span.set_attribute("agentroute.turn.id", result.turn_id)
    span.set_attribute("agentroute.outcome", turn_outcome(result))
    span.set_attribute("agentroute.cost_usd", result.cost_usd)
    span.set_attribute("agentroute.steps", len(result.steps))
    span.set_attribute("agentroute.steps.failed", sum(not s.ok for s in result.steps))
    span.set_attribute("agentroute.rounds", result.rounds)
    span.set_attribute("gen_ai.usage.input_tokens", sum(s.tokens_in for s in result.steps))
    span.set_attribute("gen_ai.usage.output_tokens", sum(s.tokens_out for s in result.steps))
    if result.stopped:
        span.set_attribute("agentroute.stopped", result.stopped[:_TEXT])


def _timed_out(error: str) -> bool:
    return " timed out after " in error  # protocols.bounded_invoke's wording


def step_error_kind(step: StepResult) -> str | None:
    """Why a step failed, for the errors counter; ``None`` when it did not, or when the policy
    refused it (counted among the policy's decisions instead)."""
    if step.ok or (step.policy is not None and step.policy.effect != "allow"):
        return None
    if step.route is None:
        return "blocked"
    if step.route.target is None:
        return "no_route"
    if step.policy is None:
        return "arguments"
    return "timeout" if _timed_out(step.error or "") else "target"


def count_turn(result: TurnResult) -> None:
    """Add a finished (or pending) turn to the counters, when counting is on."""
    if not metrics_enabled():
        return
    m = metrics()
    m.turns.labels(turn_outcome(result)).inc()
    m.turn_latency.observe(result.latency_s)
    if result.pending_approval is not None:
        return
    for step in result.steps:
        kind, target = str(step.kind or ""), step.target or "-"
        if step.route is not None and step.route.target is not None:
            m.routes.labels(str(step.route.kind or kind), step.route.target).inc()
        if step.policy is not None:
            m.policy_decisions.labels(step.policy.effect, step.policy.rule or "default").inc()
        if step.cost_usd:
            m.cost_usd.labels(kind, target).inc(step.cost_usd)
        if step.tokens_in:
            m.tokens.labels(kind, target, "in").inc(step.tokens_in)
        if step.tokens_out:
            m.tokens.labels(kind, target, "out").inc(step.tokens_out)
        error = step_error_kind(step)
        if error is not None:
            m.errors.labels(error, target).inc()


def count_turn_error(latency_s: float) -> None:
    """A turn that raised: counted as an error of kind ``turn``."""
    if not metrics_enabled():
        return
    m = metrics()
    m.turns.labels("error").inc()
    m.turn_latency.observe(latency_s)
    m.errors.labels("turn", "-").inc()
