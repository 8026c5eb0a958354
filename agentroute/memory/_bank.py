"""The case bank: recall, plan reuse, remember, feedback (the ``Memory`` hook).

Only the runtime writes cases: ``remember`` takes the finished turn from the graph, and there is
no tool, document or model output path that reaches a store. Recall returns data; it never
executes anything a case says, and a reused plan is re-checked against the live targets and the
policy gate before it is returned.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from agentroute._log import get_logger
from agentroute.embeddings._base import Embedder
from agentroute.memory._case import (
    Case,
    CaseOutcome,
    CaseStatus,
    Judge,
    Provenance,
    TurnSummary,
    content_hash,
)
from agentroute.memory._outcome import heuristic_outcome
from agentroute.memory._recall_config import RecallConfig
from agentroute.memory._refill import refill_plan
from agentroute.memory._refresh import identical_case
from agentroute.memory._render import render_cases
from agentroute.memory._store import CaseStore, MemoryStoreError, embedder_mismatch
from agentroute.memory._transfer import export_jsonl, import_jsonl
from agentroute.memory._vetting import find_reusable_plan, write_blockers
from agentroute.protocols import Gate
from agentroute.types import MemoryHit, Plan

if TYPE_CHECKING:
    from agentroute._chroma_client import ChromaServer

__all__ = ["CaseBank"]

log = get_logger(__name__)

_NEIGHBOURS_KEPT = 512
"""Recalls whose neighbours wait for their turn's write (one per turn in flight is enough)."""


