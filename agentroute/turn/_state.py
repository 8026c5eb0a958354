"""The typed state of one turn with its reducers, and the typed context the nodes run in.

A node returns only what it adds (new steps, new observations, its trace events); the
reducers merge. The per-turn reset at the start of a request writes ``Overwrite`` values,
which bypass the reducers, so a chat thread's checkpoint never carries one turn's steps
into the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, TypedDict, TypeVar

from langgraph.types import Overwrite

from agentroute.protocols import Gate, Memory, ModelRouter, Planner, Target
from agentroute.targets._index import TargetIndex
from agentroute.turn._readers import ArgumentReader
from agentroute.types import (
    AnswerCheck,
    MemoryHit,
    Observation,
    Plan,
    PolicyDecision,
    PriorTurn,
    RouteDecision,
    Step,
    TraceEvent,
)

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

__all__ = ["Budget", "TurnContext", "TurnState", "new_turn"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


def merge(current: dict[K, V], update: dict[K, V]) -> dict[K, V]:
    """Reducer of the per-step maps: later entries win, earlier ones stay."""
    return {**current, **update}


def extend(current: list[T], update: list[T]) -> list[T]:
    """Reducer of the turn's logs (plan order, unmatched parts, planners, trace)."""
    return [*current, *update]


def add(current: float, update: float) -> float:
    """Reducer of the turn's cost: each dispatch adds what its calls cost."""
    return current + update


class TurnState(TypedDict, total=False):
    """Everything a turn knows. Per-turn keys are reset by each new request (``new_turn``);
    ``history``, ``last_turn`` and ``earlier_turns`` carry over within a chat thread (the
    checkpointer keeps them; a thread checkpointed before they existed simply has none)."""

    turn_id: str
    session: str
    request: str
    history: list[tuple[str, str]]
    last_turn: PriorTurn | None
    earlier_turns: list[PriorTurn]
    round: int
    hits: list[MemoryHit]
    memory_notes: str
    reused_case: str | None
    plan: Plan | None
    steps: Annotated[dict[str, Step], merge]
    order: Annotated[list[str], extend]
    routes: Annotated[dict[str, RouteDecision], merge]
    decisions: Annotated[dict[str, PolicyDecision], merge]
    args: Annotated[dict[str, dict[str, Any]], merge]
    ready: list[str]
    observations: Annotated[dict[str, Observation], merge]
    unmatched: Annotated[list[str], extend]
    notices: Annotated[list[str], extend]
    planners: Annotated[list[str], extend]
    planner_calls: int
    cost_usd: Annotated[float, add]
    answer: str
    answer_check: AnswerCheck | None
    stopped: str | None
    case_id: str | None
    trace: Annotated[list[TraceEvent], extend]


_FRESH: dict[str, Any] = {
    "round": 0,
    "hits": [],
    "memory_notes": "",
    "reused_case": None,
    "plan": None,
    "steps": {},
    "order": [],
    "routes": {},
    "decisions": {},
    "args": {},
    "ready": [],
    "observations": {},
    "unmatched": [],
    "notices": [],
    "planners": [],
    "planner_calls": 0,
    "cost_usd": 0.0,
    "answer": "",
    "answer_check": None,
    "stopped": None,
    "case_id": None,
    "trace": [],
}
_REDUCED = {"steps", "order", "routes", "decisions", "args", "observations", "unmatched"}
_REDUCED |= {"notices"}
_REDUCED |= {"planners", "cost_usd", "trace"}


def new_turn(request: str, *, session: str, turn_id: str) -> dict[str, Any]:
    """The graph input that starts a turn: every per-turn key reset (reduced keys through
    ``Overwrite``), ``history`` left to the thread."""
    fresh = {k: Overwrite(v) if k in _REDUCED else v for k, v in _FRESH.items()}
    return {**fresh, "request": request, "session": session, "turn_id": turn_id}


@dataclass
class Budget:
    """Dollars a turn and a session may spend; ``None`` means no limit.

    Limits only: the turn keeps the spending (``cost_usd`` in its state,
    ``TurnContext.session_spent``) and is the one place that enforces them
    (``turn/_decide.py``), against each target's own cost estimate. A model router is not
    given a budget: it ranks, and the turn takes the best-ranked expert that fits.
    """

    per_turn_usd: float | None = None
    per_session_usd: float | None = None


@dataclass
class TurnContext:
    """What the nodes use but the checkpointer must not store: live targets, hooks, models.

    Passed to each run of the graph as LangGraph's ``context`` (``Runtime[TurnContext]``).
    """

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
    reader: ArgumentReader | None = None
    """Each step's query read in its target's own words before it is asked (``None``: as
    written)."""
    shortlist: int = 20
