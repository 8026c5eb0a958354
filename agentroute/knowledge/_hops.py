"""Multi-hop answers: a question that needs another answered first, routed hop by hop.

Why: "What package provides the command that converts a file to hex?" is in no one base —
the man pages name the command (xxd), the package records the package that ships it. The
inner question (``agentroute.text.nested_question``) is routed to the base that answers it
(each base's own probe: the decision the planner routes by), the name its answer's document
gives takes its place in the outer question, and that follow-up is routed again, perhaps to
another base (R1-Router's step-wise routing). Bounded by ``max_hops`` and a time budget;
every hop is kept with its citation (SearChain's traceable chain).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agentroute.knowledge._chroma_kb import ChromaKnowledgeBase
from agentroute.text import nested_question
from agentroute.types import Observation

__all__ = ["Chain", "Hop", "Router", "answer_in_hops", "closest"]


@dataclass(frozen=True)
class Hop:
    """One question asked of one base: what it found and where."""

    query: str
    base: str
    ok: bool
    citation: str = ""
    statement: str = ""
    name: str = ""
    """The name this hop's answer gives the next one ("" for the last hop)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            k: getattr(self, k) for k in ("query", "base", "ok", "citation", "statement", "name")
        }


@dataclass
class Chain:
    """The hops asked, in order, the last one's observation, and why it stopped early."""

    hops: list[Hop] = field(default_factory=list)
    answer: Observation | None = None
    stopped: str = ""

    @property
    def ok(self) -> bool:
        return self.answer is not None and self.answer.ok and not self.stopped


Router = Callable[[str], Awaitable["str | None"]]
"""Which base a question goes to (``None``: none): the planner's routing, passed in."""


def closest(bases: Mapping[str, ChromaKnowledgeBase]) -> Router:
    """The plainest router: the base whose answering passage is closest (each base's probe)."""

    async def route(query: str) -> str | None:
        return _closest(query, bases)

    return route


def _closest(query: str, bases: Mapping[str, ChromaKnowledgeBase]) -> str | None:
    probes = [kb.probe(query) for kb in bases.values()]
    answering = [p for p in probes if p.answers]
    return max(answering, key=lambda p: p.similarity).target if answering else None


async def answer_in_hops(
    question: str,
    bases: Mapping[str, ChromaKnowledgeBase],
    *,
    route: Router | None = None,
    max_hops: int = 3,
    budget_s: float = 30.0,
    timeout: float = 30.0,
) -> Chain:
    """Answer ``question`` hop by hop: the innermost question first, each answer's name put
    into the question around it, each routed on its own; at most ``max_hops`` questions and
    ``budget_s`` seconds. ``route``: how each question is routed (a planner's choice among
    ``bases``; by default the base with the closest answering passage)."""
    route = route or closest(bases)
    chain = Chain()
    deadline = time.monotonic() + budget_s
    pending = [question]  # outermost first; the last is asked next
    while (nested := nested_question(pending[-1])) is not None and len(pending) < max_hops:
        pending.append(nested.inner)
    if nested_question(pending[-1]) is not None:
        chain.stopped = f"the question needs more than {max_hops} hops"
        return chain
    name = ""
    for depth in range(len(pending) - 1, -1, -1):
        query = pending[depth]
        if depth < len(pending) - 1:
            nested = nested_question(query)
            if nested is None or not name:
                chain.stopped = f"no name found to ask {query!r} about"
                return chain
            query = nested.follow_up(f'"{name}"')  # quoted: the passage must name it
        if time.monotonic() > deadline:
            chain.stopped = f"budget of {budget_s:g} s spent before {query!r}"
            return chain
        target = await route(query)
        if target is None or target not in bases:
            chain.hops.append(Hop(query, "", False))
            chain.stopped = f"no knowledge base answers {query!r}"
            return chain
        obs = await bases[target].invoke(f"h{len(chain.hops) + 1}", query, None, timeout=timeout)
        claim = ((obs.data or {}).get("claims") or [{}])[0] if obs.ok else {}
        hits = (obs.data or {}).get("hits") or [{}] if obs.ok else [{}]
        title = next(
            (h.get("title", "") for h in hits if h.get("doc_id") == claim.get("doc_id")), ""
        )
        name = bases[target]._names().name_of(title) if depth and title else ""
        chain.hops.append(
            Hop(query, target, obs.ok, claim.get("citation", ""), claim.get("text", ""), name)
        )
        chain.answer = obs
        if not obs.ok:
            chain.stopped = obs.error or f"{target} did not answer {query!r}"
            return chain
    if chain.answer is not None:
        chain.answer.data = {**(chain.answer.data or {}), "hops": [h.as_dict() for h in chain.hops]}
    return chain
