"""CascadeRouter: try cheap models first, escalate when a verifier is not convinced.

The knob picks the target a plain router would choose (``T``). The cascade first calls the
``width`` best-predicted candidates that cost at most ``cost_fraction`` of ``T``; the verifier
turns their answers into a confidence, and only below ``threshold`` is ``T`` called. The default
verifier is agreement: two independent cheap answers that agree (after normalising, e.g. the
letter of a multiple-choice answer) are accepted. Every model called is paid for.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from agentroute._records import RouteDecision
from agentroute.routing._base import F64, BaseRouter
from agentroute.routing._outcomes import Budget
from agentroute.targets._base import TargetDescriptor

__all__ = ["CascadeResult", "CascadeRouter", "agreement", "normalise_answer"]

_CHOICE = re.compile(r"^\(?([A-Ea-e])(?:\)|\.|:|\b)")

Call = Callable[[str, str], Awaitable[tuple[str, float]]]
"""``await call(model, query) -> (answer, cost_usd)``."""
Verifier = Callable[[str, list[str]], float]
"""``verifier(query, answers) -> confidence in [0, 1]``."""


def normalise_answer(text: str) -> str:
    """A multiple-choice letter if the answer starts with one, else lowercased words."""
    s = text.strip().strip("[]").strip("'\"").replace("\\n", "\n").strip()
    m = _CHOICE.match(s)
    if m:
        return m.group(1).upper()
    return " ".join(s.split()).lower()


def agreement(query: str, answers: list[str]) -> float:
    """Share of the answers equal to the most common one (1.0 when all agree)."""
    if len(answers) < 2:
        return 0.0
    norm = [normalise_answer(a) for a in answers]
    top = max(norm.count(a) for a in set(norm))
    return top / len(norm) if top > 1 else 0.0


class CascadeResult(BaseModel):
    answer: str
    model: str
    called: list[str]
    cost_usd: float
    escalated: bool
    confidence: float
    decision: RouteDecision
    steps: list[str] = Field(default_factory=list)


class CascadeRouter:
    """Cheap-first routing over any :class:`BaseRouter` (its predictions pick the stages)."""

    name = "cascade"

    def __init__(
        self,
        base: BaseRouter,
        *,
        verifier: Verifier = agreement,
        width: int = 2,
        cost_fraction: float = 0.25,
        threshold: float = 1.0,
    ) -> None:
        self.base = base
        self.verifier = verifier
        self.width = width
        self.cost_fraction = cost_fraction
        self.threshold = threshold

    def stages(self, quality: F64, cost: F64, target: int) -> list[int]:
        """The cheap candidates tried before ``target`` (empty: go straight to it)."""
        cheap = np.flatnonzero(
            (cost <= self.cost_fraction * cost[target]) & (np.arange(len(cost)) != target)
        )
        if len(cheap) < max(self.width, 1):
            return []
        order = cheap[np.argsort(-quality[cheap], kind="stable")]
        return [int(k) for k in order[: self.width]]

    def choose(
        self,
        query: str,
        candidates: list[TargetDescriptor],
        *,
        budget: Budget | None = None,
        step_id: str = "",
    ) -> RouteDecision:
        """The first model to call, with the escalation plan in the reason."""
        decision = self.base.choose(query, candidates, budget=budget, step_id=step_id)
        if decision.target is None:
            return decision
        names = [a.target for a in decision.alternatives]
        q = np.array([a.predicted_quality or 0.0 for a in decision.alternatives])
        c = np.array([a.predicted_cost or 0.0 for a in decision.alternatives])
        t = names.index(decision.target)
        first = self.stages(q, c, t)
        if not first:
            decision.reason += "; cascade: no cheap stage worth trying, calling the target directly"
            return decision
        lead = first[0]
        plan = ", ".join(names[k] for k in first)
        return decision.model_copy(
            update={
                "target": names[lead],
                "predicted_quality": float(q[lead]),
                "predicted_cost": float(c[lead]),
                "reason": f"cascade: try {plan} first (≤ {self.cost_fraction:.0%} of the cost); "
                f"escalate to {names[t]} if the verifier's confidence < {self.threshold:.2f}. "
                + decision.reason,
            }
        )

    async def run(
        self,
        query: str,
        candidates: list[TargetDescriptor],
        call: Call,
        *,
        budget: Budget | None = None,
    ) -> CascadeResult:
        """Execute the cascade with ``call``; returns the accepted answer and what it cost."""
        decision = self.base.choose(query, candidates, budget=budget)
        if decision.target is None:
            raise ValueError(f"no model to call: {decision.reason}")
        names = [a.target for a in decision.alternatives]
        q = np.array([a.predicted_quality or 0.0 for a in decision.alternatives])
        c = np.array([a.predicted_cost or 0.0 for a in decision.alternatives])
        t = names.index(decision.target)
        answers: list[str] = []
        called: list[str] = []
        spent = 0.0
        steps: list[str] = []
        for k in self.stages(q, c, t):
            answer, cost = await call(names[k], query)
            answers.append(answer)
            called.append(names[k])
            spent += cost
        confidence = self.verifier(query, answers) if answers else 0.0
        if answers and confidence >= self.threshold:
            steps.append(f"accepted the cheap answer (confidence {confidence:.2f})")
            return CascadeResult(
                answer=answers[-1],
                model=called[-1],
                called=called,
                cost_usd=spent,
                escalated=False,
                confidence=confidence,
                decision=decision,
                steps=steps,
            )
        if answers:
            steps.append(
                f"escalated to {names[t]} (confidence {confidence:.2f} < {self.threshold:.2f})"
            )
        answer, cost = await call(names[t], query)
        return CascadeResult(
            answer=answer,
            model=names[t],
            called=[*called, names[t]],
            cost_usd=spent + cost,
            escalated=bool(answers),
            confidence=confidence,
            decision=decision,
            steps=steps,
        )


def cascade_sweep(
    pred_q: F64,
    pred_c: F64,
    true_q: F64,
    true_c: F64,
    answers: npt.NDArray[np.str_],
    weights: Sequence[float],
    *,
    width: int = 2,
    cost_fraction: float = 0.25,
) -> F64:
    """Offline replay of the agreement cascade over the knob: (avg cost, avg quality) points.

    ``answers[i, j]`` is model ``j``'s normalised recorded answer to query ``i``.
    """
    n = len(pred_q)
    rows = np.arange(n)
    router = CascadeRouter.__new__(CascadeRouter)
    router.width, router.cost_fraction = width, cost_fraction
    pts = []
    for w in weights:
        target = np.argmax(pred_q - w * pred_c, axis=1)
        quality = true_q[rows, target].copy()
        cost = true_c[rows, target].copy()
        for i in range(n):
            st = CascadeRouter.stages(router, pred_q[i], pred_c[i], int(target[i]))
            if not st:
                continue
            paid = true_c[i, st].sum()
            if len({answers[i, k] for k in st}) == 1:
                quality[i], cost[i] = true_q[i, st[-1]], paid
            else:
                cost[i] += paid
        pts.append((cost.mean(), quality.mean()))
    return np.array(pts)
