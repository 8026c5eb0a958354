"""A knowledge-base-like Target served over stdio with ``build_target_server`` (test helper)."""

from __future__ import annotations

from typing import Any

from agentroute.mcp import build_target_server, run_server
from agentroute.types import Health, Observation, Source, TargetDescriptor, TargetKind

FACTS = {
    "capital of france": "Paris is the capital of France.",
    "boiling point of water": "Water boils at 100 °C at sea level.",
}


class FactsKB:
    """A tiny in-memory knowledge base with the Target protocol."""

    descriptor = TargetDescriptor(
        name="facts",
        kind=TargetKind.KNOWLEDGE,
        description="Encyclopaedic facts about geography and physics.",
        examples=["what is the capital of France"],
    )

    def estimate_cost(self, query: str) -> float:
        return 0.0

    async def health(self) -> Health:
        return Health(ok=True)

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        for key, fact in FACTS.items():
            if key in query.lower():
                return Observation(
                    step_id=step_id, target="facts", kind=TargetKind.KNOWLEDGE, query=query,
                    ok=True, result=fact,
                    sources=[Source(kind=TargetKind.KNOWLEDGE, name="facts", ref=key)],
                )  # fmt: skip
        return Observation(
            step_id=step_id, target="facts", kind=TargetKind.KNOWLEDGE, query=query, ok=False,
            error=f"no fact matches {query!r}",
        )  # fmt: skip


class Echo:
    """An Askable: anything with ``async ask(query) -> str`` (e.g. a whole agent)."""

    name = "echo_agent"
    description = "Repeats the question back."

    async def ask(self, query: str) -> str:
        return f"you asked: {query}"


if __name__ == "__main__":
    run_server(build_target_server([FactsKB(), Echo()], "kb"), "stdio")
