"""Parts a replan leaves alone: those whose target could not be reached (an MCP server
restarting, down or hung), and writes that were not done.

Such a failure says nothing about the route: the part goes to the target that can do it or
to nobody. Re-routing it to the next-best target (often the general-purpose expert, which
writes prose where a product was asked) would answer it wrongly and silently; so a replan
leaves it alone, the answer says the target was unavailable, and the turn is not
remembered (`_turn.remember`). A write that was refused, denied or could not be called goes
to no other target either: a tool that merely fits the words ("greet" for "save a note
titled X") would answer something else, so the part ends as not done, saying why (its own
target may be asked again with a corrected call).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from agentroute.protocols import Target
from agentroute.turn._state import TurnState
from agentroute.types import REFERENCE, Observation, Step

__all__ = [
    "outage_repeats",
    "reroutable_failures",
    "unavailable_targets",
    "unreachable",
    "writing_targets",
]


def unreachable(state: TurnState) -> set[str]:
    """Steps that failed because their target was unavailable, and the steps that waited
    on them (their input never came)."""
    steps, observations = state.get("steps", {}), state.get("observations", {})
    found = {sid for sid, obs in observations.items() if not obs.ok and obs.unavailable}
    grew = bool(found)
    while grew:
        grew = False
        for sid, step in steps.items():
            if sid not in found and step.inputs & found:
                found.add(sid)
                grew = True
    return found


def reroutable_failures(state: TurnState) -> list[Observation]:
    """The failed steps a replan may send elsewhere: all but the unreachable ones."""
    down = unreachable(state)
    observations = state.get("observations", {})
    return [o for sid, o in observations.items() if not o.ok and sid not in down]


def _part(query: str) -> str:
    """A query with its references blanked: a replan renames them (``{{s1}}`` → ``{{s3}}``)."""
    return REFERENCE.sub("{{}}", query).strip().lower()


def outage_repeats(state: TurnState, planned: list[Step], writes: Collection[str] = ()) -> set[str]:
    """New steps that ask a part again whose target was unavailable, or whose write (a call
    to one of ``writes``) was not done at another target than that write's, and the steps
    that take their results: whatever the planner, such a part is not re-routed. The write's
    own target may be asked again (the call corrected, e.g. a misspelt field)."""
    down = unreachable(state)
    steps, observations = state.get("steps", {}), state.get("observations", {})
    asked = {_part(steps[sid].query) for sid in down if sid in steps}
    unwritten = {
        _part(steps[sid].query): obs.target
        for sid, obs in observations.items()
        if not obs.ok and obs.target in writes and sid in steps
    }
    dropped = {
        s.id
        for s in planned
        if _part(s.query) in asked or unwritten.get(_part(s.query), s.target) != s.target
    }
    grew = bool(dropped)
    while grew:
        grew = False
        for step in planned:
            if step.id not in dropped and step.inputs & dropped:
                dropped.add(step.id)
                grew = True
    return dropped


def unavailable_targets(targets: Mapping[str, Target]) -> list[str]:
    """Targets that say they cannot take calls now (an MCP tool whose server is restarting):
    still planned for (a call waits for the server, up to the step timeout), shown as such."""
    return sorted(n for n, t in list(targets.items()) if getattr(t, "available", True) is False)


def writing_targets(targets: Mapping[str, Target]) -> set[str]:
    """The targets that may change the world: a failed call to one is not re-routed."""
    return {n for n, t in list(targets.items()) if t.descriptor.writes}
