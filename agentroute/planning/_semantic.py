"""The semantic planner: no LLM, the embedded default and the fallback of the LLM planner.

Split the request into clauses, route each by embedding similarity against the targets'
descriptions and examples, keep the best above a threshold, and say explicitly when no target
fits. On a later round it re-routes only the failed or denied parts, to the next-best target.

A clause that does not ask to change anything ("show me the last 5 commits") is never routed
to a target that writes (`TargetDescriptor.effect`), however similar its description; a
clause that does ("commit the staged changes") may be, first to a writing tool named by its
verb (``git_commit``) when one fits, and its route says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from agentroute.planning._probe import ContentProbe
from agentroute.text import names_verb, split_clauses, write_verb
from agentroute.types import (
    Alternative,
    Plan,
    PlanningContext,
    RouteDecision,
    Step,
    TargetDescriptor,
    TargetKind,
)

__all__ = ["SemanticPlanner"]

DEFAULT_THRESHOLD = 0.3
"""Cosine similarity (MiniLM) below which a clause has no suitable target.

Measured on the bundled targets: matching clauses score 0.45–0.9, unrelated ones under 0.25.
"""


class _Scored(Protocol):
    @property
    def descriptor(self) -> TargetDescriptor: ...

    @property
    def score(self) -> float: ...

    @property
    def best_text(self) -> str: ...


class _Index(Protocol):
    def search(
        self,
        text: str,
        k: int = ...,
        kinds: set[TargetKind] | None = ...,
        *,
        prior: Mapping[str, float] | None = ...,
    ) -> Sequence[_Scored]: ...


class SemanticPlanner:
    name = "semantic"

    def __init__(
        self,
        index: _Index,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        probe: ContentProbe | None = None,
    ) -> None:
        self.index = index
        self.threshold = threshold
        self.probe = probe
        """Knowledge bases ranked by their best passage, not their description (``_probe``)."""

    async def plan(self, ctx: PlanningContext) -> Plan:
        available = {t.name for t in ctx.targets}
        if ctx.round == 1 or not ctx.previous:
            return self._first_round(ctx, available)
        return self._replan(ctx, available)

    def _candidates(
        self,
        clause: str,
        available: set[str],
        exclude: set[str],
        prior: Mapping[str, float] | None = None,
    ) -> list[_Scored]:
        """The targets fit for ``clause``, best first; only reading ones unless it asks to
        write (writing tools are searched past: they may fill the first places)."""
        verb = write_verb(clause)
        k = max(8, len(exclude) + 4) + (8 if verb is None else 0)
        hits: Sequence[_Scored] = self.index.search(clause, k=k, prior=prior or None)
        if self.probe is not None and verb is None:
            hits = self.probe.rerank(clause, hits, available, exclude)
        fit = [
            h
            for h in hits
            if h.descriptor.name in available
            and h.descriptor.name not in exclude
            and h.score >= self.threshold
            and not (verb is None and h.descriptor.writes)
        ]
        if verb is None:
            return fit
        # "commit the staged changes": a writing tool named by the verb comes before tools
        # that only describe the same things ("Shows changes that are staged for commit").
        named = [h for h in fit if h.descriptor.writes and names_verb(h.descriptor.name, verb)]
        return named + [h for h in fit if h not in named]

    def _first_round(self, ctx: PlanningContext, available: set[str]) -> Plan:
        steps: list[Step] = []
        unmatched: list[str] = []
        notes: list[str] = []
        routes: dict[str, RouteDecision] = {}
        n = ctx.next_step_number
        for clause in split_clauses(ctx.request):
            candidates = self._candidates(clause, available, set(), ctx.prior)
            if not candidates:
                unmatched.append(clause)
                notes.append(f"{clause!r}: no target above similarity {self.threshold:.2f}")
                continue
            best = candidates[0]
            steps.append(Step(id=f"s{n}", query=clause, target=best.descriptor.name))
            routes[f"s{n}"] = _decision(f"s{n}", candidates, "")
            notes.append(
                f"{clause!r} → {best.descriptor.name} (similarity {best.score:.2f}"
                f"{_writes(best.descriptor)})"
            )
            n += 1
        return Plan(
            steps=steps,
            unmatched=unmatched,
            planner=self.name,
            reasoning="; ".join(notes),
            routes=routes,
        )

    def _replan(self, ctx: PlanningContext, available: set[str]) -> Plan:
        tried: dict[str, set[str]] = {}
        solved: set[str] = set()
        for obs in ctx.previous:
            tried.setdefault(obs.query, set()).add(obs.target)
            if obs.ok:
                solved.add(obs.query)
        steps: list[Step] = []
        notes: list[str] = []
        routes: dict[str, RouteDecision] = {}
        n = ctx.next_step_number
        for query, targets in tried.items():
            if query in solved:
                continue
            candidates = self._candidates(query, available, targets, ctx.prior)
            if not candidates:
                notes.append(f"{query!r}: no other target left")
                continue
            best = candidates[0]
            steps.append(Step(id=f"s{n}", query=query, target=best.descriptor.name))
            failed = ", ".join(sorted(targets))
            routes[f"s{n}"] = _decision(f"s{n}", candidates, f" (after {failed} failed)")
            notes.append(f"{query!r} → {best.descriptor.name} after {sorted(targets)} failed")
            n += 1
        return Plan(steps=steps, planner=self.name, reasoning="; ".join(notes), routes=routes)


def _decision(step_id: str, candidates: Sequence[_Scored], note: str) -> RouteDecision:
    best = candidates[0]
    why = f" to {best.best_text!r}" if best.best_text else ""
    return RouteDecision(
        step_id=step_id,
        target=best.descriptor.name,
        kind=best.descriptor.kind,
        score=best.score,
        alternatives=[
            Alternative(target=c.descriptor.name, score=c.score) for c in candidates[1:5]
        ],
        reason=f"semantic: similarity {best.score:.2f}{why}{note}{_writes(best.descriptor)}",
    )


def _writes(descriptor: TargetDescriptor) -> str:
    """``; writes: git.git_commit`` for a target that changes the world (``(destructive)``
    when it may lose data), else nothing."""
    if not descriptor.writes:
        return ""
    how = " (destructive)" if descriptor.effect == "destructive" else ""
    return f"; writes: {descriptor.name}{how}"
