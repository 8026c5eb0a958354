"""A turn's trace as readable lines: one per node and per step, with timing and cost."""

from __future__ import annotations

from collections.abc import Sequence

from agentroute._records import TraceEvent

__all__ = ["format_trace"]


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
            lines.append(
                f"{at}    policy {d.get('step_id')} {d.get('target')}: {d.get('effect')}"
                f" by {d.get('rule') or 'default'} — {d.get('reason')}"
            )
        elif e.kind == "plan":
            d = e.data
            lines.append(f"{at}    plan by {d.get('planner')}: {d.get('reasoning', '')[:200]}")
        else:
            lines.append(f"{at}    {e.node}/{e.kind}: {e.data}")
    return lines
