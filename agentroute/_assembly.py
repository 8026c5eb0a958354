"""Turning ``Agent``'s arguments into the parts of a turn: the planner, its index, the gate.

Kept apart from ``_agent`` (the lifecycle and the turn API) because each argument accepts
several forms (a planner or a chat model; a gate or policy files) and each form builds
differently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from langchain_core.language_models.chat_models import BaseChatModel

from agentroute._hooks import AllowAllGate, Gate
from agentroute._records import TargetKind
from agentroute.embeddings._base import Embedder
from agentroute.planning._base import Planner
from agentroute.targets._base import Target
from agentroute.targets._index import TargetIndex
from agentroute.targets._schemas import policy_schemas

__all__ = ["make_gate", "make_index", "make_planner", "needs_index", "shortlist_index"]

PlannerArg = Planner | BaseChatModel | None
PolicyArg = Gate | str | Path | Sequence[str | Path] | None


def needs_index(planner: PlannerArg, targets: dict[str, Target], shortlist: int) -> bool:
    """An index is built for our planners, and for any planner when the tools overflow the
    shortlist (the planner is then shown only the retrieved ones)."""
    if planner is None or isinstance(planner, BaseChatModel):
        return True
    return 0 < shortlist < _tools(targets)


def make_index(
    embedder: Callable[[], Embedder], targets: dict[str, Target], cache: Path | None = None
) -> TargetIndex:
    """The index over every target; with ``cache``, texts embedded by an earlier run are read
    back from that SQLite file instead of embedded again."""
    from agentroute.targets._vector_cache import TextVectorCache

    vectors = TextVectorCache(cache) if cache is not None else None
    try:
        index = TargetIndex(embedder(), cache=vectors)
        index.add([t.descriptor for t in targets.values()])
    finally:
        if vectors is not None:
            vectors.close()
    index.cache = None
    return index


def make_planner(
    planner: PlannerArg, index: TargetIndex | None, threshold: float | None
) -> Planner:
    """The planner as given, or the semantic planner (behind an LLM planner for a chat model)."""
    if planner is not None and not isinstance(planner, BaseChatModel):
        return planner
    from agentroute.planning import LLMPlanner, SemanticPlanner

    assert index is not None, "our planners need the target index"
    semantic = SemanticPlanner(index, **({"threshold": threshold} if threshold is not None else {}))
    return LLMPlanner(planner, semantic) if isinstance(planner, BaseChatModel) else semantic


def make_gate(policy: PolicyArg, targets: dict[str, Target], agent: str) -> Gate:
    """No policy: allow all (and say so); a gate as given; policy files checked against the
    live tool schemas."""
    if policy is None:
        return AllowAllGate()
    if not isinstance(policy, str | Path | list | tuple):
        return cast(Gate, policy)
    from agentroute.policy import PolicyGate

    files = [policy] if isinstance(policy, str | Path) else list(policy)
    return PolicyGate.from_files(
        [Path(f) for f in files], schemas=policy_schemas(targets), agent=agent
    )


def shortlist_index(index: TargetIndex | None, targets: dict[str, Target], shortlist: int) -> Any:
    """The index the plan node narrows with, only when the tools overflow the shortlist."""
    return index if 0 < shortlist < _tools(targets) else None


def _tools(targets: dict[str, Target]) -> int:
    return sum(t.descriptor.kind is TargetKind.TOOL for t in targets.values())
