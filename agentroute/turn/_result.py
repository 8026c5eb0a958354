"""The public result of a turn, built from the final state."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agentroute.types import (
    AnswerCheck,
    MemoryHit,
    Observation,
    PolicyDecision,
    RouteDecision,
    Source,
    TargetKind,
    TraceEvent,
)

__all__ = ["StepResult", "TurnResult", "turn_result"]


class StepResult(BaseModel):
    id: str
    target: str | None
    kind: TargetKind | None
    query: str
    ok: bool
    result: str
    error: str | None = None
    args: dict[str, Any] | None = None
    sources: list[Source] = Field(default_factory=list)
    route: RouteDecision | None = None
    policy: PolicyDecision | None = None
    cost_usd: float = 0.0
    latency_s: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    data: Any = None
    """The target's structured payload (a tool's structured content, a cascade's account)."""
    unavailable: bool = False
    """The step failed because its target could not be reached (its server restarting, down
    or hung): the part was not re-routed, and the turn was not remembered."""


class TurnResult(BaseModel):
    """What ``Agent.run`` returns and ``agentroute run --json`` prints."""

    turn_id: str
    thread: str
    request: str
    answer: str
    answer_check: AnswerCheck | None = None
    """Who wrote ``answer``: the composed text, or an LLM's rewrite that kept every finding
    and failure (else why it was not used)."""
    steps: list[StepResult]
    cost_usd: float
    latency_s: float = 0.0
    planners: list[str] = Field(default_factory=list)
    planner_calls: int = 0
    rounds: int = 0
    unmatched: list[str] = Field(default_factory=list)
    memory: list[MemoryHit] = Field(default_factory=list)
    reused_case: str | None = None
    case_id: str | None = None
    stopped: str | None = None
    pending_approval: dict[str, Any] | None = None
    """Set when a policy asks a human: the call awaiting approval (resume to continue)."""
    trace: list[TraceEvent] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps) and not self.unmatched


def _step(sid: str, state: Any) -> StepResult:
    step = state["steps"][sid]
    route: RouteDecision | None = state.get("routes", {}).get(sid)
    obs: Observation | None = state.get("observations", {}).get(sid)
    return StepResult(
        id=sid,
        target=(obs.target if obs else None) or (route.target if route else step.target),
        kind=(obs.kind if obs else None) or (route.kind if route else None),
        query=obs.query if obs else step.query,
        ok=bool(obs and obs.ok),
        result=obs.result if obs else "",
        error=(obs.error if obs else "not run"),
        args=state.get("args", {}).get(sid),
        sources=obs.sources if obs else [],
        route=route,
        policy=state.get("decisions", {}).get(sid),
        cost_usd=obs.cost_usd if obs else 0.0,
        latency_s=obs.latency_s if obs else 0.0,
        tokens_in=obs.tokens_in if obs else 0,
        tokens_out=obs.tokens_out if obs else 0,
        data=obs.data if obs else None,
        unavailable=bool(obs and obs.unavailable),
    )


def turn_result(
    state: Any, *, latency_s: float = 0.0, pending: dict[str, Any] | None = None
) -> TurnResult:
    return TurnResult(
        turn_id=state.get("turn_id", ""),
        thread=state.get("session", ""),
        request=state.get("request", ""),
        answer=state.get("answer", ""),
        answer_check=state.get("answer_check"),
        steps=[_step(sid, state) for sid in state.get("order", [])],
        cost_usd=state.get("cost_usd", 0.0),
        latency_s=latency_s,
        planners=state.get("planners", []),
        planner_calls=state.get("planner_calls", 0),
        rounds=state.get("round", 0),
        unmatched=state.get("unmatched", []),
        memory=state.get("hits", []),
        reused_case=state.get("reused_case"),
        case_id=state.get("case_id"),
        stopped=state.get("stopped"),
        pending_approval=pending,
        trace=state.get("trace", []),
    )
