"""A turn's outcome before anyone gives feedback: verifier, then tool outcomes, then heuristics."""

from __future__ import annotations

from agentroute.memory._case import Judge, Outcome, TurnSummary

__all__ = ["heuristic_outcome"]


def heuristic_outcome(turn: TurnSummary) -> Outcome:
    """Verifier first, then tool outcomes, then cheap heuristics."""
    failed = [r for r in turn.results if not r.ok]
    if turn.verified is False:
        return Outcome(
            success=False, reward=0.0, judged_by=Judge.VERIFIER, note="verifier rejected"
        )
    if failed:
        note = "; ".join(f"{r.step_id} ({r.target}): {r.error or 'failed'}" for r in failed)
        return Outcome(success=False, reward=0.0, judged_by=Judge.TOOL_OUTCOME, note=note[:500])
    if turn.verified is True:
        return Outcome(success=True, reward=1.0, judged_by=Judge.VERIFIER)
    if turn.plan is not None and turn.plan.unmatched:
        return Outcome(
            success=False,
            reward=0.2,
            judged_by=Judge.HEURISTIC,
            note="parts of the request unmatched",
        )
    if not turn.answer.strip():
        return Outcome(success=False, reward=0.1, judged_by=Judge.HEURISTIC, note="empty answer")
    return Outcome(success=True, reward=0.7, judged_by=Judge.HEURISTIC, note="all steps succeeded")
