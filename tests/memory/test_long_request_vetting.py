"""A pasted request of many parts: the vetting of its case compares the task with each
step's target once per target, not once per step.

A 500-part request spent minutes in recall and in remember (the whole task's words read
again, and the task embedded again, for every step). Real turn, real chromadb bank; the
embedder counts how often it is handed the whole task.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agentroute import Agent
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseBank
from agentroute.testing import ScriptedPlanner, ScriptedTarget

PARTS = 60


class _CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the texts that are the whole request."""

    def __init__(self, request: str) -> None:
        super().__init__()
        self.request = request
        self.whole = 0

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.whole += sum(t == self.request for t in texts)
        return super().embed(texts)


def test_a_many_part_request_is_vetted_once_per_target(tmp_path: Path) -> None:
    parts = [f"look up the value numbered {n}" for n in range(PARTS)]
    request = " and ".join(parts)
    embedder = _CountingEmbedder(request)
    bank = CaseBank.open(tmp_path / "memory", embedder=embedder)
    agent = Agent(
        targets=[ScriptedTarget("svc.fetch", "ok", description="returns quarterly figures")],
        planner=ScriptedPlanner([(p, "svc.fetch") for p in parts], []),
        memory=bank,
        embedder=embedder,
        policy=None,
    )
    with agent:
        result = agent.run(request)
    assert len(result.steps) == PARTS and all(s.ok for s in result.steps)
    cases = [c for c in bank.store.cases() if c.turn_id == result.turn_id]
    assert len(cases) == 1  # vetted: kept or quarantined, the check ran on every step
    # recall embeds it, remember embeds it, the vetting compares it with svc.fetch once
    assert embedder.whole <= 4, embedder.whole
