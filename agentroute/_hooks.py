"""The pluggable hooks of a turn: gate (policy), memory (case bank), model routing.

The graph calls these; the policy, memory and routing packages implement them. With nothing
configured, the defaults below keep the turn working and say so in the trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from agentroute._records import MemoryHit, Plan, PolicyDecision, RouteDecision, ToolCall
from agentroute.targets._base import TargetDescriptor

__all__ = ["AllowAllGate", "Gate", "Memory", "ModelRouter", "TurnRecord"]


@runtime_checkable
class Gate(Protocol):
    """Decides every call before dispatch. Must fail closed: an internal error is a deny."""

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision: ...


class AllowAllGate:
    """The gate when no policy is configured: allows, and the decision says so."""

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect="allow",
            rule=None,
            reason="no policy configured: gate allows every call",
        )


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