class CaseBank:
    """The episodic memory over a ``CaseStore``.

    The live targets (``{target name: description}``) come with each ``reusable_plan`` and
    ``remember`` call (a turn passes its own), else from ``targets`` (a callable) given here;
    with neither, a plan is never reused (its targets cannot be checked) and the
    unrelated-target check on write is off. ``gate`` re-checks every step of a reused plan.
    """

    def __init__(
        self,
        store: CaseStore,
        embedder: Embedder,
        *,
        targets: Callable[[], Mapping[str, str]] | None = None,
        known_targets: Callable[[], Iterable[str]] | Iterable[str] | None = None,
        gate: Gate | None = None,
        config: RecallConfig | None = None,
        agent: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if store.embedder_id and store.embedder_id != embedder.id:
            raise embedder_mismatch(
                getattr(store, "path", "<store>"), store.embedder_id, embedder.id
            )
        self.store = store
        self.embedder = embedder
        self.config = config or RecallConfig()
        if targets is None and known_targets is not None:
            names = known_targets

            def targets() -> Mapping[str, str]:
                found = names() if callable(names) else names
                return {t: "" for t in found}

        self._targets = targets
        self._gate = gate
        self._agent = agent
        self._clock = clock
        self._cases: OrderedDict[str, Case] = OrderedDict()
        self._neighbours: OrderedDict[tuple[str, str], list[tuple[str, float]]] = OrderedDict()
        """The nearest active cases each recent recall found, by (namespace, task): the
        turn's write checks them for a flood instead of asking the store again."""
        self._neighbours_lock = threading.Lock()
        self.last_recall: dict[str, list[MemoryHit]] = {}
        """The hits of the latest ``recall`` per namespace (what ``/memory`` shows)."""

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        embedder: Embedder,
        targets: Callable[[], Mapping[str, str]] | None = None,
        known_targets: Callable[[], Iterable[str]] | Iterable[str] | None = None,
        gate: Gate | None = None,
        config: RecallConfig | None = None,
        agent: str = "",
        server: ChromaServer | None = None,
    ) -> CaseBank:
        """A bank over the chromadb store at ``path`` (created when missing), or on the Chroma
        ``server`` (``[persistence] chroma_url``; ``path`` is then unused)."""
        store: CaseStore
        if server is not None:
            from agentroute.memory._chroma_server import ServerCaseStore

            store = ServerCaseStore(server, embedder)
        else:
            from agentroute.memory._chroma import ChromaCaseStore

            store = ChromaCaseStore(path, embedder)
        return cls(
            store,
            embedder,
            targets=targets,
            known_targets=known_targets,
            gate=gate,
            config=config,
            agent=agent,
        )

    def close(self) -> None:
        self.store.close()

    # -- recall ---------------------------------------------------------------------------------

    def recall(self, task: str, *, namespace: str, k: int = 4) -> list[MemoryHit]:
        cfg = self.config
        vec = self.embedder.embed([task])[0]
        now = self._clock()
        scored: list[tuple[float, MemoryHit]] = []
        n = max(cfg.candidates, k)
        found = self.store.search(vec, namespace=namespace, n=n, min_similarity=cfg.min_similarity)
        if n > cfg.flood_limit and cfg.min_similarity <= cfg.flood_similarity:
            self._keep_neighbours(namespace, task, [(case.id, sim) for case, sim in found])
        for case, sim in found:
            if sim < cfg.min_similarity or case.status is not CaseStatus.ACTIVE:
                continue
            utility = case.recall.success_rate(prior=case.outcome.reward)
            age_days = max(0.0, now - case.provenance.created_at) / 86400.0
            recency = 0.5 ** (age_days / cfg.recency_half_life_days)
            rank = sim + cfg.utility_weight * (utility - 0.5) + cfg.recency_weight * recency
            st = case.recall
            verdict = case.outcome.verdict
            kind = {True: "positive", False: "negative", None: "no-verdict"}[verdict]
            reason = (
                f"similarity {sim:.2f} >= {cfg.min_similarity}; utility {utility:.2f} "
                f"({st.successes} ok / {st.failures} failed of {st.times_recalled} recalls, "
                f"own reward {case.outcome.reward:.2f}); "
                f"{kind} case, judged by {case.outcome.judged_by.value}; rank {rank:.3f}"
            )
            hit = MemoryHit(
                case_id=case.id,
                similarity=sim,
                utility=utility,
                task=case.task,
                success=verdict,
                reason=reason,
                targets=sorted(case.judged_targets()),
                same_ask=refill_plan(
                    case.plan, case.task, task, max_span=cfg.max_substitution_words
                )
                is not None,
            )
            scored.append((rank, hit))
            self._remember_case(case)
        scored.sort(key=lambda t: -t[0])
        hits = [h for _, h in scored[:k]]
        self.last_recall[namespace] = hits
        log.debug("memory.recall", namespace=namespace, hits=[h.case_id for h in hits])
        return hits

    def _keep_neighbours(self, namespace: str, task: str, found: list[tuple[str, float]]) -> None:
        with self._neighbours_lock:
            self._neighbours[(namespace, task)] = found
            self._neighbours.move_to_end((namespace, task))
            while len(self._neighbours) > _NEIGHBOURS_KEPT:
                self._neighbours.popitem(last=False)

    def _recalled_neighbours(self, namespace: str, task: str) -> list[tuple[str, float]] | None:
        """What the recall of ``task`` found (once): the same request's write follows it, and
        no case of the same session can have been written in between."""
        with self._neighbours_lock:
            return self._neighbours.pop((namespace, task), None)

    def render_for_planner(self, hits: list[MemoryHit]) -> str:
        """Positive and negative cases as separate quoted data blocks ("" for no hits)."""
        cases = {h.case_id: c for h in hits if (c := self._case(h.case_id)) is not None}
        return render_cases(hits, cases)

    # -- reuse ----------------------------------------------------------------------------------

    def reusable_plan(
        self,
        task: str,
        hits: list[MemoryHit],
        *,
        namespace: str,
        targets: Mapping[str, str] | None = None,
        known_targets: set[str] | None = None,
        session: str = "",
    ) -> Plan | None:
        """A past plan for ``task`` that passes every reuse check (``_vetting``), else ``None``."""
        live = self._live(targets)
        if known_targets is None and live is not None:
            known_targets = set(live)
        return find_reusable_plan(
            task,
            hits,
            namespace=namespace,
            lookup=lambda case_id: self._case(case_id, namespace=namespace),
            known_targets=known_targets,
            targets=live,
            gate=self._gate,
            session=session,
            config=self.config,
        )

    # -- remember -------------------------------------------------------------------------------

    def remember(
        self, turn: Any, *, namespace: str, targets: Mapping[str, str] | None = None
    ) -> str | None:
        """Write the finished turn as a case; ``None`` when the turn had no plan to learn from."""
        summary = TurnSummary.from_turn(turn)
        if summary.plan is None or not summary.plan.steps:
            return None
        case = Case(
            id="case-"
            + hashlib.sha256(f"{namespace}\0{summary.turn_id}".encode()).hexdigest()[:20],
            namespace=namespace,
            turn_id=summary.turn_id,
            task=summary.request,
            plan=summary.plan,
            routes=summary.routes,
            results=summary.results,
            answer=summary.answer[:2000],
            outcome=heuristic_outcome(summary),
            cost_usd=summary.cost_usd,
            latency_s=summary.latency_s,
            recalled=list(dict.fromkeys(summary.recalled)),
            provenance=Provenance(
                session=summary.session,
                agent=summary.agent or self._agent,
                writer="runtime",
                model=summary.model,
                created_at=self._clock(),
                embedder_id=self.embedder.id,
            ),
        )
        case.provenance.content_hash = content_hash(case)
        vec = self.embedder.embed([case.task])[0]
        neighbours = self._recalled_neighbours(namespace, case.task)
        if neighbours is None:  # no recall of this task just before: asked once, for both uses
            neighbours = self.store.nearest(vec, namespace=namespace, n=self.config.flood_limit + 1)
        if self.config.defences:
            reasons = write_blockers(
                case,
                vec,
                store=self.store,
                config=self.config,
                targets=self._live(targets),
                similarity=self._similarity,
                clock=self._clock,
                neighbours=neighbours,
            )
            if reasons:
                case.status = CaseStatus.QUARANTINED
                case.status_reason = "; ".join(reasons)
                log.warning("memory.quarantined", case_id=case.id, reasons=reasons)
        if case.status is CaseStatus.ACTIVE:
            case = self._refreshed(case, neighbours)
        verdict = case.outcome.verdict
        counted = (  # a turn the policy held teaches its recalled cases nothing
            self._count_recalls(case.recalled, namespace, None, verdict, skip=case.id)
            if verdict is not None
            else []
        )
        self.store.put(case, vec, updates=counted)
        log.debug("memory.remembered", case_id=case.id, status=case.status.value)
        return case.id

    def _refreshed(self, case: Case, neighbours: list[tuple[str, float]]) -> Case:
        """``case``, or its twin already stored (same task, plan and verdict) brought up to
        date with it: same id and recall counts, this turn's results, time and turn id."""
        twin = identical_case(case, neighbours, self.store)
        if twin is None:
            return case
        recall = twin.recall.model_copy()
        if twin.id in case.recalled:  # this turn recalled it: its outcome counts on it, as ever
            recall.times_recalled += 1
            recall.last_recalled_at = self._clock()
            if case.outcome.verdict:
                recall.successes += 1
            else:
                recall.failures += 1
        case = case.model_copy(
            update={
                "id": twin.id,
                "recall": recall,
                "recalled": [cid for cid in case.recalled if cid != twin.id],
            }
        )
        case.provenance.content_hash = content_hash(case)
        self._cases.pop(twin.id, None)
        log.info("memory.refreshed", case_id=twin.id, turn_id=case.turn_id)
        return case

    def _live(self, targets: Mapping[str, str] | None) -> Mapping[str, str] | None:
        """The live targets: those of the call, else those of the callable given at construction."""
        if targets is not None:
            return targets
        return self._targets() if self._targets is not None else None

    def _similarity(self, a: str, b: str) -> float:
        va, vb = self.embedder.embed([a, b])
        return float(np.dot(va, vb))

    # -- feedback -------------------------------------------------------------------------------

    def feedback(self, turn_id: str, reward: float, judge: Judge | str = Judge.USER) -> str | None:
        """Set the outcome of ``turn_id``'s case and re-count it on the cases it recalled."""
        if not 0.0 <= reward <= 1.0 or math.isnan(reward):
            raise ValueError(f"reward must be in [0, 1], got {reward}")
        case = self.store.find_turn(turn_id)
        if case is None:
            return None
        before = case.outcome.verdict  # None: never counted (the policy held a step)
        case.outcome = CaseOutcome(success=reward >= 0.5, reward=reward, judged_by=Judge(judge))
        self.store.update(case)
        self._cases.pop(case.id, None)
        after = case.outcome.verdict
        if after is not None and before != after:
            counted = self._count_recalls(case.recalled, case.namespace, before, after)
            if counted:
                self.store.update_many(counted)
        log.info("memory.feedback", turn_id=turn_id, case_id=case.id, reward=reward)
        return case.id

    def _count_recalls(
        self,
        case_ids: list[str],
        namespace: str,
        undo: bool | None,
        success: bool,
        *,
        skip: str = "",
    ) -> list[Case]:
        """The recalled cases with one outcome counted on each, for the caller to write in one
        go (``undo`` takes back an earlier count; ``None``: there was none, this is the first).
        ``skip``: the case being written, which cannot count on itself."""
        changed = []
        wanted = [cid for cid in dict.fromkeys(case_ids) if cid != skip]
        stored = self.store.get_many(wanted, namespace=namespace) if wanted else {}
        for case_id in wanted:
            case = stored.get(case_id)
            if case is None:
                continue
            st = case.recall
            if undo is None:
                st.times_recalled += 1
                st.last_recalled_at = self._clock()
            elif undo:
                st.successes = max(0, st.successes - 1)
            else:
                st.failures = max(0, st.failures - 1)
            if success:
                st.successes += 1
            else:
                st.failures += 1
            changed.append(case)
            self._cases.pop(case_id, None)
        return changed

    # -- maintenance ----------------------------------------------------------------------------

    def get(self, case_id: str) -> Case | None:
        return self.store.get(case_id)

    def forget(self, case_id: str) -> bool:
        self._cases.pop(case_id, None)
        return self.store.delete(case_id)

    def quarantine(self, case_id: str, reason: str = "quarantined by hand") -> bool:
        case = self.store.get(case_id)
        if case is None:
            return False
        case.status = CaseStatus.QUARANTINED
        case.status_reason = reason
        self.store.update(case)
        self._cases.pop(case_id, None)
        return True

    def export_jsonl(
        self, path: str | os.PathLike[str] | TextIO, *, namespace: str | None = None
    ) -> int:
        """Every case (all statuses, stats and provenance) as one JSON object per line."""
        return export_jsonl(self.store, path, namespace=namespace)

    def import_jsonl(self, path: str | os.PathLike[str], *, namespace: str | None = None) -> int:
        """Load an export (tasks re-embedded; tampered cases quarantined)."""
        return import_jsonl(self.store, self.embedder, path, namespace=namespace)

    def _remember_case(self, case: Case) -> None:
        self._cases[case.id] = case
        self._cases.move_to_end(case.id)
        while len(self._cases) > 256:
            self._cases.popitem(last=False)

    def _case(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        case = self._cases.get(case_id)
        if case is None:
            try:
                case = self.store.get(case_id, namespace=namespace)
            except MemoryStoreError:
                return None
        return case
