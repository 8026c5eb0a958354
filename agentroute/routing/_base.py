"""The shared machinery of every learned router: predict, price, score under the knob, decide.

A router predicts, for a query and each candidate model, the expected quality in [0, 1] and
the cost in dollars; the score is ``quality - cost * cost_weight`` (see
:class:`~agentroute.routing.RoutingConfig`). Candidates whose predicted cost exceeds
``max_cost_usd`` (what the caller says this one call may cost) are excluded; if none is left the
decision has ``target=None`` and says why. A router keeps no running total: spending is kept,
and an agent's :class:`~agentroute.Budget` enforced, by the turn that spends.
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

from agentroute._log import get_logger
from agentroute.routing._evidence import has_evidence
from agentroute.routing._features import QueryFeaturizer
from agentroute.routing._memory import OutcomeMemory
from agentroute.routing._outcomes import ExpertDescriptor, Outcome, RoutingConfig
from agentroute.routing._table import OutcomeTable
from agentroute.types import Alternative, RouteDecision, TargetDescriptor, TargetKind

__all__ = ["BaseRouter", "is_priced"]

log = get_logger(__name__)

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
_CHARS_PER_TOKEN = 4.0
_MIN_COST_FIT = 3


def _fmt_usd(x: float) -> str:
    return f"${x:.6f}" if x < 0.01 else f"${x:.4f}"


class BaseRouter(ABC):
    """Base of the learned routers. Subclasses implement :meth:`_predict_quality`."""

    name = "base"

    def __init__(
        self,
        *,
        config: RoutingConfig | None = None,
        featurizer: QueryFeaturizer | None = None,
        descriptors: Sequence[TargetDescriptor] = (),
        prior_weight: float = 5.0,
    ) -> None:
        self.config = config or RoutingConfig()
        self.featurizer = featurizer or QueryFeaturizer()
        self.prior_weight = prior_weight
        """Pseudo-outcomes the descriptor prior counts for when mixed with observed ones."""
        self.descriptors: dict[str, TargetDescriptor] = {d.name: d for d in descriptors}
        self.memory = OutcomeMemory()
        self._fitted_featurizer = False
        # Sufficient statistics of a per-model least-squares fit cost = a + b * chars.
        self._cs = np.zeros((0, 5))
        self._last_cols = np.zeros(0, dtype=np.int64)
        """Memory columns of the last prediction's candidates (for its uncertainty)."""

    # ---- learning -------------------------------------------------------------------------
    def fit(self, table: OutcomeTable, vectors: F32 | None = None) -> Self:
        """Learn from a table of outcomes (``vectors``: precomputed query embeddings)."""
        if not self._fitted_featurizer:
            self.featurizer.fit(table.queries)
            self._fitted_featurizer = True
        if vectors is None:
            vectors = self.featurizer.embed(table.queries)
        self.memory.add_table(table, vectors)
        self._refit_costs()
        self._refresh()
        return self

    def learn(self, outcome: Outcome, vector: F32 | None = None) -> None:
        """Record one outcome; the next decision already uses it."""
        if vector is None:
            vector = self.featurizer.embed([outcome.query])[0]
        self.memory.add(outcome, vector)
        j = self.memory.col(outcome.model)
        assert j is not None
        self._ensure_cost_cols()
        self._cs[j] += _cost_row(float(len(outcome.query)), outcome.cost_usd)
        self._learned(outcome, j)

    def task_of(self, query: str) -> str:
        """The task an outcome on ``query`` belongs to (routers without tasks: ``""``)."""
        return ""

    def add_model(self, descriptor: TargetDescriptor) -> None:
        """Make a model known by its descriptor (it is predicted from the prior until it has
        outcomes)."""
        self.descriptors[descriptor.name] = descriptor

    def _refresh(self) -> None:  # noqa: B027  # a hook: most routers derive nothing
        """Recompute derived state after a bulk fit."""

    def _learned(self, outcome: Outcome, col: int) -> None:  # noqa: B027  # optional hook
        """Update derived state after one outcome."""

    def _ensure_cost_cols(self) -> None:
        m = len(self.memory.models)
        if self._cs.shape[0] < m:
            self._cs = np.vstack([self._cs, np.zeros((m - self._cs.shape[0], 5))])

    def _refit_costs(self) -> None:
        self._cs = np.zeros((len(self.memory.models), 5))
        x = self.memory.lengths
        for j in range(len(self.memory.models)):
            y = self.memory.cost[:, j]
            ok = ~np.isnan(y)
            self._cs[j] = _cost_row(x[ok], y[ok]).reshape(-1, 5).sum(axis=0)

    # ---- prediction -----------------------------------------------------------------------
    def embed(self, queries: Sequence[str]) -> F32:
        return self.featurizer.embed(queries)

    def predict(
        self, queries: Sequence[str], models: Sequence[str], vectors: F32 | None = None
    ) -> tuple[F64, F64]:
        """Predicted quality and cost, each of shape ``(len(queries), len(models))``."""
        if vectors is None:
            # With no outcomes nothing reads the vectors: skip the embedding model entirely.
            vectors = (
                self.embed(queries)
                if self.memory.n
                else np.zeros((len(queries), 1), dtype=np.float32)
            )
        lengths = np.array([len(q) for q in queries], dtype=np.float64)
        cols = self.memory.columns(models)
        self._last_cols = cols
        quality, cost = self._predict(vectors, lengths, cols, models)
        missing = np.isnan(cost)
        if missing.any():
            # A model with neither outcomes nor a price: assume the dearest known price, so an
            # unknown model never wins on an imagined low cost.
            fill = (
                np.nanmax(cost, axis=1, keepdims=True)
                if (~missing).any()
                else np.zeros((len(cost), 1))
            )
            cost = np.where(missing, np.nan_to_num(fill, nan=0.0), cost)
        return np.clip(np.nan_to_num(quality, nan=0.5), 0.0, 1.0), cost

    def _predict(
        self, vectors: F32, lengths: F64, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> tuple[F64, F64]:
        return self._predict_quality(vectors, cols, models), self.predict_cost(
            lengths, cols, models
        )

    def cost_slopes(self, cols: npt.NDArray[np.int64]) -> F64:
        """Dollars per extra prompt character, per model (0 where unknown)."""
        self._ensure_cost_cols()
        out = np.zeros(len(cols))
        known = cols >= 0
        n, sx, sy, sxx, sxy = self._cs[cols[known]].T
        var = n * sxx - sx**2
        ok = (n >= _MIN_COST_FIT) & (var > 1e-9)
        slope = np.where(ok, (n * sxy - sx * sy) / np.where(ok, var, 1.0), 0.0)
        out[known] = np.maximum(slope, 0.0)
        return out

    @abstractmethod
    def _predict_quality(
        self, vectors: F32, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> F64:
        """Predicted quality per (query, model): what each router does differently."""

    def prior_quality(
        self, models: Sequence[str], task_probs: dict[str, float] | None = None
    ) -> F64:
        """Quality expected of each model from its descriptor alone."""
        out = np.empty(len(models))
        for k, name in enumerate(models):
            out[k] = _descriptor_prior(self.descriptors.get(name), task_probs)
        return out

    def predict_cost(self, lengths: F64, cols: npt.NDArray[np.int64], models: Sequence[str]) -> F64:
        """Per-model least squares on query length when a model has outcomes, else its price."""
        self._ensure_cost_cols()
        out = np.empty((len(lengths), len(models)))
        known = cols >= 0
        if known.any():
            s = self._cs[cols[known]]
            n, sx, sy, sxx, sxy = s.T
            enough = n >= _MIN_COST_FIT
            var = n * sxx - sx**2
            b = np.where(
                enough & (var > 1e-9), (n * sxy - sx * sy) / np.where(var > 1e-9, var, 1), 0.0
            )
            b = np.maximum(b, 0.0)
            a = np.where(n > 0, (sy - b * sx) / np.maximum(n, 1), np.nan)
            fitted = np.maximum(a[None, :] + lengths[:, None] * b[None, :], 0.0)
            out[:, known] = fitted
        redo = ~known if not len(lengths) else (~known | np.isnan(np.where(known, out[0], 0.0)))
        for k in np.flatnonzero(redo):
            out[:, k] = _descriptor_cost(self.descriptors.get(models[int(k)]), lengths)
        return out

    # ---- deciding -------------------------------------------------------------------------
    def choose(
        self,
        query: str,
        candidates: list[TargetDescriptor],
        *,
        max_cost_usd: float | None = None,
        step_id: str = "",
    ) -> RouteDecision:
        """Pick the candidate with the best score whose predicted cost is at most
        ``max_cost_usd`` (``None``: no limit; ``target=None`` if none fits, with the reason)."""
        for c in candidates:
            if c.name not in self.descriptors:
                self.descriptors[c.name] = c
        names = [c.name for c in candidates]
        if not names:
            return RouteDecision(step_id=step_id, target=None, reason="no candidate models given")
        quality, cost = self.predict([query], names)
        bonus = self.exploration_bonus(quality)
        if bonus is not None:
            # A likely misspelt name is not worth trying: it is a known model under another
            # name (the warning names it), not a promising unknown.
            bonus = np.where(self._likely_typos(names)[None, :], 0.0, bonus)
        decision = self.decide(
            quality[0],
            cost[0],
            names,
            max_cost_usd=max_cost_usd,
            step_id=step_id,
            bonus=None if bonus is None else bonus[0],
        )
        notes = self.unknown_notes(names)
        if notes:
            decision.reason = "; ".join([decision.reason, *notes])
        return decision

    def uncertainty(self, queries: Sequence[str], models: Sequence[str]) -> tuple[F64, F64]:
        """Predicted quality and its standard deviation per (query, model)."""
        quality, _ = self.predict(queries, models)
        return quality, self._sigma(quality)

    def exploration_bonus(self, quality: F64) -> F64 | None:
        """What exploring adds to each score of the last prediction (``None``: off).

        ``explore`` times the part of an estimate's standard deviation that more evidence
        would remove before the model has ``explore_until`` outcomes on the query's region:
        a model with little evidence there is tried while it could be the best, and one with
        that much evidence is scored on its estimate alone, so exploring never moves the
        choices among well-known models. At most ``explore_cap``: with the knob, a bounded
        price per call."""
        cfg = self.config
        if cfg.explore <= 0:
            return None
        spread = quality * (1.0 - quality)
        now = np.sqrt(spread / (self._support(quality) + 1.0))
        enough = np.sqrt(spread / (cfg.explore_until + 1.0))
        return np.asarray(np.clip(cfg.explore * (now - enough), 0.0, cfg.explore_cap))

    def _support(self, quality: F64) -> F64:
        """How many outcomes (plus the prior's pseudo-outcomes) stand behind each estimate of
        the last prediction; routers that know the query's region count only those there."""
        n = np.zeros(quality.shape[1])
        cols = self._last_cols
        if len(cols) == quality.shape[1]:
            counts = self.memory.counts()
            known = cols >= 0
            n[known] = counts[cols[known]]
        return np.broadcast_to(n[None, :] + self.prior_weight, quality.shape)

    def _sigma(self, quality: F64) -> F64:
        """Standard deviation of the last prediction's qualities: a Beta posterior's from the
        evidence behind each (:meth:`_support`)."""
        return np.asarray(np.sqrt(quality * (1 - quality) / (self._support(quality) + 1.0)))

    def _closest_known(self, name: str) -> str | None:
        """The known model whose name ``name`` most likely misspells (``None``: none close)."""
        close = difflib.get_close_matches(name, self.memory.models, n=1, cutoff=0.75)
        return close[0] if close else None

    def _likely_typos(self, names: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Candidates with no outcomes and no evidence in their descriptor whose name is
        close to a known model's."""
        cols = self.memory.columns(names)
        return np.array(
            [
                col < 0
                and not has_evidence(self.descriptors.get(name))
                and self._closest_known(name) is not None
                for name, col in zip(names, cols.tolist(), strict=True)
            ],
            dtype=bool,
        )

    def unknown_notes(self, names: Sequence[str]) -> list[str]:
        """What the router does not know about these candidates, in words: a model with no
        outcomes whose name is close to a known model's (a typo, logged as a warning), and a
        model with neither outcomes nor a price (priced as the dearest candidate, never free)."""
        notes: list[str] = []
        cols = self.memory.columns(names)
        for name, col in zip(names, cols.tolist(), strict=True):
            if col >= 0:
                continue
            close = self._closest_known(name)
            if close:
                log.warning("routing.unknown_model", model=name, closest=close)
            if close and not has_evidence(self.descriptors.get(name)):
                notes.append(f"{name} has no outcomes: did you mean {close}? (not explored)")
            if not is_priced(self.descriptors.get(name)):
                notes.append(
                    f"{name} has no outcomes and no price: priced as the dearest candidate"
                )
        return notes

    def decide(
        self,
        quality: F64,
        cost: F64,
        names: Sequence[str],
        *,
        max_cost_usd: float | None = None,
        step_id: str = "",
        bonus: F64 | None = None,
    ) -> RouteDecision:
        """The decision for predicted ``quality`` and ``cost`` per candidate; ``bonus`` (the
        exploration bonus, in quality) is added to the scores, and the reason says when it
        changed the choice."""
        weight = self.config.cost_weight()
        score = quality - weight * cost
        plain_best = int(np.argmax(score))
        if bonus is not None:
            score = score + bonus
        order = np.argsort(-score, kind="stable")
        order_l = order.tolist()
        if self.config.max_alternatives is not None:
            order_l = order_l[: self.config.max_alternatives]
        score_l, quality_l, cost_l = score.tolist(), quality.tolist(), cost.tolist()
        alternatives = [
            _alternative(names[k], score_l[k], quality_l[k], cost_l[k]) for k in order_l
        ]
        limit = max(0.0, max_cost_usd) if max_cost_usd is not None else float("inf")
        fits = cost <= limit
        if not fits.any():
            cheapest = int(np.argmin(cost))
            return RouteDecision(
                step_id=step_id,
                target=None,
                alternatives=alternatives,
                reason=(
                    f"no model fits the budget: {_fmt_usd(limit)} left, the cheapest candidate "
                    f"{names[cheapest]} is predicted to cost {_fmt_usd(float(cost[cheapest]))}"
                ),
            )
        best = next(int(k) for k in order if fits[k])
        reason = self._reason(best, order, quality, cost, names, fits, limit)
        if bonus is not None and best != plain_best:
            reason += (
                f"; exploring: {names[best]}'s estimate is uncertain (bonus "
                f"{bonus[best] * 100:.1f} points, at most {self.config.explore_cap * 100:.0f})"
            )
        return RouteDecision(
            step_id=step_id,
            target=names[best],
            kind=TargetKind.EXPERT,
            score=float(score[best]),
            predicted_quality=float(quality[best]),
            predicted_cost=float(cost[best]),
            alternatives=alternatives,
            reason=reason,
        )

    def _reason(
        self,
        best: int,
        order: npt.NDArray[np.int64],
        quality: F64,
        cost: F64,
        names: Sequence[str],
        fits: npt.NDArray[np.bool_],
        limit: float,
    ) -> str:
        d = self.config.dollars_per_point
        parts = [
            f"{self.name}: {names[best]} predicted quality {quality[best]:.2f} at "
            f"{_fmt_usd(float(cost[best]))}"
        ]
        top = int(np.argmax(quality))
        if top != best:
            gain = (quality[top] - quality[best]) * 100
            extra = cost[top] - cost[best]
            if not fits[top]:
                parts.append(
                    f"{names[top]} ({quality[top]:.2f}) exceeds the budget of {_fmt_usd(limit)}"
                )
            else:
                per_point = extra / gain if gain > 0 else float("inf")
                verdict = (
                    f"above the {_fmt_usd(d)} a point you would pay"
                    if per_point > d
                    else f"within the {_fmt_usd(d)} a point you would pay, passed over to explore"
                )
                parts.append(
                    f"{names[top]} would add {gain:.1f} points for {_fmt_usd(float(extra))} more "
                    f"({_fmt_usd(float(per_point))} a point, {verdict})"
                )
        elif len(order) > 1:
            parts.append("also the best predicted quality")
        skipped = int((~fits).sum())
        if skipped:
            parts.append(f"{skipped} candidate(s) over budget")
        return "; ".join(parts)


def _alternative(target: str, score: float, quality: float, cost: float) -> Alternative:
    """An ``Alternative`` without validation (the values come from our own arrays); a
    thousand candidates are scored per decision, and validation would dominate the time."""
    alt = Alternative.__new__(Alternative)
    values = {
        "target": target,
        "score": score,
        "predicted_quality": quality,
        "predicted_cost": cost,
    }
    object.__setattr__(alt, "__dict__", values)
    object.__setattr__(alt, "__pydantic_fields_set__", set(values))
    object.__setattr__(alt, "__pydantic_extra__", None)
    object.__setattr__(alt, "__pydantic_private__", None)
    return alt


def _cost_row(x: F64 | float, y: F64 | float) -> F64:
    xa = np.atleast_1d(np.asarray(x, dtype=np.float64))
    ya = np.atleast_1d(np.asarray(y, dtype=np.float64))
    return np.stack([np.ones_like(xa), xa, ya, xa * xa, xa * ya], axis=1).reshape(-1)


def is_priced(desc: TargetDescriptor | None) -> bool:
    """Whether a descriptor names a price (a zero price in and out is no price: unpriced
    models are priced as the dearest candidate, never as free)."""
    return desc is not None and (desc.price_in_per_m > 0 or desc.price_out_per_m > 0)


def _descriptor_cost(desc: TargetDescriptor | None, lengths: F64) -> F64:
    if desc is None or not is_priced(desc):
        return np.full(len(lengths), np.nan)
    tokens_out = desc.typical_tokens_out if isinstance(desc, ExpertDescriptor) else 256
    return (
        lengths / _CHARS_PER_TOKEN
    ) * desc.price_in_per_m / 1e6 + tokens_out * desc.price_out_per_m / 1e6


def _descriptor_prior(desc: TargetDescriptor | None, task_probs: dict[str, float] | None) -> float:
    """Example scores per domain when given; else a weak price heuristic (dearer is better)."""
    if isinstance(desc, ExpertDescriptor) and desc.domain_scores:
        scores = desc.domain_scores
        mean = float(np.mean(list(scores.values())))
        if task_probs:
            return float(
                sum(p * scores.get(t, mean) for t, p in task_probs.items())
                / max(sum(task_probs.values()), 1e-9)
            )
        return mean
    if desc is None:
        return 0.5
    price = max(desc.price_out_per_m, 0.01)
    return float(np.clip(0.55 + 0.06 * np.log10(price / 2.0), 0.35, 0.75))
