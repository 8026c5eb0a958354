"""A target fit for a clause, as the planner's parts hand it on: which, how well, and why.

Retrieval's hits (`agentroute.targets.ScoredTarget`) are one kind; the planner makes others
where a target is put forward without retrieval's say: a knowledge base ranked by its probed
passage, the general expert as the catch-all, the previous turn's target for a follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agentroute.types import TargetDescriptor

__all__ = ["PASSAGE", "Candidate", "Scored"]


PASSAGE = "passage: "
"""How a knowledge base ranked by its probed passage says why it is here (then its passage):
its score is that passage's, judged an answer, not its description's."""


class Scored(Protocol):
    @property
    def descriptor(self) -> TargetDescriptor: ...

    @property
    def score(self) -> float: ...

    @property
    def best_text(self) -> str: ...


@dataclass(frozen=True)
class Candidate:
    """A target the planner puts forward itself, with the score it ranks by."""

    descriptor: TargetDescriptor
    score: float = 0.0
    best_text: str = ""
    """What it matched, or why it is here ("the previous turn")."""
