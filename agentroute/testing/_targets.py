from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from agentroute._records import Observation, Source, TargetKind
from agentroute.targets._base import Health, TargetDescriptor

__all__ = ["ScriptedTarget"]


class ScriptedTarget:
    """A target whose answer is a function of the query, with an optional fixed delay."""

    def __init__(
        self,
        name: str,
        answer: Callable[[str], str] | str = "ok",
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
        self._answer = answer
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
        text = self._answer(query) if callable(self._answer) else self._answer
        return Observation(
            step_id=step_id,
            target=name,
            kind=self._descriptor.kind,
            query=query,
            ok=True,
            result=text,
            sources=[Source(kind=self._descriptor.kind, name=name)],
            cost_usd=self.cost_usd,
        )

    async def health(self) -> Health:
        return Health(ok=not self.fail)
