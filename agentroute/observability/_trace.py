"""A turn's trace as readable lines: one per node and per step, with timing and cost."""

from __future__ import annotations

from collections.abc import Sequence

from agentroute.types import TraceEvent

__all__ = ["decision_reason", "format_trace"]


def decision_reason(rule: str | None, reason: str) -> str:
    """A policy decision's reason naming its rule once: the engine's reasons already read
    "allow by file:9: <rule>", so putting the rule in front said it twice."""
    if not reason:
        return rule or "default"
    return reason if rule is None or rule in reason else f"{rule}: {reason}"


def format_trace(events: Sequence[TraceEvent]) -> list[str]:
    if not events:
        return []
    t0 = min(e.t for e in events)
    lines = []
    for e in sorted(events, key=lambda e: (e.t, e.kind != "node")):
        at = f"{(e.t - t0) * 1000:8.1f} ms"
        took = f" ({e.duration_s * 1000:.1f} ms)" if e.duration_s is not None else ""
        if e.kind == "node":
            lines.append(f"{at}  {e.node}{took}")
        elif e.kind == "step":
            d = e.data
            status = "ok" if d.get("ok") else f"failed: {d.get('error')}"
            lines.append(
                f"{at}    step {d.get('step')} → {d.get('target')}{took} "
                f"${d.get('cost_usd', 0):.6f} {status}"
            )
        elif e.kind == "policy":
            d = e.data
            effect = d.get("effect")
            why = decision_reason(d.get("rule"), str(d.get("reason") or ""))
            said = why if why.startswith(f"{effect} ") else f"{effect} — {why}"
            lines.append(f"{at}    policy {d.get('step_id')} {d.get('target')}: {said}")
        elif e.kind == "plan":
            d = e.data
            lines.append(f"{at}    plan by {d.get('planner')}: {d.get('reasoning', '')[:200]}")
            hidden = d.get("hidden_by_policy") or []
            if hidden:  # else a request only they fit reads as plain "no suitable target"
                said = ", ".join(hidden)
                lines.append(f"{at}    not shown to the planner (the policy denies them): {said}")
        elif e.kind == "answer":
            d = e.data
            lines.append(f"{at}    answer by {d.get('by')}: {d.get('reason', '')[:300]}")
        else:
            lines.append(f"{at}    {e.node}/{e.kind}: {e.data}")
    return lines
