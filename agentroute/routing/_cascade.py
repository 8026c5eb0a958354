"""CascadeRouter: try cheap models first, escalate when a verifier is not convinced.

The knob picks the target a plain router would choose (``T``). The cascade first calls the
``width`` best-predicted candidates that cost at most ``cost_fraction`` of ``T``; the verifier
turns their answers into a confidence, and only below ``threshold`` is ``T`` called. Every model
called is paid for.

The default verifier is a weighted vote: each cheap answer counts with the log-odds of the
quality the base router predicts for its model on this query, so two strong models that agree
are trusted and two weak ones that agree by chance are not. On RouterBench this is what makes
the cascade pay for itself (``benchmarks/bench_routing.py``: plain agreement loses to the graph
router it escalates to; the weighted vote beats it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from agentroute.routing._base import F64, BaseRouter
from agentroute.types import RouteDecision, TargetDescriptor

__all__ = ["CascadeResult", "CascadeRouter", "agreement", "normalise_answer", "weighted_vote"]

_CHOICE = re.compile(r"^\(?([A-Ea-e])(?:\)|\.|:|\b)")

Call = Callable[[str, str], Awaitable[tuple[str, float]]]
"""``await call(model, query) -> (answer, cost_usd)``."""
Verifier = Callable[[str, list[str], list[float]], tuple[int, float]]
"""``verifier(query, answers, predicted_qualities) -> (index of the answer to keep, confidence
in [0, 1])``; ``predicted_qualities[k]`` is the base router's estimate for the model that gave
``answers[k]``."""


def normalise_answer(text: str) -> str:
    """A multiple-choice letter if the answer starts with one, else lowercased words."""
    s = text.strip().strip("[]").strip("'\"").replace("\\n", "\n").strip()
    m = _CHOICE.match(s)
    if m:
        return m.group(1).upper()
    return " ".join(s.split()).lower()


def agreement(query: str, answers: list[str], qualities: list[float]) -> tuple[int, float]:
    """Share of the answers equal to the most common one (0 unless at least two agree)."""
    if len(answers) < 2:
        return 0, 0.0
    norm = [normalise_answer(a) for a in answers]
    top = max(set(norm), key=norm.count)
    n = norm.count(top)
    return norm.index(top), (n / len(norm) if n > 1 else 0.0)


def weighted_vote(query: str, answers: list[str], qualities: list[float]) -> tuple[int, float]:
    """The answer with the most evidence, and the posterior that it is the right one.

    A model of predicted quality ``p`` adds ``log(p / (1 - p))`` to its answer (a model no
    better than a coin adds nothing); the posterior is a softmax over the answers given plus
    one unseen alternative, so a lone vote is never certain.
    """
    if not answers:
        return 0, 0.0
    norm = [normalise_answer(a) for a in answers]
    score: dict[str, float] = {}
    for a, p in zip(norm, qualities, strict=True):
        p = min(max(p, 0.5), 0.99)
        score[a] = score.get(a, 0.0) + math.log(p / (1.0 - p))
    top = max(score, key=lambda a: score[a])
    vals = [*score.values(), 0.0]
    hi = max(vals)
    z = sum(math.exp(v - hi) for v in vals)
    return norm.index(top), math.exp(score[top] - hi) / z


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
        verifier: Verifier = weighted_vote,
        width: int = 2,
        cost_fraction: float = 0.25,
        threshold: float = 0.9,
    ) -> None:
        self.base = base
        self.verifier = verifier
        self.width = width
        self.cost_fraction = cost_fraction
        self.threshold = threshold

    def stages(self, quality: F64, cost: F64, target: int) -> list[int]:
        """The cheap candidates tried before ``target`` (empty: go straight to it, as when the
        threshold is above 1: no vote could be accepted, so none is paid for)."""
        if self.threshold > 1.0:
            return []
        cheap = np.flatnonzero(
            (cost <= self.cost_fraction * cost[target]) & (np.arange(len(cost)) != target)
        )
        if len(cheap) < max(self.width, 1):
            return []
        order = cheap[np.argsort(-quality[cheap], kind="stable")]
        return [int(k) for k in order[: self.width]]

    def planned_calls(self, decision: RouteDecision) -> list[str]:
        """The models a cascade on ``decision`` may call: cheap stages, then the target."""
        if decision.target is None:
            return []
        names, q, c, t = _predictions(decision)
        return [names[k] for k in self.stages(q, c, t)] + [names[t]]

    def choose(
        self,
        query: str,
        candidates: list[TargetDescriptor],
        *,
        max_cost_usd: float | None = None,
        step_id: str = "",
    ) -> RouteDecision:
        """The first model to call, with the escalation plan in the reason."""
        decision = self.base.choose(query, candidates, max_cost_usd=max_cost_usd, step_id=step_id)
        if decision.target is None:
            return decision
        names, q, c, t = _predictions(decision)
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
        max_cost_usd: float | None = None,
    ) -> CascadeResult:
        """Execute the cascade with ``call``; returns the accepted answer and what it cost."""
        decision = self.base.choose(query, candidates, max_cost_usd=max_cost_usd)
        if decision.target is None:
            raise ValueError(f"no model to call: {decision.reason}")
        names, q, c, t = _predictions(decision)
        answers: list[str] = []
        voters: list[str] = []
        called: list[str] = []
        expected: list[float] = []
        spent = 0.0
        steps: list[str] = []
        for k in self.stages(q, c, t):
            answer, cost = await call(names[k], query)
            called.append(names[k])
            spent += cost
            if answer.strip():  # a failed or empty stage casts no vote
                answers.append(answer)
                voters.append(names[k])
                expected.append(float(q[k]))
        keep, confidence = self.verifier(query, answers, expected) if answers else (0, 0.0)
        if answers and confidence >= self.threshold:
            steps.append(f"accepted {voters[keep]}'s answer (confidence {confidence:.2f})")
            return CascadeResult(
                answer=answers[keep],
                model=voters[keep],
                called=called,
                cost_usd=spent,
                escalated=False,
                confidence=confidence,
                decision=decision,
                steps=steps,
            )
        if called:
            steps.append(
                f"escalated to {names[t]} (confidence {confidence:.2f} < {self.threshold:.2f})"
            )
        answer, cost = await call(names[t], query)
        return CascadeResult(
            answer=answer,
            model=names[t],
            called=[*called, names[t]],
            cost_usd=spent + cost,
            escalated=bool(called),
            confidence=confidence,
            decision=decision,
            steps=steps,
        )


def _predictions(decision: RouteDecision) -> tuple[list[str], F64, F64, int]:
    """The candidates of a base decision, their predicted quality and cost, the target's index."""
    names = [a.target for a in decision.alternatives]
    q = np.array([a.predicted_quality or 0.0 for a in decision.alternatives])
    c = np.array([a.predicted_cost or 0.0 for a in decision.alternatives])
    return names, q, c, names.index(decision.target or "")


