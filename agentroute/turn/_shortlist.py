"""The planner's shortlist: with hundreds of tools, the planner sees only the ones that fit.

The tools are preselected as benchmarks/bench_preselection.py measures it
(`agentroute.targets.preselect`): each part of the request retrieves its best tools, helped by
the whole request and the tools' servers, so a two-part request gets candidates for both
parts. Past cases recalled for the request add a prior: tools used by similar successful cases
rise, those of similar failed cases sink. Tools already tried in this turn stay visible, so a
replan can see what failed. Experts and knowledge bases are few and always shown; only tools
are narrowed. A part of the request that does not ask to change anything retrieves only tools
that do not write (`agentroute.text.asks_to_write`, `TargetDescriptor.writes`), so no planner
is offered ``git_commit`` for "show me the last 5 commits".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from agentroute.protocols import Memory
from agentroute.targets import ScoredTarget, TargetIndex, preselect
from agentroute.targets._preselect import request_parts
from agentroute.text import asks_to_write, plain_request, split_clauses
from agentroute.types import MemoryHit, TargetDescriptor, TargetKind

__all__ = ["MEMORY_PRIOR", "memory_prior", "planner_view", "ranked", "shortlist"]

MEMORY_PRIOR = 0.1
"""Largest bonus (or penalty) past cases add to a target's similarity."""
SHARE = 3
"""At most this many of each part's own best tools come first (fewer when the list is short
and the parts many): every part of the request is covered before any part's runners-up."""


def memory_prior(hits: Sequence[MemoryHit]) -> dict[str, float]:
    """Per target: + for cases of the same ask that went well, − for those that did not.

    A case that is merely similar adds nothing (``MemoryHit.same_ask``): its tool served
    another request, and a bonus for it outranks the tool this request needs."""
    prior: dict[str, float] = {}
    for hit in hits:
        if hit.success is None or not hit.same_ask:
            continue
        sign = 1.0 if hit.success else -1.0
        for target in hit.targets:
            prior[target] = prior.get(target, 0.0) + sign * MEMORY_PRIOR * max(hit.similarity, 0)
    return {t: max(-MEMORY_PRIOR, min(MEMORY_PRIOR, v)) for t, v in prior.items()}


def shortlist(
    index: TargetIndex,
    request: str,
    targets: Mapping[str, TargetDescriptor],
    *,
    limit: int,
    prior: Mapping[str, float] | None = None,
    keep: Iterable[str] = (),
) -> list[TargetDescriptor]:
    """The targets the planner sees: every non-tool, and at most ``limit`` tools."""
    tools = [d for d in targets.values() if d.kind is TargetKind.TOOL]
    if limit <= 0 or len(tools) <= limit:
        return list(targets.values())
    parts = max(1, len(request_parts(request)))
    hits = preselect(
        index,
        request,
        k=limit,
        kinds={TargetKind.TOOL},
        prior=prior,
        per_part=max(1, min(SHARE, limit // parts)),
        read_only_parts=True,
    )
    names = {h.descriptor.name for h in hits} | set(keep)
    return [d for d in targets.values() if d.kind is not TargetKind.TOOL or d.name in names]


def planner_view(
    index: TargetIndex | None,
    targets: Mapping[str, TargetDescriptor],
    request: str,
    *,
    hits: Sequence[MemoryHit],
    tried: Iterable[str],
    limit: int,
) -> tuple[list[TargetDescriptor], dict[str, float]]:
    """What the planner is shown (every target without an index, but no writing tool for a
    request that asks to change nothing) and the memory prior."""
    prior = memory_prior(hits)
    request = plain_request(request)  # shouted, thanked or framed: the planner reads it so
    kept = set(tried)
    if index is None:
        shown = list(targets.values())
    else:
        shown = shortlist(index, request, targets, limit=limit, prior=prior, keep=kept)
    if not any(asks_to_write(clause) for clause in split_clauses(request) or [request]):
        # A request that changes nothing is shown no writing tool, however few tools there are.
        shown = [d for d in shown if not d.writes or d.name in kept]
    return shown, prior


def ranked(
    index: TargetIndex,
    text: str,
    *,
    k: int,
    kinds: set[TargetKind] | None = None,
    memory: Memory | None = None,
    namespace: str = "",
) -> list[ScoredTarget]:
    """The targets for ``text`` as a turn ranks them: retrieval plus the prior of the past
    cases recalled for it (`Agent.find_targets`, ``agentroute targets --find``)."""
    prior = memory_prior(memory.recall(text, namespace=namespace)) if memory else None
    return index.search(text, k=k, kinds=kinds, prior=prior or None)
