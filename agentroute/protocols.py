"""The seams of a turn: what a target, a planner, a gate, a memory and a model router must do.

The turn calls these; the targets, planning, policy, memory and routing rooms implement them,
and so may a user's own classes. Each is a ``typing.Protocol``: nothing to inherit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from agentroute.types import (
    Health,
    MemoryHit,
    Observation,
    Plan,
    PlanningContext,
    PolicyDecision,
    RouteDecision,
    TargetDescriptor,
    ToolCall,
)

__all__ = ["Gate", "Memory", "ModelRouter", "Planner", "Target", "TurnRecord"]


@runtime_checkable
class Target(Protocol):
    """Describe, estimate cost, invoke asynchronously with a timeout, report health."""

    @property
    def descriptor(self) -> TargetDescriptor: ...

    def estimate_cost(self, query: str) -> float:
        """Predicted dollars for answering ``query``."""
        ...

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        """Run once. Never raises for a target-side failure: returns ``ok=False`` instead."""
        ...

    async def health(self) -> Health: ...


@runtime_checkable
class Planner(Protocol):
    name: str

    async def plan(self, ctx: PlanningContext) -> Plan: ...


@runtime_checkable
class Gate(Protocol):
    """Decides every call before dispatch. Must fail closed: an internal error is a deny."""

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision: ...


class TurnRecord(Protocol):
    """What ``remember`` receives about a finished turn (see ``agentroute.turn``)."""

    turn_id: str
    session: str
    request: str
    plan: Plan | None
    ok: bool


@runtime_checkable
class Memory(Protocol):
    """The case bank as the graph sees it."""

    def recall(self, task: str, *, namespace: str, k: int = 4) -> list[MemoryHit]: ...

    def reusable_plan(
        self,
        task: str,
        hits: list[MemoryHit],
        *,
        namespace: str,
        targets: Mapping[str, str] | None = None,
    ) -> Plan | None:
        """A plan from a close, successful case, or ``None``; ``targets`` are the turn's live
        targets (``{name: description}``) the plan is checked against."""
        ...

    def remember(
        self, turn: Any, *, namespace: str, targets: Mapping[str, str] | None = None
    ) -> str | None:
        """Write the finished turn as a case; returns the case id (``None`` if not written).
        ``targets``: the turn's live targets, for the write checks."""
        ...


@runtime_checkable
class ModelRouter(Protocol):
    """Chooses an expert model for a sub-query among candidates."""

    def choose(self, query: str, candidates: list[TargetDescriptor]) -> RouteDecision: ...