def cascade_sweep(
    cascade: CascadeRouter,
    pred_q: F64,
    pred_c: F64,
    true_q: F64,
    true_c: F64,
    answers: npt.NDArray[np.str_],
    weights: Sequence[float],
    thresholds: Sequence[float] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.01),
) -> F64:
    """Offline replay of ``cascade`` over the knob and the verifier's threshold: one (average
    cost, average quality) point per pair (a threshold above 1 calls no cheap stage: the base
    router's own choice). ``answers[i, j]`` is model ``j``'s recorded answer to
    query ``i``; the kept answer is right when its model was right on that query."""
    n = len(pred_q)
    rows = np.arange(n)
    pts = []
    for w in weights:
        target = np.argmax(pred_q - w * pred_c, axis=1)
        base_q, base_c = true_q[rows, target], true_c[rows, target]
        conf = np.full(n, -1.0)
        cheap_q, cheap_c = np.zeros(n), np.zeros(n)
        for i in range(n):
            st = cascade.stages(pred_q[i], pred_c[i], int(target[i]))
            if not st:
                continue
            keep, conf[i] = cascade.verifier(
                "", [str(answers[i, k]) for k in st], [float(pred_q[i, k]) for k in st]
            )
            cheap_q[i], cheap_c[i] = true_q[i, st[keep]], true_c[i, st].sum()
        for tau in thresholds:
            if tau > 1.0:
                pts.append((base_c.mean(), base_q.mean()))
                continue
            accept = conf >= tau
            quality = np.where(accept, cheap_q, base_q)
            cost = np.where(accept, cheap_c, cheap_c + base_c)
            pts.append((cost.mean(), quality.mean()))
    return np.array(pts)
