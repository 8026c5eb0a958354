"""What every planner receives and returns, and the checks every plan must pass."""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from agentroute._records import Observation, Plan
from agentroute.targets._base import TargetDescriptor

__all__ = ["PlanError", "Planner", "PlanningContext", "references", "validate_plan"]

_REF = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")
_WORDY = re.compile(r"[^\W_]")


class PlanError(ValueError):
    """A plan that must not be dispatched (unknown target, cycle, dangling reference)."""


class PlanningContext(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    request: str
    targets: list[TargetDescriptor]
    round: int = 1
    memory_notes: str = ""
    """Past cases rendered as quoted data (never instructions)."""
    previous: list[Observation] = Field(default_factory=list)
    """Observations of earlier rounds of this turn (what worked, what failed or was denied)."""
    history: list[tuple[str, str]] = Field(default_factory=list)
    """Earlier (request, answer) pairs of this chat thread."""
    next_step_number: int = 1
    prior: dict[str, float] = Field(default_factory=dict)
    """Per target, a bonus (or malus) from past cases recalled for this request."""


@runtime_checkable
class Planner(Protocol):
    name: str

    async def plan(self, ctx: PlanningContext) -> Plan: ...


def references(text: str) -> list[str]:
    """Step ids referenced as ``{{s1}}`` in ``text``."""
    return _REF.findall(text)


def validate_plan(plan: Plan, known_targets: set[str], done_steps: set[str] | None = None) -> None:
    """Raise ``PlanError`` for anything that must never be dispatched."""
    done = done_steps or set()
    if not plan.steps and not plan.unmatched:
        raise PlanError("the plan has no steps")
    ids = [s.id for s in plan.steps]
    dup = {i for i in ids if ids.count(i) > 1} | (set(ids) & done)
    if dup:
        raise PlanError(f"duplicate step ids: {sorted(dup)}")
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(ids)
    for step in plan.steps:
        if not _WORDY.search(step.query):  # "", "...": a placeholder nothing can answer
            raise PlanError(f"step {step.id} has an empty query ({step.query!r})")
        if step.target is not None and step.target not in known_targets:
            raise PlanError(f"step {step.id}: unknown target {step.target!r}")
        for dep in set(step.depends_on) | set(references(step.query)):
            if dep not in graph and dep not in done:
                raise PlanError(f"step {step.id} depends on unknown step {dep!r}")
            if dep in graph:
                graph.add_edge(dep, step.id)
    if not nx.is_directed_acyclic_graph(graph):
        raise PlanError(f"the plan has a cycle: {nx.find_cycle(graph)}")
