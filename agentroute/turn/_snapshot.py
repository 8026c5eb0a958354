"""A chat thread as its store has it: what a server needs to continue, resume or replay a turn
without running it twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentroute.turn._result import TurnResult, turn_result

__all__ = ["ThreadSnapshot", "thread_snapshot"]

_CARRIED = ("history", "last_turn", "earlier_turns")
"""The keys a thread carries from one turn to the next (``TurnState``): what a copy needs."""


@dataclass
class ThreadSnapshot:
    """One checkpoint of a thread. ``unfinished``: a turn started and neither ended nor waits
    for a human (its process died, or it is running now); ``pending``: the call a policy
    ``ask`` holds (the LangGraph interrupt's value)."""

    thread: str
    exists: bool
    history: list[tuple[str, str]] = field(default_factory=list)
    request: str | None = None
    turn_id: str | None = None
    pending: dict[str, Any] | None = None
    unfinished: bool = False
    next: tuple[str, ...] = ()
    """The nodes the thread runs next (where an unfinished turn resumes)."""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def requests(self) -> list[str]:
        """The requests of the finished turns the thread keeps (at most its last 20)."""
        return [request for request, _ in self.history]

    def carried(self) -> dict[str, Any]:
        """What a new thread copied from this checkpoint starts with."""
        return {k: self.values[k] for k in _CARRIED if k in self.values}

    def result(self) -> TurnResult:
        """The turn this checkpoint ends (or holds at an approval), as ``Agent.run`` returned it."""
        return turn_result(self.values, pending=self.pending)


def thread_snapshot(thread: str, state: Any) -> ThreadSnapshot:
    """``ThreadSnapshot`` of LangGraph's ``StateSnapshot`` (``graph.aget_state``)."""
    values: dict[str, Any] = dict(state.values or {}) if state is not None else {}
    if not values:
        return ThreadSnapshot(thread=thread, exists=False)
    interrupts = tuple(getattr(state, "interrupts", ()) or ())
    pending = interrupts[0].value if interrupts else None
    return ThreadSnapshot(
        thread=thread,
        exists=True,
        history=[(str(r), str(a)) for r, a in values.get("history", [])],
        request=values.get("request"),
        turn_id=values.get("turn_id"),
        pending=pending,
        unfinished=bool(state.next) and pending is None,
        next=tuple(state.next or ()),
        values=values,
    )
