"""A turn's outcome before anyone gives feedback: policy, verifier, tool outcomes, heuristics."""

from __future__ import annotations

from agentroute.memory._case import CaseOutcome, Judge, TurnSummary

__all__ = ["heuristic_outcome"]


def heuristic_outcome(turn: TurnSummary) -> CaseOutcome:
    """Policy first, then the verifier, then tool outcomes, then cheap heuristics.

    A turn in which the policy kept a step from running is no verdict (``Judge.POLICY``): the
    denial is the policy's, and whatever else the turn did (a re-route around the denial, a
    part left unanswered) is no evidence for or against the routes either. Nor is a turn a
    fallback answered (``Judge.FALLBACK``): the general expert answers anything.
    """
    held = [r for r in turn.results if r.policy is not None]
    if held:
        note = "; ".join(f"{r.step_id} ({r.target}): {r.policy} by policy" for r in held)
        return CaseOutcome(success=False, reward=0.5, judged_by=Judge.POLICY, note=note[:500])
    failed = [r for r in turn.results if not r.ok]
    if turn.verified is False:
        return CaseOutcome(
            success=False, reward=0.0, judged_by=Judge.VERIFIER, note="verifier rejected"
        )
    if failed:
        note = "; ".join(f"{r.step_id} ({r.target}): {r.error or 'failed'}" for r in failed)
        return CaseOutcome(success=False, reward=0.0, judged_by=Judge.TOOL_OUTCOME, note=note[:500])
    if turn.verified is True:
        return CaseOutcome(success=True, reward=1.0, judged_by=Judge.VERIFIER)
    fell_back = [r for r in turn.routes if r.fallback]
    if fell_back:  # "all steps succeeded" says nothing when the general expert took a part
        note = "; ".join(f"{r.step_id} ({r.target}): {r.reason}" for r in fell_back)
        return CaseOutcome(success=False, reward=0.5, judged_by=Judge.FALLBACK, note=note[:500])
    if turn.plan is not None and turn.plan.unmatched:
        return CaseOutcome(
            success=False,
            reward=0.2,
            judged_by=Judge.HEURISTIC,
            note="parts of the request unmatched",
        )
    if not turn.answer.strip():
        return CaseOutcome(
            success=False, reward=0.1, judged_by=Judge.HEURISTIC, note="empty answer"
        )
    return CaseOutcome(
        success=True, reward=0.7, judged_by=Judge.HEURISTIC, note="all steps succeeded"
    )
