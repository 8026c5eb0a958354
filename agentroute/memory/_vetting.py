"""Vetting: what the case bank refuses to store as active, and refuses to reuse as a plan.

Memory is an attack surface (a poisoned case steers every later turn that recalls it), so the
bank's two trust decisions live together here, apart from its bookkeeping:

* ``write_blockers`` — why a new case must be quarantined: instruction-like text, targets or
  addresses the task never needed, near-duplicate flooding from one session.
* ``find_reusable_plan`` / ``reuse_blocker`` — a reused plan skips the planner, so it is
  re-checked as if it were new: a close, positive, active case of the same namespace whose
  targets still exist, unaltered and clean (with the defences on), whose task aligns word by
  word with the request but for a few swapped details, and whose every step passes the policy
  gate again.

The bank's ``RecallConfig`` supplies the knobs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from agentroute._log import get_logger
from agentroute.memory._case import Case, CaseStatus, content_hash
from agentroute.memory._checks import find_instructions, foreign_addresses, unrelated_targets
from agentroute.memory._recall_config import RecallConfig
from agentroute.memory._refill import carried_values, refill_plan
from agentroute.memory._store import CaseStore
from agentroute.protocols import Gate
from agentroute.types import MemoryHit, Plan, Step, TargetKind, ToolCall

__all__ = ["find_reusable_plan", "reuse_blocker", "write_blockers"]

log = get_logger(__name__)

Targets = Mapping[str, str]
"""The live targets as ``{name: description}``."""


def write_blockers(
    case: Case,
    vec: np.ndarray,
    *,
    store: CaseStore,
    config: RecallConfig,
    targets: Targets | None,
    similarity: Callable[[str, str], float],
    clock: Callable[[], float],
    neighbours: Sequence[tuple[str, float]] | None = None,
) -> list[str]:
    """Every reason to quarantine ``case`` (embedded as ``vec``) instead of storing it active.

    ``neighbours``: the active cases nearest ``vec`` (at least ``flood_limit + 1`` of them, or
    every one at or above the flood similarity) with their similarity, best first, when the
    caller has them (this turn's recall asked for them); else the store is asked."""
    reasons: list[str] = []
    flagged = find_instructions(case)
    if flagged:
        reasons.append(f"instruction-like text in {flagged}")
    # the catch-all routes of the turn being written (its router chose them, no recalled plan)
    catch_all = {
        r.target for r in case.routes if r.fallback and r.kind is TargetKind.EXPERT and r.target
    }
    bad = unrelated_targets(
        case, targets, similarity, config.target_min_similarity, catch_all=catch_all
    )
    if bad:
        reasons.append("plan calls targets the task never needed: " + ", ".join(bad))
    addresses = foreign_addresses(case)
    if addresses:
        reasons.append("plan sends to addresses the task never gave: " + ", ".join(addresses))
    now = clock()
    if neighbours is None:
        neighbours = store.nearest(vec, namespace=case.namespace, n=config.flood_limit + 1)
    close = [
        cid
        for cid, sim in neighbours[: config.flood_limit + 1]
        if sim >= config.flood_similarity and cid != case.id
    ]
    near = []
    if len(close) >= config.flood_limit:  # bodies only read when a flood is possible
        for c in store.get_many(close, namespace=case.namespace).values():
            if (
                now - c.provenance.created_at <= config.flood_window_s
                and c.provenance.session == case.provenance.session
            ):
                near.append(c)
    if len(near) >= config.flood_limit:
        reasons.append(
            f"near-duplicate flooding: {len(near)} near-identical cases from session "
            f"{case.provenance.session!r} in the last {config.flood_window_s:.0f} s"
        )
    return reasons


def find_reusable_plan(
    task: str,
    hits: list[MemoryHit],
    *,
    namespace: str,
    lookup: Callable[[str], Case | None],
    known_targets: set[str] | None,
    targets: Targets | None,
    gate: Gate | None,
    session: str,
    config: RecallConfig,
) -> Plan | None:
    """The plan of the most similar hit that passes every check, refilled for ``task``.

    ``lookup`` gives a hit's case by id (``None`` when it is gone); ``targets`` are the live
    targets' descriptions for the unrelated-target check.
    """
    for hit in sorted(hits, key=lambda h: -h.similarity):
        if not hit.success or hit.similarity < config.reuse_similarity:
            continue
        case = lookup(hit.case_id)
        if case is None or case.namespace != namespace or case.status is not CaseStatus.ACTIVE:
            continue
        why = reuse_blocker(
            case,
            task,
            known_targets,
            targets=targets,
            gate=gate,
            session=session,
            config=config,
        )
        if isinstance(why, str):
            log.debug("memory.reuse_rejected", case_id=case.id, reason=why)
            continue
        steps, subs = why
        filled = ", ".join(f"{a!r}→{b!r}" for a, b in subs.items()) or "no details changed"
        return Plan(
            steps=steps,
            reasoning=(
                f"reused the plan of case {case.id} (similarity {hit.similarity:.2f}, "
                f"{case.outcome.judged_by.value} judged it a success); {filled}"
            ),
            planner=f"memory:{case.id}",
        )
    return None


def reuse_blocker(
    case: Case,
    task: str,
    known: set[str] | None,
    *,
    targets: Targets | None,
    gate: Gate | None,
    session: str,
    config: RecallConfig,
) -> str | tuple[list[Step], dict[str, str]]:
    """Why ``case``'s plan may not be reused for ``task``, or its refilled steps and swaps."""
    if known is None:
        return "no list of live targets: cannot check the plan's targets still exist"
    if case.recall.failures and case.recall.failures >= case.recall.successes:
        return (
            f"its reuse was judged wrong {case.recall.failures} time(s), "
            f"right {case.recall.successes}: the plan was corrected"
        )
    missing = sorted(case.targets() - known)
    if missing:
        return f"targets no longer exist: {missing}"
    if config.defences:
        flagged = find_instructions(case)
        if flagged:
            return f"instruction-like text in {flagged}"
        if case.provenance.content_hash != content_hash(case):
            return "content hash mismatch: the case was altered after it was written"
        bad = unrelated_targets(case, targets) + foreign_addresses(case)
        if bad:
            return "plan calls targets or addresses the task never needed: " + ", ".join(bad)
    refilled = refill_plan(case.plan, case.task, task, max_span=config.max_substitution_words)
    if refilled is None:
        return "the request differs from the case by more than its details"
    steps, subs = refilled
    carried = carried_values(case.task, task, steps)
    if carried:
        return "the plan would send values the request never gave: " + ", ".join(carried)
    if targets is not None:
        asked = case.model_copy(update={"task": task})
        asked.plan = Plan(steps=steps, reasoning=case.plan.reasoning, planner=case.plan.planner)
        bad = unrelated_targets(asked, targets)
        if bad:
            return "the request does not ask for the plan's targets: " + ", ".join(bad)
    if gate is not None:
        kinds = {r.step_id: r.kind for r in case.routes if r.kind is not None}
        for step in steps:
            if not step.target:
                continue
            call = ToolCall(
                step_id=step.id,
                target=step.target,
                kind=kinds.get(step.id, TargetKind.TOOL),
                args=step.args or {},
                query=step.query,
            )
            try:
                decision = gate.check(call, session=session)
            except Exception as exc:  # fail closed
                return f"gate error on {step.target}: {exc}"
            if decision.effect != "allow":
                return f"policy {decision.effect} on {step.target}: {decision.reason}"
    return steps, subs
