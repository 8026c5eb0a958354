"""A cascade as one target: several expert models behind a single name in the agent.

The turn graph dispatches a step to one target; a cascade needs several calls (cheap models,
the verifier, maybe the escalation) before it has an answer. Wrapping them as one expert keeps
the graph's data flow as it is: route picks ``cascade``, the gate checks one call, dispatch
runs :meth:`CascadeRouter.run` over the wrapped experts, and the observation lists every model
that was paid for, with the verifier's confidence and the escalation in its provenance.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from agentroute.protocols import Target, bounded_invoke
from agentroute.routing._cascade import CascadeRouter, normalise_answer
from agentroute.routing._outcomes import Outcome
from agentroute.types import Health, Observation, Source, TargetDescriptor, TargetKind

__all__ = ["CascadeExpert"]


class CascadeExpert:
    """Experts tried cheap-first by a :class:`CascadeRouter`, exposed as one expert target."""

    def __init__(
        self,
        cascade: CascadeRouter,
        experts: Sequence[Target],
        *,
        name: str = "cascade",
        description: str = "",
    ) -> None:
        if not experts:
            raise ValueError("a cascade needs at least one expert")
        self.cascade = cascade
        self.experts = {e.descriptor.name: e for e in experts}
        domains = sorted({d for e in experts for d in e.descriptor.domains})
        self._descriptor = TargetDescriptor(
            name=name,
            kind=TargetKind.EXPERT,
            description=description
            or "answers with the cheapest of several models that a verifier accepts: "
            + "; ".join(e.descriptor.description or e.descriptor.name for e in experts),
            domains=domains,
            examples=[x for e in experts for x in e.descriptor.examples][:10],
            role="general" if any(e.descriptor.role == "general" for e in experts) else None,
        )

    @property
    def descriptor(self) -> TargetDescriptor:
        return self._descriptor

    def estimate_cost(self, query: str) -> float:
        """The worst case (every cheap stage and the escalation), so budgets hold."""
        cands = [e.descriptor for e in self.experts.values()]
        planned = self.cascade.planned_calls(self.cascade.base.choose(query, cands))
        return sum(self.experts[m].estimate_cost(query) for m in planned)

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        started = time.perf_counter()
        seen: list[Observation] = []

        async def call(model: str, q: str) -> tuple[str, float]:
            obs = await bounded_invoke(self.experts[model], step_id, q, None, timeout=timeout)
            seen.append(obs)
            return (obs.result if obs.ok else ""), obs.cost_usd

        cands = [e.descriptor for e in self.experts.values()]
        try:
            res = await self.cascade.run(query, cands, call)
        except ValueError as exc:  # the base router found no model to call
            return self._observation(step_id, query, seen, started, error=str(exc))
        final = seen[-1] if seen else None
        if final is None or not res.answer.strip():
            why = final.error if final is not None and final.error else "an empty answer"
            return self._observation(step_id, query, seen, started, error=f"{res.model}: {why}")
        note = "; ".join(res.steps) or f"called {res.model} directly"
        calls = [
            {"model": o.target, "cost_usd": o.cost_usd, "answer": normalise_answer(o.result)}
            for o in seen
            if o.ok
        ]
        return self._observation(
            step_id,
            query,
            seen,
            started,
            result=res.answer.strip(),
            data={"cascade": res.model_dump(mode="json"), "note": note, "calls": calls},
        )

    def feedback(self, query: str, data: Any, reward: float) -> list[Outcome]:
        """Teach the base router from a verdict on one of this cascade's answers.

        The model whose answer was kept gets the reward; a model that gave the same answer
        gets it too; one that answered differently gets 0 when the kept answer was right (and
        nothing when it was wrong: both may be). Returns the outcomes learned, for storing.
        """
        if not isinstance(data, dict) or "cascade" not in data:
            return []
        kept = data["cascade"].get("model")
        answers = {c["model"]: c for c in data.get("calls", [])}
        if kept not in answers:
            return []
        outcomes = []
        task = self.cascade.base.task_of(query)
        for model, call in answers.items():
            if model == kept or call["answer"] == answers[kept]["answer"]:
                quality = reward
            elif reward >= 0.5:
                quality = 0.0
            else:
                continue
            outcomes.append(
                Outcome(
                    query=query,
                    model=model,
                    quality=quality,
                    cost_usd=call["cost_usd"],
                    task=task,
                )
            )
        for outcome in outcomes:
            self.cascade.base.learn(outcome)
        return outcomes

    def _observation(
        self,
        step_id: str,
        query: str,
        seen: list[Observation],
        started: float,
        *,
        result: str = "",
        error: str | None = None,
        data: Any = None,
    ) -> Observation:
        return Observation(
            step_id=step_id,
            target=self._descriptor.name,
            kind=TargetKind.EXPERT,
            query=query,
            ok=error is None,
            result=result,
            error=error,
            sources=[s for o in seen for s in o.sources]
            or [Source(kind=TargetKind.EXPERT, name=o.target) for o in seen],
            cost_usd=sum(o.cost_usd for o in seen),
            latency_s=time.perf_counter() - started,
            tokens_in=sum(o.tokens_in for o in seen),
            tokens_out=sum(o.tokens_out for o in seen),
            data=data,
        )

    async def health(self) -> Health:
        checks = {name: await e.health() for name, e in self.experts.items()}
        bad = [f"{n}: {h.detail}" for n, h in checks.items() if not h.ok]
        return Health(ok=not bad, detail="; ".join(bad) or f"{len(checks)} experts ok")
