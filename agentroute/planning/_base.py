"""The checks every plan must pass before anything of it is dispatched."""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter

from agentroute.types import Plan

__all__ = ["PlanError", "validate_plan"]

_WORDY = re.compile(r"[^\W_]")


class PlanError(ValueError):
    """A plan that must not be dispatched (unknown target, cycle, dangling reference)."""


def validate_plan(plan: Plan, known_targets: set[str], done_steps: set[str] | None = None) -> None:
    """Raise ``PlanError`` for anything that must never be dispatched."""
    done = done_steps or set()
    if not plan.steps and not plan.unmatched:
        raise PlanError("the plan has no steps")
    ids = [s.id for s in plan.steps]
    dup = {i for i in ids if ids.count(i) > 1} | (set(ids) & done)
    if dup:
        raise PlanError(f"duplicate step ids: {sorted(dup)}")
    # The standard library's sorter: a plan has a handful of steps, and networkx costs ~75 ms
    # to import for a one-shot run that needs nothing else of it.
    graph: dict[str, set[str]] = {i: set() for i in ids}
    for step in plan.steps:
        if not _WORDY.search(step.query):  # "", "...": a placeholder nothing can answer
            raise PlanError(f"step {step.id} has an empty query ({step.query!r})")
        if step.target is not None and step.target not in known_targets:
            raise PlanError(f"step {step.id}: unknown target {step.target!r}")
        for dep in step.inputs:
            if dep not in graph and dep not in done:
                raise PlanError(f"step {step.id} depends on unknown step {dep!r}")
            if dep in graph:
                graph[step.id].add(dep)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise PlanError(f"the plan has a cycle: {exc.args[1]}") from None
