"""The Agent the knowledge tests ask through: one base, its threads beside the base."""

from __future__ import annotations

from agentroute import Agent
from agentroute.knowledge import ChromaKnowledgeBase


def kb_agent(kb: ChromaKnowledgeBase, name: str) -> Agent:
    """An Agent whose one target is ``kb`` (no warm spares: one question at a time)."""
    return Agent(
        name=name,
        targets=[kb],
        embedder=kb.embedder,
        threads=kb.path.parent / "threads.sqlite",
        warm_spares=False,
    )
