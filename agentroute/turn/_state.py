"""The typed state of one turn, and the runtime parts the nodes close over."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from langchain_core.language_models.chat_models import BaseChatModel

from agentroute._hooks import Gate, Memory, ModelRouter
from agentroute._records import (
    AnswerCheck,
    MemoryHit,
    Observation,
    Plan,
    PolicyDecision,
    RouteDecision,
    Step,
    TraceEvent,
)
from agentroute.planning._base import Planner
from agentroute.targets._base import Target
from agentroute.targets._index import TargetIndex

__all__ = ["Budget", "TurnRuntime", "TurnState"]


class TurnState(TypedDict, total=False):
    """Everything a turn knows. Per-turn keys are reset by each new request; ``history``
    carries over within a chat thread (the checkpointer keeps it)."""

    turn_id: str
    session: str
    request: str
    history: list[tuple[str, str]]
    round: int
    hits: list[MemoryHit]
    memory_notes: str
    reused_case: str | None
    plan: Plan | None
    steps: dict[str, Step]
    order: list[str]
    routes: dict[str, RouteDecision]
    decisions: dict[str, PolicyDecision]
    args: dict[str, dict[str, Any]]
    ready: list[str]
    observations: dict[str, Observation]
    unmatched: list[str]
    planners: list[str]
    planner_calls: int
    cost_usd: float
    answer: str
    answer_check: AnswerCheck | None
    stopped: str | None
    case_id: str | None
    trace: list[TraceEvent]


@dataclass
class Budget:
    """Dollars a turn and a session may spend; ``None`` means no limit."""

    per_turn_usd: float | None = None
    per_session_usd: float | None = None


@dataclass
class TurnRuntime:
    """What the nodes use but the checkpointer must not store: live targets, hooks, models."""

    targets: dict[str, Target]
    planner: Planner
    gate: Gate
    memory: Memory | None = None
    model_router: ModelRouter | None = None
    answer_model: BaseChatModel | None = None
    namespace: str = "default"
    max_rounds: int = 3
    step_timeout_s: float = 30.0
    budget: Budget = field(default_factory=Budget)
    session_spent: dict[str, float] = field(default_factory=dict)
    index: TargetIndex | None = None
    """Retrieval over the targets, for the planner's shortlist (``None``: it sees them all)."""
    shortlist: int = 20
