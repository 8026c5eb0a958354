"""One protocol for the three kinds of target: expert models, MCP tools, knowledge bases.

Routing, gating, tracing and memory treat every target alike through this interface.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from agentroute._records import Observation, TargetKind

__all__ = ["Health", "Target", "TargetDescriptor"]


class TargetDescriptor(BaseModel):
    """What the router knows about a target before calling it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: TargetKind
    description: str = ""
    domains: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    """Example sub-queries this target answers well (used by the semantic planner)."""
    price_in_per_m: float = 0.0
    """Dollars per one million input tokens."""
    price_out_per_m: float = 0.0
    latency_s: float = 0.0
    """Typical latency of one call."""
    input_schema: dict[str, Any] | None = None
    """JSON schema of the arguments (MCP tools), checked by policies and argument filling."""
    server: str | None = None
    """For MCP tools: the server's name."""


class Health(BaseModel):
    ok: bool
    detail: str = ""


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
