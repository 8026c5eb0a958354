"""Targets for tests: one answer to everything, or a function of the query and arguments."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from agentroute.types import Health, Observation, Source, TargetDescriptor, TargetKind

__all__ = ["FunctionTarget", "ScriptedTarget", "TargetFunction"]

TargetFunction = Callable[[str, dict[str, Any] | None], str]
"""What a ``FunctionTarget`` calls: the step's query and arguments in, the result's text out."""


class FunctionTarget:
    """A target whose result is ``function(query, args)``, with an optional delay, cost or failure.

    ``calls`` records every ``(query, args)`` it was invoked with, so a test sees what the graph
    dispatched. ``fail=True`` plays a tool that reports an error (a failed observation); a
    function that raises plays a target with a bug.
    """

    def __init__(
        self,
        name: str,
        function: TargetFunction,
        *,
        kind: TargetKind = TargetKind.TOOL,
        description: str = "",
        examples: list[str] | None = None,
        delay_s: float = 0.0,
        cost_usd: float = 0.0,
        fail: bool = False,
        input_schema: dict[str, Any] | None = None,
    ) -> None:
        self._descriptor = TargetDescriptor(
            name=name,
            kind=kind,
            description=description or f"scripted target {name}",
            examples=examples or [],
            input_schema=input_schema,
        )
        self.function = function
        self.delay_s = delay_s
        self.cost_usd = cost_usd
        self.fail = fail
        self.calls: list[tuple[str, dict[str, Any] | None]] = []

    @property
    def descriptor(self) -> TargetDescriptor:
        return self._descriptor

    def estimate_cost(self, query: str) -> float:
        return self.cost_usd

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        self.calls.append((query, args))
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        name = self._descriptor.name
        if self.fail:
            return Observation(
                step_id=step_id,
                target=name,
                kind=self._descriptor.kind,
                query=query,
                ok=False,
                error=f"{name} failed (scripted)",
            )
        return Observation(
            step_id=step_id,
            target=name,
            kind=self._descriptor.kind,
            query=query,
            ok=True,
            result=self.function(query, args),
            sources=[Source(kind=self._descriptor.kind, name=name)],
            cost_usd=self.cost_usd,
        )

    async def health(self) -> Health:
        return Health(ok=not self.fail)


class ScriptedTarget(FunctionTarget):
    """A target that answers every call with ``answer``: for tests about the graph, not the tool.

    For a result that depends on the query or the arguments, use ``FunctionTarget``.
    """

    def __init__(
        self,
        name: str,
        answer: str = "ok",
        *,
        kind: TargetKind = TargetKind.TOOL,
        description: str = "",
        examples: list[str] | None = None,
        delay_s: float = 0.0,
        cost_usd: float = 0.0,
        fail: bool = False,
        input_schema: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            name,
            lambda query, args: answer,
            kind=kind,
            description=description,
            examples=examples,
            delay_s=delay_s,
            cost_usd=cost_usd,
            fail=fail,
            input_schema=input_schema,
        )
        self.answer = answer
