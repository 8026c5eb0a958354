"""A turn a fallback answered is no verdict on its routes (memory must not learn it)."""

from __future__ import annotations

from agentroute.memory._case import CaseStep, Judge, TurnSummary
from agentroute.memory._outcome import heuristic_outcome
from agentroute.types import RouteDecision, TargetKind


def summary(*routes: RouteDecision, ok: bool = True) -> TurnSummary:
    return TurnSummary(
        turn_id="t1",
        session="s",
        request="What is 7200 * 52?",
        routes=list(routes),
        results=[CaseStep(step_id=r.step_id, target=r.target or "", ok=ok) for r in routes],
        answer="Here is a short answer",
    )


def test_the_general_experts_catch_all_answer_is_no_verdict() -> None:
    route = RouteDecision(step_id="s1", target="general", kind=TargetKind.EXPERT, fallback=True)
    outcome = heuristic_outcome(summary(route))
    assert outcome.judged_by is Judge.FALLBACK and outcome.verdict is None
    assert "general" in outcome.note


def test_a_fitting_route_that_succeeded_is_a_success() -> None:
    route = RouteDecision(step_id="s1", target="calc.calculate", kind=TargetKind.TOOL)
    outcome = heuristic_outcome(summary(route))
    assert outcome.verdict is True and outcome.judged_by is Judge.HEURISTIC


def test_a_failed_step_is_a_failure_even_when_a_fallback_answered_after() -> None:
    failed = RouteDecision(step_id="s1", target="calc.calculate", kind=TargetKind.TOOL)
    fallback = RouteDecision(step_id="s2", target="general", fallback=True)
    turn = summary(failed, fallback)
    turn.results[0].ok = False
    outcome = heuristic_outcome(turn)
    assert outcome.verdict is False and outcome.judged_by is Judge.TOOL_OUTCOME
