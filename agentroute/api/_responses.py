"""A turn as OpenAI's chat completion (or its stream of chunks), with what the agent did in an
extra top-level ``agentroute`` field that OpenAI clients ignore: routes, policy decisions,
cost, the thread, and a call waiting for approval."""

from __future__ import annotations

import json
import os
import time
from typing import Any

from agentroute.api._conversation import Outcome
from agentroute.api._messages import APPROVAL_MARK

__all__ = ["approval_prompt", "chunk", "completion", "metadata", "progress", "sse"]


def approval_prompt(pending: dict[str, Any]) -> str:
    """The answer's text while a call waits for a human's yes: what, why, how to answer."""
    call = pending.get("call", {})
    decision = pending.get("decision", {})
    args = json.dumps(call.get("args", {}), ensure_ascii=False, sort_keys=True)
    rule = decision.get("rule")
    why = decision.get("reason") or "the policy asks a human first"
    return (
        f"{APPROVAL_MARK} {call.get('target', '?')} wants to run with {args} "
        f"({'rule ' + str(rule) + ': ' if rule else ''}{why}). "
        "Reply yes to allow it or no to refuse."
    )


def _pending(pending: dict[str, Any] | None) -> dict[str, Any] | None:
    if pending is None:
        return None
    call, decision = pending.get("call", {}), pending.get("decision", {})
    return {
        "step": call.get("step_id"),
        "target": call.get("target"),
        "args": call.get("args", {}),
        "origins": call.get("origins", {}),
        "rule": decision.get("rule"),
        "reason": decision.get("reason"),
        "answer": "reply yes or no, or POST /v1/agentroute/threads/{thread}/approval",
    }


def metadata(outcome: Outcome) -> dict[str, Any]:
    """The ``agentroute`` field: the thread to continue, and what the turn did."""
    result = outcome.result
    steps = []
    for step in result.steps:
        route, policy = step.route, step.policy
        steps.append(
            {
                "id": step.id,
                "query": step.query,
                "target": step.target,
                "kind": step.kind.value if step.kind else None,
                "ok": step.ok,
                "error": step.error,
                "unavailable": step.unavailable,
                "route": None
                if route is None
                else {
                    "target": route.target,
                    "score": route.score,
                    "predicted_cost": route.predicted_cost,
                    "reason": route.reason,
                },
                "policy": None
                if policy is None
                else {"effect": policy.effect, "rule": policy.rule, "reason": policy.reason},
                "cost_usd": step.cost_usd,
                "latency_s": step.latency_s,
            }
        )
    return {
        "thread": outcome.thread,
        "turn": result.turn_id,
        "worker": os.getpid(),
        "how": outcome.how,
        "forked_from": outcome.forked_from,
        "resumed_at": outcome.resumed_at,
        "cost_usd": result.cost_usd,
        "latency_s": result.latency_s,
        "answer_by": result.answer_check.by if result.answer_check else None,
        "steps": steps,
        "unmatched": result.unmatched,
        "stopped": result.stopped,
        "pending_approval": _pending(result.pending_approval),
        "refused_approvals": [_pending(p) for p in outcome.refused],
    }


def answer_text(outcome: Outcome) -> str:
    pending = outcome.result.pending_approval
    return approval_prompt(pending) if pending is not None else outcome.result.answer


def completion(outcome: Outcome, *, request_id: str, model: str) -> dict[str, Any]:
    return {
        "id": request_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer_text(outcome), "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "agentroute": metadata(outcome),
    }


def chunk(
    *,
    request_id: str,
    model: str,
    created: int,
    delta: dict[str, Any],
    finish_reason: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": request_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "system_fingerprint": None,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
    if extra is not None:
        body["agentroute"] = extra
    return body


def sse(data: dict[str, Any] | str) -> bytes:
    """One server-sent event as OpenAI writes it: ``data: <json>`` and a blank line."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {text}\n\n".encode()


def progress(node: str, update: dict[str, Any]) -> dict[str, Any] | None:
    """What a node of the turn just decided, for a streaming client (``None``: nothing to
    show): the plan's steps, each route, each policy decision, each call's outcome."""
    if node == "plan" and update.get("plan") is not None:
        plan = update["plan"]
        return {
            "event": "plan",
            "steps": [{"id": s.id, "query": s.query, "target": s.target} for s in plan.steps],
        }
    if node == "route" and update.get("routes"):
        return {
            "event": "route",
            "routes": [
                {"step": sid, "target": r.target, "reason": r.reason}
                for sid, r in update["routes"].items()
            ],
        }
    if node == "gate" and update.get("decisions"):
        return {
            "event": "policy",
            "decisions": [
                {
                    "step": sid,
                    "target": d.target,
                    "effect": d.effect,
                    "rule": d.rule,
                    "reason": d.reason,
                }
                for sid, d in update["decisions"].items()
            ],
        }
    if node == "dispatch" and update.get("observations"):
        return {
            "event": "call",
            "calls": [
                {
                    "step": sid,
                    "target": o.target,
                    "ok": o.ok,
                    "error": o.error,
                    "latency_s": o.latency_s,
                }
                for sid, o in update["observations"].items()
            ],
        }
    return None
