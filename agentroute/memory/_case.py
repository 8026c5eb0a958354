"""The case: one finished turn, as the bank keeps it."""

from __future__ import annotations

import hashlib
import json
import time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agentroute.types import Plan, RouteDecision, Step

__all__ = [
    "Case",
    "CaseOutcome",
    "CaseStatus",
    "CaseStep",
    "Judge",
    "Provenance",
    "RecallStats",
    "TurnSummary",
    "content_hash",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseStatus(StrEnum):
    ACTIVE = "active"
    QUARANTINED = "quarantined"
    """Failed a check on write (or was put there by hand): kept for review, never recalled."""
    SUPERSEDED = "superseded"
    """Replaced by a newer case; kept for history, never recalled."""


class Judge(StrEnum):
    """Who decided a case's outcome, strongest first."""

    USER = "user"
    VERIFIER = "verifier"
    TOOL_OUTCOME = "tool_outcome"
    LLM_JUDGE = "llm_judge"
    HEURISTIC = "heuristic"
    POLICY = "policy"
    """The policy (or a human answering its ``ask``) kept steps from running: the turn says
    nothing about whether its routes were right, so it is no verdict at all."""
    FALLBACK = "fallback"
    """A part was answered by a fallback route (`agentroute.types.RouteDecision.fallback`):
    the general expert answers anything, so its answer is no verdict on the route either;
    learning it would make the fallback the route memory reuses."""


class CaseOutcome(_Model):
    success: bool
    reward: float = Field(ge=0.0, le=1.0)
    judged_by: Judge
    note: str = ""

    @property
    def verdict(self) -> bool | None:
        """``success`` as evidence about the plan's routes; ``None`` when there is none.

        A denial is the policy's call, not a sign the route was wrong: such a turn must neither
        reward nor penalise its targets, nor the cases recalled for it.
        """
        return None if self.judged_by in (Judge.POLICY, Judge.FALLBACK) else self.success


class RecallStats(_Model):
    """How the case did when it was recalled for later turns (the ranking learns from this)."""

    times_recalled: int = 0
    successes: int = 0
    failures: int = 0
    last_recalled_at: float | None = None

    def success_rate(self, prior: float, weight: float = 2.0) -> float:
        """Beta-smoothed success rate: ``prior`` counts as ``weight`` pseudo-observations."""
        return (self.successes + prior * weight) / (self.successes + self.failures + weight)


class Provenance(_Model):
    session: str
    agent: str = ""
    writer: str = "runtime"
    """Who wrote the case: ``runtime`` (the remember node) or ``import``."""
    trust: float = Field(default=1.0, ge=0.0, le=1.0)
    model: str = ""
    created_at: float = Field(default_factory=time.time)
    content_hash: str = ""
    """sha256 of the case's content (task, plan, routes, results, answer); checked on import."""
    embedder_id: str = ""


class CaseStep(_Model):
    """A short summary of one step's observation."""

    step_id: str
    target: str
    ok: bool
    summary: str = ""
    error: str | None = None
    policy: str | None = None
    """The policy's effect when it kept the step from running (``deny``, a human's refusal
    included, or ``stop``): the step did not fail, it was not allowed to run."""


class Case(_Model):
    id: str
    namespace: str
    turn_id: str = ""
    task: str
    plan: Plan
    routes: list[RouteDecision] = Field(default_factory=list)
    results: list[CaseStep] = Field(default_factory=list)
    answer: str = ""
    """A summary (truncated) of the final answer."""
    outcome: CaseOutcome
    cost_usd: float = 0.0
    latency_s: float = 0.0
    recall: RecallStats = Field(default_factory=RecallStats)
    recalled: list[str] = Field(default_factory=list)
    """Ids of the cases recalled for the turn that wrote this case."""
    provenance: Provenance
    status: CaseStatus = CaseStatus.ACTIVE
    status_reason: str = ""

    def targets(self) -> set[str]:
        return {s.target for s in self.plan.steps if s.target}

    def tried_targets(self) -> set[str]:
        """The targets of the steps the policy let run: a held step's target was never tried,
        so no verdict on the turn (not even a user's) is evidence about it."""
        held = {r.step_id for r in self.results if r.policy is not None}
        return {s.target for s in self.plan.steps if s.target and s.id not in held}

    def judged_targets(self) -> set[str]:
        """The targets the case's verdict speaks about: a success, or a user's or verifier's
        judgement, speaks about every step that ran; a failure the tools' outcomes judged
        speaks only against the steps that failed (a two-part turn whose one part failed is no
        evidence against the tool that answered the other)."""
        tried = self.tried_targets()
        if self.outcome.judged_by is not Judge.TOOL_OUTCOME or self.outcome.success:
            return tried
        failed = {r.step_id for r in self.results if not r.ok and r.policy is None}
        blamed = {s.target for s in self.plan.steps if s.target and s.id in failed}
        return blamed & tried or tried


def content_hash(case: Case) -> str:
    """Hash of what a case *says* (not of its mutable stats or status)."""
    body: dict[str, Any] = {
        "namespace": case.namespace,
        "task": case.task,
        "plan": case.plan.model_dump(mode="json"),
        "routes": [r.model_dump(mode="json") for r in case.routes],
        "results": [_result_body(r) for r in case.results],
        "answer": case.answer,
    }
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _result_body(result: CaseStep) -> dict[str, Any]:
    """A result as hashed: ``policy`` only when set, so cases written before the field existed
    keep their hash (else every one of them would look tampered with)."""
    body = result.model_dump(mode="json")
    if body.get("policy") is None:
        body.pop("policy", None)
    return body


class TurnSummary(_Model):
    """What the runtime hands to ``CaseBank.remember`` about a finished turn."""

    turn_id: str
    session: str
    agent: str = ""
    request: str
    plan: Plan | None = None
    routes: list[RouteDecision] = Field(default_factory=list)
    results: list[CaseStep] = Field(default_factory=list)
    """One per observation: ok, a summary of the result, the error if any."""
    answer: str = ""
    cost_usd: float = 0.0
    latency_s: float = 0.0
    recalled: list[str] = Field(default_factory=list)
    model: str = ""
    verified: bool | None = None
    """A verifier's verdict on the answer, when one ran."""

    @classmethod
    def from_turn(cls, turn: Any) -> TurnSummary:
        """From a ``TurnSummary``, a dict, or the graph's ``TurnResult`` (steps, thread, memory)."""
        if isinstance(turn, TurnSummary):
            return turn
        if isinstance(turn, dict):
            return cls.model_validate(turn)
        if not (hasattr(turn, "steps") and hasattr(turn, "thread")):
            return cls.model_validate(turn, from_attributes=True)
        # The graph's TurnResult: steps as run (with their routes), the plan when it carries one.
        steps = list(turn.steps)
        plan = getattr(turn, "plan", None)
        if not isinstance(plan, Plan):
            plan = Plan(
                steps=[
                    Step(id=s.id, query=s.query, target=s.target, args=getattr(s, "args", None))
                    for s in steps
                ],
                planner=(getattr(turn, "planners", None) or [""])[0],
                unmatched=list(getattr(turn, "unmatched", []) or []),
            )
        return cls(
            turn_id=turn.turn_id,
            session=getattr(turn, "thread", "") or "",
            request=turn.request,
            plan=plan,
            routes=[s.route for s in steps if getattr(s, "route", None) is not None],
            results=[
                CaseStep(
                    step_id=s.id,
                    target=s.target or "",
                    ok=bool(s.ok),
                    summary=(s.result or "")[:300],
                    error=s.error,
                    policy=_held_by(s),
                )
                for s in steps
            ],
            answer=turn.answer or "",
            cost_usd=float(getattr(turn, "cost_usd", 0.0) or 0.0),
            latency_s=float(getattr(turn, "latency_s", 0.0) or 0.0),
            recalled=[h.case_id for h in getattr(turn, "memory", []) or []],
        )


def _held_by(step: Any) -> str | None:
    """The policy effect that kept ``step`` from running (``None``: allowed, or no gate ran)."""
    decision = getattr(step, "policy", None)
    effect = getattr(decision, "effect", None)
    return str(effect) if effect is not None and effect != "allow" else None
