"""The same request answered the same way again refreshes its case instead of adding a twin.

Two identical cases say no more than one: they crowd recall's top hits (each later turn sees
the same plan twice and nothing else), and the bank grows with every repeat of a request.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentroute.memory._case import Case, CaseStatus
from agentroute.memory._store import CaseStore

__all__ = ["SAME_TASK", "identical_case"]

SAME_TASK = 0.999
"""Vector similarity above which a neighbour may be the same task (the text then decides)."""


def _plan(case: Case) -> list[tuple[str | None, str, str]]:
    return [(s.target, s.query, repr(s.args)) for s in case.plan.steps]


def identical_case(
    case: Case, neighbours: Sequence[tuple[str, float]], store: CaseStore
) -> Case | None:
    """An active case of ``case``'s namespace with the same task, the same plan and the same
    verdict (both right or both wrong), among ``neighbours`` (nearest first); else ``None``."""
    verdict = case.outcome.verdict
    if verdict is None:
        return None
    close = [cid for cid, sim in neighbours if sim >= SAME_TASK and cid != case.id]
    if not close:
        return None
    found = store.get_many(close, namespace=case.namespace)
    for cid in close:
        other = found.get(cid)
        if (
            other is not None
            and other.status is CaseStatus.ACTIVE
            and other.task == case.task
            and other.outcome.verdict == verdict
            and _plan(other) == _plan(case)
        ):
            return other
    return None
