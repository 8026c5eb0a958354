"""The seams of a turn: what a target, a planner, a gate, a memory and a model router must do.

The turn calls these; the targets, planning, policy, memory and routing rooms implement them,
and so may a user's own classes. Each is a ``typing.Protocol``: nothing to inherit.
``bounded_invoke`` is the one way a target is called: a timeout or a bug becomes a failed step.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from agentroute._log import get_logger
from agentroute.types import (
    Health,
    MemoryHit,
    Observation,
    Plan,
    PlanningContext,
    PolicyDecision,
    Probe,
    RouteDecision,
    TargetDescriptor,
    ToolCall,
)

__all__ = [
    "TIMEOUT_GRACE_S",
    "Gate",
    "Memory",
    "ModelRouter",
    "Planner",
    "Probing",
    "Target",
    "TurnRecord",
    "bounded_invoke",
]

log = get_logger(__name__)

TIMEOUT_GRACE_S = 1.0
"""How long past its ``timeout`` a call may run before ``bounded_invoke`` cuts it off. A target
that keeps the deadline itself reports first, in its own words: an MCP server must see its hung
call time out so it can recycle the process (cancelling the call from outside would not)."""


@runtime_checkable
class Target(Protocol):
    """Describe, estimate cost, invoke asynchronously, report health.

    Callers go through :func:`bounded_invoke`, which enforces the timeout and turns an exception
    into a failed observation, so ``invoke`` need not: it translates only its own failures.
    """

    @property
    def descriptor(self) -> TargetDescriptor: ...

    def estimate_cost(self, query: str) -> float:
        """Predicted dollars for answering ``query``."""
        ...

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        """Run once. A failure the target understands (a tool's error report, no relevant
        passage) is ``ok=False`` with its explanation; anything else may raise. ``timeout`` is
        for a target that must keep the deadline itself (see ``TIMEOUT_GRACE_S``)."""
        ...

    async def health(self) -> Health: ...


@runtime_checkable
class Probing(Protocol):
    """A target that can say, cheaply and synchronously, how well it would answer a query
    without being called: a knowledge base's best passage. The planner may probe while it
    plans; it never invokes a target then."""

    def probe(self, query: str, vector: Any = None) -> Probe:
        """``vector``: the query's embedding when the caller has it (the planner's index
        does), so the base need not embed it again."""
        ...


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


async def bounded_invoke(
    target: Target, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
) -> Observation:
    """``target.invoke`` within ``timeout`` (plus ``TIMEOUT_GRACE_S``), or within the target's
    own ``timeout_s`` when it has one (an expert's configured deadline); a timeout or an exception
    becomes a failed observation naming the target, so a target bug degrades its step, never
    the turn. The one place target calls are bounded: the turn's dispatch, a cascade's experts
    and a target served over MCP all call through here."""
    descriptor = target.descriptor
    own = getattr(target, "timeout_s", None)  # a target's own deadline (an expert's) wins
    if isinstance(own, int | float) and own > 0:
        timeout, setting = float(own), "its own timeout_s"
    else:
        setting = "[agent] step_timeout_s"
    started = time.perf_counter()
    try:
        obs = await asyncio.wait_for(
            target.invoke(step_id, query, args, timeout=timeout), timeout + TIMEOUT_GRACE_S
        )
    except TimeoutError:
        error = f"{descriptor.name} timed out after {timeout:g}s (raise {setting})"
        obs = _failed(descriptor, step_id, query, error)
    except Exception as exc:  # a target bug degrades this step, never the turn
        log.warning("target.failed", target=descriptor.name, error=repr(exc))
        obs = _failed(descriptor, step_id, query, f"{descriptor.name} failed: {exc!r}")
    if not obs.latency_s:
        obs.latency_s = time.perf_counter() - started
    return obs


def _failed(descriptor: TargetDescriptor, step_id: str, query: str, error: str) -> Observation:
    return Observation(
        step_id=step_id,
        target=descriptor.name,
        kind=descriptor.kind,
        query=query,
        ok=False,
        error=error,
    )
