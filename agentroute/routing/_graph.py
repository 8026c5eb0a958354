"""GraphRouter: tasks, queries and models in one networkx graph.

Edges: query–task (the query's task), query–model (an observed outcome: quality, cost) and
task–model (the running totals of that model on that task). A new query is attached to its
nearest query nodes; its edge to each model is predicted by passing messages along the graph:

    quality(query, model) = (Σ_neighbours w·q(neighbour, model) + κ·q(task, model))
                            / (Σ w over neighbours with an edge to model + κ)
    q(task, model)        = (Σ outcomes on task + κ_prior·prior(model, task)) / (n + κ_prior)

with the task posterior read from the neighbours' task edges and ``prior`` from the model's
descriptor. A new model joins as a node with its descriptor; each outcome adds an edge, so a
handful of outcomes on one task already moves its estimate there and nowhere else.

How much to trust neighbours over the task average (κ) is chosen from the router's own data
at each bulk fit: see :func:`tune_task_weight`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Self

import networkx as nx
import numpy as np
import numpy.typing as npt

from agentroute.embeddings import top_k
from agentroute.routing._base import F32, F64, BaseRouter
from agentroute.routing._clusters import PseudoTasks, pseudo_tasks
from agentroute.routing._curves import aiq, knob_grid, sweep, zero_router_points
from agentroute.routing._evidence import (
    ABILITY_SETS,
    TEXT_TEMPERATURES,
    TRUSTS,
    DescriptorFit,
    fit_descriptor,
    has_evidence,
)
from agentroute.routing._outcomes import ExpertDescriptor, Outcome
from agentroute.routing._residual import choose_alpha, fit_task_ridge, residuals
from agentroute.routing._routers import neighbours
from agentroute.routing._table import OutcomeTable
from agentroute.types import TargetDescriptor

__all__ = ["TASK_WEIGHTS", "GraphRouter", "tune_task_weight"]


def _spread(weights: F64, cols: list[int], width: int) -> F64:
    """Weights over some memory columns, as a vector over all of them."""
    out = np.zeros(width)
    out[cols] = weights
    return out


class GraphRouter(BaseRouter):
    name = "graph"

    def __init__(
        self,
        *,
        k: int = 200,
        task_weight: float = 128.0,
        sim_power: float = 1.0,
        task_k: int = 20,
        auto_weight: bool = True,
        build_graph: bool = True,
        read_out: bool = False,
        outcome_resemblance: float = 3.0,
        cell_share: float | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.cell_share = CELL_SHARE if cell_share is None else cell_share
        """How many outcomes a model's overall level counts for in a task's estimate is at
        most this share of the mean outcomes per (task, model) cell (``inf``: no cap; see
        :meth:`_capped_strength`)."""
        self.outcome_resemblance = outcome_resemblance
        """How sharply a model with few outcomes is matched to the well-known models by its
        outcomes on queries they also answered (log-weight lost per disagreement; 0: by its
        descriptor only): it then borrows their per-query deviations from their task level,
        which its own few outcomes cannot give (see :meth:`_borrow`)."""
        self._resemblance_cache: dict[tuple[int, int, tuple[int, ...]], F64] = {}
        self.read_out = read_out
        """Add each task's linear read-out of the query embedding (see ``_residual``) when
        cross-validation at a bulk fit says it helps. Off by default: on RouterBench it raised
        the train split's cross-validated AIQ by 0.002 but lowered the held-out test's by
        0.003 and cost a described newcomer a third of its share (``routing/README.md``)."""
        self.read_out_alpha: float | None = None
        """The read-out's ridge penalty chosen at the last bulk fit (``None``: not used)."""
        self._ro_w: F64 | None = None
        self._ro_since = 0
        self.auto_weight = auto_weight
        """Pick ``task_weight`` by internal cross-validation at each bulk fit (see
        :func:`tune_task_weight`)."""
        self.build_graph = build_graph
        self.length_adjust = 0.0
        """Weight of the prompt-length slope in per-task costs (0: the task's mean cost)."""
        self._tuned = False
        self.k = k
        self.task_k = task_k
        self.task_weight = task_weight
        """κ: how many average neighbours the task-level estimate counts for."""
        self.sim_power = sim_power
        self.graph: nx.Graph = nx.Graph()
        self.task_names: list[str] = []
        self._task_ix: dict[str, int] = {}
        self._row_task = np.zeros(0, dtype=np.int64)
        self._tsum = np.zeros((0, 0))
        self._tcnt = np.zeros((0, 0))
        # cost totals per (task, model): dollars, count, prompt characters
        self._csum = np.zeros((0, 0))
        self._ccnt = np.zeros((0, 0))
        self._lsum = np.zeros((0, 0))
        self._post: F64 | None = None
        self._prior_cache: dict[tuple[str, ...], F64] = {}
        self._pseudo: PseudoTasks | None = None
        self._evidence: dict[str, tuple[int, DescriptorFit]] = {}
        self._text_vecs: dict[str, F32] = {}
        self._k_task: tuple[float, float] | None = None
        self._calibration: (
            tuple[tuple[tuple[str, ...], int], tuple[float, tuple[str, ...], float, float]] | None
        ) = None

    # ---- graph upkeep ---------------------------------------------------------------------
    def _task(self, task: str) -> int:
        t = self._task_ix.get(task)
        if t is None:
            t = len(self.task_names)
            self.task_names.append(task)
            self._task_ix[task] = t
            self.graph.add_node(f"task:{task}", kind="task")
            m = self._tsum.shape[1]
            self._tsum = np.vstack([self._tsum, np.zeros((1, m))])
            self._tcnt = np.vstack([self._tcnt, np.zeros((1, m))])
            self._csum = np.vstack([self._csum, np.zeros((1, m))])
            self._ccnt = np.vstack([self._ccnt, np.zeros((1, m))])
            self._lsum = np.vstack([self._lsum, np.zeros((1, m))])
            self._prior_cache.clear()
            self._evidence.clear()  # descriptor fits are per task
        return t

    def _widen(self) -> None:
        m = len(self.memory.models)
        if self._tsum.shape[1] < m:
            pad = m - self._tsum.shape[1]
            self._tsum = np.hstack([self._tsum, np.zeros((self._tsum.shape[0], pad))])
            self._tcnt = np.hstack([self._tcnt, np.zeros((self._tcnt.shape[0], pad))])
            rows = self._csum.shape[0]
            self._csum = np.hstack([self._csum, np.zeros((rows, pad))])
            self._ccnt = np.hstack([self._ccnt, np.zeros((rows, pad))])
            self._lsum = np.hstack([self._lsum, np.zeros((rows, pad))])

    def _model_node(self, model: str) -> str:
        node = f"model:{model}"
        if node not in self.graph:
            self.graph.add_node(node, kind="model", descriptor=self.descriptors.get(model))
        return node

    def add_model(self, descriptor: TargetDescriptor) -> None:
        super().add_model(descriptor)
        self._model_node(descriptor.name)
        self._prior_cache.clear()

    def fit(self, table: OutcomeTable, vectors: F32 | None = None) -> Self:
        if vectors is None:
            if not self._fitted_featurizer:
                self.featurizer.fit(table.queries)
                self._fitted_featurizer = True
            vectors = self.featurizer.embed(table.queries)
        if not any(table.tasks):
            # No task labels: clusters of the queries stand in for them (see ``_clusters``).
            self._pseudo = pseudo_tasks(vectors)
            if self._pseudo is not None:
                table = dataclasses.replace(table, tasks=self._pseudo.label(vectors))
        super().fit(table, vectors)
        if self.auto_weight:
            best = tune_task_weight(self, table, vectors)
            if best is not None:
                self.task_weight, self._tuned = best, True
        if self.read_out:
            self.read_out_alpha = choose_alpha(
                self.memory.x, self.memory.quality, self._row_task, len(self.task_names)
            )
            self._fit_read_out()
        return self

    _READ_OUT_REFIT = 200
    """Outcomes learned one by one between refits of the read-out."""

    def _fit_read_out(self) -> None:
        self._ro_since = 0
        if self.read_out_alpha is None or self.memory.n == 0:
            self._ro_w = None
            return
        self._ro_w = fit_task_ridge(
            self.memory.x,
            self.memory.quality,
            self._row_task,
            len(self.task_names),
            self.read_out_alpha,
        )

    def learn(self, outcome: Outcome, vector: F32 | None = None) -> None:
        """Record one outcome; one without a task is put in the task its query most likely
        belongs to (its pseudo-task, or the labelled task of its nearest past queries), never
        in a task of its own."""
        if not outcome.task and any(self.task_names):
            if vector is None:
                vector = self.featurizer.embed([outcome.query])[0]
            label = self._likely_task(vector)
            if label:
                outcome = outcome.model_copy(update={"task": label})
        super().learn(outcome, vector)

    def task_of(self, query: str) -> str:
        """The task ``query`` most likely belongs to (``""`` before any labelled outcome)."""
        if not any(self.task_names):
            return ""
        return self._likely_task(self.featurizer.embed([query])[0])

    def _likely_task(self, vector: F32) -> str:
        if self._pseudo is not None:
            return self._pseudo.label(vector[None, :])[0]
        if self.memory.n == 0:
            return ""
        post = self.task_posterior(vector[None, :])[0]
        named = np.array([bool(t) for t in self.task_names])
        if not named.any():
            return ""
        return self.task_names[int(np.argmax(np.where(named, post, -1.0)))]

    def _refresh(self) -> None:
        mem = self.memory
        self._row_task = np.array([self._task(t or "") for t in mem.tasks], dtype=np.int64)
        self._widen()
        self._tsum[:] = 0.0
        self._tcnt[:] = 0.0
        q = mem.quality
        has = ~np.isnan(q)
        np.add.at(self._tsum, self._row_task, np.nan_to_num(q))
        np.add.at(self._tcnt, self._row_task, has.astype(np.float64))
        cost = mem.cost
        has_c = ~np.isnan(cost)
        for arr in (self._csum, self._ccnt, self._lsum):
            arr[:] = 0.0
        np.add.at(self._csum, self._row_task, np.nan_to_num(cost))
        np.add.at(self._ccnt, self._row_task, has_c.astype(np.float64))
        np.add.at(self._lsum, self._row_task, has_c * mem.lengths[:, None])
        if not self.build_graph:
            return
        g = self.graph
        for model in mem.models:
            self._model_node(model)
        for r in range(mem.n):
            qn = f"query:{r}"
            g.add_edge(qn, f"task:{mem.tasks[r]}", kind="task_of")
            for j in map(int, np.flatnonzero(has[r])):
                g.add_edge(
                    qn, f"model:{mem.models[j]}", quality=float(q[r, j]), cost=float(mem.cost[r, j])
                )
        for t, task in enumerate(self.task_names):
            for j, model in enumerate(mem.models):
                if self._tcnt[t, j]:
                    g.add_edge(
                        f"task:{task}",
                        f"model:{model}",
                        n=float(self._tcnt[t, j]),
                        total=float(self._tsum[t, j]),
                    )

    def _learned(self, outcome: Outcome, col: int) -> None:
        mem = self.memory
        task = outcome.task or ""
        t = self._task(task)
        self._widen()
        if len(self._row_task) < mem.n:
            self._row_task = np.append(self._row_task, t)
        r = mem.row(outcome.query)
        self._tsum[t, col] += outcome.quality
        self._tcnt[t, col] += 1.0
        self._csum[t, col] += outcome.cost_usd
        self._ccnt[t, col] += 1.0
        self._lsum[t, col] += len(outcome.query)
        qn, mn = f"query:{r}", self._model_node(outcome.model)
        self.graph.add_edge(qn, f"task:{task}", kind="task_of")
        self.graph.add_edge(qn, mn, quality=outcome.quality, cost=outcome.cost_usd)
        self.graph.add_edge(
            f"task:{task}", mn, n=float(self._tcnt[t, col]), total=float(self._tsum[t, col])
        )
        if self.read_out_alpha is not None:
            self._ro_since += 1
            if self._ro_since >= self._READ_OUT_REFIT:
                self._fit_read_out()

    # ---- prediction -----------------------------------------------------------------------
    def _embed_texts(self, texts: list[str]) -> F32:
        missing = [t for t in dict.fromkeys(texts) if t not in self._text_vecs]
        if missing:
            for t, v in zip(missing, self.featurizer.embedder.embed(missing), strict=True):
                self._text_vecs[t] = v
        return np.stack([self._text_vecs[t] for t in texts])

    def task_means(self) -> F64:
        """Each known model's quality per task (tasks × models), a task with few outcomes
        shrunk to the model's mean over all tasks: the profile a descriptor is mapped into."""
        kappa = self.prior_weight
        n = self._tcnt.sum(axis=0)
        overall = (self._tsum.sum(axis=0) + kappa * 0.5) / (n + kappa)
        return np.asarray(
            (self._tsum + kappa * overall[None, :]) / (self._tcnt + kappa), dtype=np.float64
        )

    def _others_with_outcomes(self, name: str) -> list[int]:
        """The columns of the models other than ``name`` that have outcomes: what a
        newcomer is placed among."""
        counts = self.memory.counts()
        return [
            j
            for j, m in enumerate(self.memory.models)
            if m != name and j < self._tcnt.shape[1] and counts[j] > 0
        ]

    def descriptor_fit(self, name: str) -> DescriptorFit | None:
        """Where ``name``'s descriptor sits among the models with outcomes (``None``: no
        descriptor evidence, or fewer than two other models with outcomes to compare with).
        Refreshed as outcomes arrive (each tenth more)."""
        desc = self.descriptors.get(name)
        if not has_evidence(desc) or not self.task_names or desc is None:
            return None
        refs = self._others_with_outcomes(name)
        if len(refs) < 2:
            return None
        total = int(self.memory.counts().sum())
        hit = self._evidence.get(name)
        if hit is not None and total <= hit[0] * 1.1 + 10:
            return hit[1]
        known = [self.memory.models[j] for j in refs]
        cost = self.memory.cost[:, refs]
        known_cost = np.array(
            [
                float(np.nanmean(cost[:, i])) if (~np.isnan(cost[:, i])).any() else np.nan
                for i in range(len(refs))
            ]
        )
        mean_len = float(self.memory.lengths.mean()) if self.memory.n else 0.0
        per_call = float(self.predict_cost(np.array([mean_len]), np.array([-1]), [name])[0, 0])
        means = self.task_means()[:, refs]
        temperature, abilities, trust, pseudo_counts = self._calibrate(known, known_cost, means)
        fit = fit_descriptor(
            desc,
            per_call,
            known,
            self.descriptors,
            known_cost,
            means,
            self._embed_texts,
            temperature=temperature,
            abilities=abilities,
            trust=trust,
        )
        fit.weights = _spread(fit.weights, refs, len(self.memory.models))
        fit.pseudo_counts = pseudo_counts
        self._evidence[name] = (total, fit)
        self._prior_cache.clear()
        return fit

    def _calibrate(
        self, known: list[str], known_cost: F64, means: F64
    ) -> tuple[float, tuple[str, ...], float, float]:
        """How sharply to read text resemblance, which numeric features carry ability, how
        far to trust the descriptor over the known models' average, and how many outcomes
        its prediction is worth, measured on the router's own data: each known model with a
        descriptor is predicted from it and the other models' outcomes (leave-one-model-out);
        the setting with the least error is kept, and the spread of the errors against a
        Beta's sampling variance gives the pseudo-count (empirical Bayes). Too few described
        models: the defaults and ``prior_weight``."""
        key = (tuple(known), int(self.memory.counts().sum()) // 500)
        if self._calibration is not None and self._calibration[0] == key:
            return self._calibration[1]
        described = [i for i, m in enumerate(known) if has_evidence(self.descriptors.get(m))]
        result: tuple[float, tuple[str, ...], float, float] = (
            0.05,
            (),
            1.0,
            float(self.prior_weight),
        )
        if len(described) >= 3 and len(known) >= 3:
            share = self._task_share()
            spread = float(np.mean([share @ (means[:, i] * (1 - means[:, i])) for i in described]))
            best: tuple[float, float, tuple[str, ...], float] | None = None
            for temperature in TEXT_TEMPERATURES:
                for abilities in ABILITY_SETS:
                    fits = []
                    for i in described:
                        rest = [k for k in range(len(known)) if k != i]
                        fit = fit_descriptor(
                            self.descriptors[known[i]],
                            float(known_cost[i]),
                            [known[k] for k in rest],
                            self.descriptors,
                            known_cost[rest],
                            means[:, rest],
                            self._embed_texts,
                            temperature=temperature,
                            abilities=abilities,
                        )
                        average = means[:, rest].mean(axis=1)
                        fits.append((average, fit.task_quality - average, means[:, i]))
                    for trust in TRUSTS:
                        errors = [
                            float(share @ (np.clip(a + trust * d, 0.02, 0.98) - y) ** 2)
                            for a, d, y in fits
                        ]
                        mse = max(float(np.mean(errors)), 1e-4)
                        if best is None or mse < best[0] - 1e-6:
                            best = (mse, temperature, abilities, trust)
            assert best is not None
            mse, temperature, abilities, trust = best
            result = (temperature, abilities, trust, float(np.clip(spread / mse, 1.0, 200.0)))
        self._calibration = (key, result)
        return result

    def _prior_matrix(self, models: Sequence[str]) -> F64:
        """Descriptor prior of each model on each task, shape ``(tasks, models)`` (cached for
        the last candidate list; cleared when a task or a model descriptor is added)."""
        total = float(self._tcnt.sum())
        key = (*models, f"#{int(np.log1p(total / 10.0) / np.log(1.1))}")
        hit = self._prior_cache.get(key)
        if hit is not None and hit.shape[0] == len(self.task_names):
            return hit
        cols = []
        for name in models:
            fit = self.descriptor_fit(name)
            average = None if fit is not None else self._average_profile(name)
            if fit is not None:
                row = fit.task_quality.copy()
            elif average is not None:
                row = average
            else:
                row = np.array([self.prior_quality([name], {t: 1.0})[0] for t in self.task_names])
            desc = self.descriptors.get(name)
            if isinstance(desc, ExpertDescriptor):  # example scores per task are direct
                for t, task in enumerate(self.task_names):
                    if task in desc.domain_scores:
                        row[t] = desc.domain_scores[task]
            cols.append(row)
        matrix = np.stack(cols, axis=1) if cols else np.zeros((len(self.task_names), 0))
        if len(self._prior_cache) > 16:
            self._prior_cache.clear()
        self._prior_cache[key] = matrix
        return matrix

    def _average_profile(self, name: str) -> F64 | None:
        """The prior of a model whose descriptor says nothing (a bare name, or none): the
        other models' average quality per task, so it starts where a typical model stands on
        each task (hard tasks low), not at a flat guess that beats every known model where
        they all fail. ``None`` before any other model has outcomes."""
        desc = self.descriptors.get(name)
        if has_evidence(desc) or not self.task_names:
            return None
        refs = self._others_with_outcomes(name)
        if not refs:
            return None
        return np.asarray(self.task_means()[:, refs].mean(axis=1), dtype=np.float64)

    def _predict(
        self, vectors: F32, lengths: F64, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> tuple[F64, F64]:
        """Quality as below; cost from the same model's recorded costs on the query's likely
        tasks (answers are long on some tasks and short on others), adjusted for prompt length,
        falling back to the per-model fit where a model has no cost on a task."""
        self._post = None
        quality = self._predict_quality(vectors, cols, models)
        cost = self.predict_cost(lengths, cols, models)
        post = self._post
        known = cols >= 0
        if post is None or not known.any():
            return quality, cost
        cnt = np.zeros((len(self.task_names), len(models)))
        csum = np.zeros_like(cnt)
        lsum = np.zeros_like(cnt)
        cnt[:, known] = self._ccnt[:, cols[known]]
        csum[:, known] = self._csum[:, cols[known]]
        lsum[:, known] = self._lsum[:, cols[known]]
        have = cnt > 0
        safe = np.where(have, cnt, 1.0)
        mean_c, mean_l = csum / safe, lsum / safe  # (T, M)
        slope = self.cost_slopes(cols) * self.length_adjust  # (M,)
        # Σ_t p(t) · (mean cost + slope · (length − mean length)) where recorded.
        recorded = (
            post @ (have * (mean_c - slope * mean_l)) + (post @ have) * slope * lengths[:, None]
        )
        share = post @ have  # probability mass with a recorded cost
        mixed = recorded + (1.0 - share) * cost
        return quality, np.maximum(mixed, 0.0)

    def _prior_counts(self, models: Sequence[str]) -> F64:
        """Pseudo-outcomes each model's prior counts for: what its descriptor evidence has
        been measured to be worth, else ``prior_weight``."""
        out = np.full(len(models), float(self.prior_weight))
        for k, name in enumerate(models):
            hit = self._evidence.get(name)
            if hit is not None:
                out[k] = hit[1].pseudo_counts
        return out

    _TASK_STRENGTH = (1.0, 200.0)

    def _task_strength(self) -> float:
        """How many outcomes a model's overall level counts for in each task's estimate: the
        Beta sampling variance over the variance of models' task means around their overall
        means (method of moments, pooled over models and tasks). Tasks that separate models
        little keep estimates near the overall level until outcomes say otherwise; tasks that
        differ much let a few outcomes there count. Cached per outcome count."""
        n_all = float(self._tcnt.sum())
        hit = self._k_task
        if hit is not None and hit[0] == n_all:
            return float(hit[1])
        lo, hi = self._TASK_STRENGTH
        value = float(self.prior_weight)
        cnt, tot = self._tcnt, self._tsum
        has = cnt > 0
        if has.sum() >= 2 * has.shape[1] and has.any(axis=0).any():
            n_m = cnt.sum(axis=0)
            mean_m = tot.sum(axis=0) / np.maximum(n_m, 1.0)
            mean_tm = tot / np.maximum(cnt, 1.0)
            var_tm = np.clip(mean_tm * (1 - mean_tm), 0.01, None) / np.maximum(cnt, 1.0)
            between = np.where(has, (mean_tm - mean_m[None, :]) ** 2 - var_tm, 0.0)
            weight = np.where(has, cnt, 0.0)
            tau2 = float((between * weight).sum() / max(weight.sum(), 1.0))
            spread = float(
                (np.where(has, mean_tm * (1 - mean_tm), 0.0) * weight).sum()
                / max(weight.sum(), 1.0)
            )
            value = hi if tau2 <= 0 else float(np.clip(spread / tau2, lo, hi))
        self._k_task = (n_all, value)
        return value

    def _capped_strength(self) -> float:
        """:meth:`_task_strength`, at most ``cell_share`` times the mean outcomes a model has
        on a task. Read from cells of a few outcomes each, the between-task variance is mostly
        sampling noise: pooled over models it can read as none (strength 200), and a handful
        of outcomes per task would then count for nothing against the model's overall level,
        where tasks are what separate models. A fitted router's cells hold hundreds of
        outcomes, so the cap never binds there; it shapes the first hundreds of a cold start."""
        k_task = self._task_strength()
        has = self._tcnt > 0
        if not has.any():
            return k_task
        return min(k_task, max(1.0, self.cell_share * float(self._tcnt[has].mean())))

    def _task_share(self) -> F64:
        """Share of the remembered queries in each task."""
        counts = np.bincount(self._row_task, minlength=len(self.task_names)).astype(np.float64)
        return counts / max(counts.sum(), 1.0)

    def _support(self, quality: F64) -> F64:
        """The outcomes each model has on the last prediction's queries' likely tasks, plus
        the prior's pseudo-outcomes: uncertainty per model and region, shrinking with
        evidence there."""
        post, n_task = self._post, getattr(self, "_n_task", None)
        if (
            post is None
            or n_task is None
            or n_task.shape[1] != quality.shape[1]
            or len(post) != len(quality)
        ):
            return super()._support(quality)
        return np.asarray(post @ n_task + getattr(self, "_kappa", self.prior_weight))

    def task_posterior(self, vectors: F32) -> F64:
        """Probability of each known task for each query, from its nearest neighbours."""
        idx, sims = neighbours(self.memory.x, vectors, self.k)
        return self._posterior(idx, sims)

    def _posterior(self, idx: npt.NDArray[np.int64], sims: F64) -> F64:
        # Tasks are read from the closest few neighbours only, sharply weighted: a wide
        # neighbourhood would blur a query's task into its neighbours' tasks.
        if idx.shape[1] > self.task_k:
            top = top_k(sims, self.task_k, ordered=False)
            idx = np.take_along_axis(idx, top, axis=1)
            sims = np.take_along_axis(sims, top, axis=1)
        w = np.maximum(sims, 0.0) ** 4 + 1e-9
        t = len(self.task_names)
        flat = (np.arange(len(idx))[:, None] * t + self._row_task[idx]).ravel()
        post = np.bincount(flat, weights=w.ravel(), minlength=len(idx) * t).reshape(len(idx), t)
        return post / post.sum(axis=1, keepdims=True)

    def _predict_quality(
        self, vectors: F32, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> F64:
        if self.memory.n == 0 or not self.task_names:
            return np.tile(self.prior_quality(models), (len(vectors), 1))
        # At most a tenth of the memory: a neighbourhood spanning everything is no neighbourhood.
        k = min(self.k, max(5, self.memory.n // 10))
        idx, sims = neighbours(self.memory.x, vectors, max(k, self.task_k))
        post = self._posterior(idx, sims)
        self._post = post
        if idx.shape[1] > k:
            top = top_k(sims, k, ordered=False)
            idx = np.take_along_axis(idx, top, axis=1)
            sims = np.take_along_axis(sims, top, axis=1)
        prior = self._prior_matrix(models)  # (T, M)
        known = cols >= 0
        tsum = np.zeros_like(prior)
        tcnt = np.zeros_like(prior)
        tsum[:, known] = self._tsum[:, cols[known]]
        tcnt[:, known] = self._tcnt[:, cols[known]]
        # A task with few outcomes leans on the prior shifted by how far the model's outcomes
        # on all its tasks sit from the prior (one offset, shrunk by the prior's weight): early
        # estimates keep the prior's shape across tasks and the observed level, instead of
        # chasing a handful of outcomes per task.
        kappa = self._prior_counts(models)  # (M,)
        shift = (tsum - tcnt * prior).sum(axis=0) / (tcnt.sum(axis=0) + kappa)
        shrunk_prior = np.clip(prior + shift[None, :], 0.0, 1.0)
        # Per task, the model's outcomes there against that level, weighted by how far models
        # are seen to differ between tasks (empirical Bayes, from all models' outcomes).
        k_task = self._capped_strength()
        q_task = (tsum + k_task * shrunk_prior) / (tcnt + k_task)
        self._q_task, self._n_task, self._kappa = q_task, tcnt, kappa
        q_mix = post @ q_task  # (n, M)
        if not known.any():
            return q_mix
        w = np.maximum(sims, 0.0) ** self.sim_power + 1e-9
        q0, has = self.memory.dense()
        sub_q, sub_h = q0[idx], has[idx]  # (n, k, all models)
        kc = cols[known]
        if len(kc) != q0.shape[1] or np.any(kc != np.arange(len(kc))):
            sub_q, sub_h = sub_q[:, :, kc], sub_h[:, :, kc]
        ws = np.einsum("nk,nkm->nm", w, sub_h)
        num = np.einsum("nk,nkm->nm", w, sub_q)
        # One task: the task estimate is just the global mean, so the neighbours must speak.
        one_task = len(self.task_names) <= 1 and not self._tuned
        weight = min(self.task_weight, 8.0) if one_task else self.task_weight
        kappa = weight * w.mean(axis=1, keepdims=True)
        out = q_mix.copy()
        out[:, known] = (num + kappa * q_mix[:, known]) / (ws + kappa)
        if self._ro_w is not None:
            out = _deviate(out, residuals(self._ro_w, vectors, post, cols))
        out = self._borrow(out, q_mix, cols, models)
        return self._borrow_by_outcomes(out, q_mix, cols, num, ws, kappa[:, 0])

    def _borrow_by_outcomes(
        self,
        out: F64,
        q_mix: F64,
        cols: npt.NDArray[np.int64],
        num: F64,
        ws: F64,
        kappa: F64,
    ) -> F64:
        """A model with few outcomes (under ``BORROW_SHARE`` of the best-known candidate's):
        its own neighbours rarely hold one of them, so its estimate would stay flat at its
        task level. Its task level plus the per-query deviation of the well-known candidates
        its outcomes agree with (:meth:`_resemblance`) stands in for the missing neighbours,
        weighed against the outcomes it does have nearby as any task level is."""
        known_c = np.flatnonzero(cols >= 0)
        if self.outcome_resemblance <= 0 or len(known_c) < 2:
            return out
        counts = self.memory.counts()[cols[known_c]]
        few = counts < BORROW_SHARE * counts.max()
        donors = known_c[~few]
        if not few.any() or not len(donors):
            return out
        for kk in np.flatnonzero(few):
            k = int(known_c[kk])
            w = self._resemblance(int(cols[k]), cols[donors])
            dev = (out[:, donors] - q_mix[:, donors]) @ w
            base = _deviate(q_mix[:, [k]], dev[:, None])[:, 0]
            out[:, k] = (num[:, kk] + kappa * base) / (ws[:, kk] + kappa)
        return out

    def _resemblance(self, col: int, donors: npt.NDArray[np.int64]) -> F64:
        """Weights on ``donors`` (memory columns) for the model in column ``col``: its
        descriptor's resemblance (uniform without one) times ``exp(-outcome_resemblance *
        disagreements)`` on the queries both answered, so a few outcomes pick out the models
        it behaves like. Cached per outcome count and donors."""
        count = int(self.memory.counts()[col])
        key = (col, count, tuple(donors.tolist()))  # the donors themselves, not their number
        hit = self._resemblance_cache.get(key)
        if hit is not None:
            return hit
        fit = self.descriptor_fit(self.memory.models[col])
        prior = np.ones(len(donors))
        if fit is not None:
            full = np.zeros(max(len(self.memory.models), len(fit.weights)))
            full[: len(fit.weights)] = fit.weights
            prior = full[donors] + 1e-3 / len(donors)
        q0, has = self.memory.dense()
        rows = np.flatnonzero(has[:, col] > 0)
        hd = has[np.ix_(rows, donors)]
        miss = (((q0[np.ix_(rows, donors)] - q0[rows, col][:, None]) ** 2) * hd).sum(axis=0)
        # A donor that answered fewer of these queries is judged at its rate over all of them.
        miss = miss / np.maximum(hd.sum(axis=0), 1.0) * len(rows)
        logw = np.log(prior / prior.sum()) - self.outcome_resemblance * miss
        w = np.exp(logw - logw.max())
        w = w / w.sum()
        if len(self._resemblance_cache) > 64:
            self._resemblance_cache.clear()
        self._resemblance_cache[key] = w
        return np.asarray(w, dtype=np.float64)

    def _borrow(
        self, out: F64, q_mix: F64, cols: npt.NDArray[np.int64], models: Sequence[str]
    ) -> F64:
        """A model with no outcomes but a descriptor: its task-level estimate plus the
        per-query deviation (from their own task level) of the candidates it resembles."""
        known_c = np.flatnonzero(cols >= 0)
        if not len(known_c):
            return out
        for k in np.flatnonzero(cols < 0):
            fit = self.descriptor_fit(models[int(k)])
            if fit is None:
                continue
            full = np.zeros(max(len(self.memory.models), len(fit.weights)))
            full[: len(fit.weights)] = fit.weights  # models met since the fit weigh nothing
            w = full[cols[known_c]]
            if w.sum() <= 1e-9:
                continue
            w = w / w.sum()
            dev = (out[:, known_c] - q_mix[:, known_c]) @ w
            out[:, k] = _deviate(q_mix[:, [k]], dev[:, None])[:, 0]
        return out


CELL_SHARE = 0.5
"""The task strength is at most this share of the mean outcomes per (task, model) cell
(:meth:`GraphRouter._capped_strength`). Chosen inside the train splits (RouterBench held-out
train by task, LLMRouter train 80/20; 3 inner splits x 6 orders, cold start): 0.5 / 1 / 2 all
beat no cap on RouterBench after 100 and 300 outcomes and change nothing on LLMRouter."""

BORROW_SHARE = 0.25
"""A candidate with fewer outcomes than this share of the best-known candidate's borrows the
per-query deviations of the models its outcomes resemble (``_borrow_by_outcomes``); models
fitted alike never do, so a fitted router's choices among them are unchanged."""

_CERTAIN = 0.01


def _deviate(level: F64, dev: F64) -> F64:
    """``level + dev`` kept in [0, 1], and never taken to certainty (within 0.01 of 0 or 1)
    by a per-query deviation alone: a read-out or a resemblance is no ground for it."""
    lo = np.minimum(level, _CERTAIN)
    hi = np.maximum(level, 1.0 - _CERTAIN)
    return np.asarray(np.clip(level + dev, lo, hi), dtype=np.float64)


# ---- choosing κ from the router's own data --------------------------------------------------
# Whether a query's nearest neighbours say anything beyond its task's average depends on the
# data: on RouterBench they barely do, on other pools they may carry the whole signal (e.g. with
# no task labels at all). So at fit time the router holds out a third of its outcomes, predicts
# them with each candidate weight (3 folds), and trusts neighbours only if that beats the task
# average on the Brier score in every fold and on AIQ by a clear margin (AIQ alone rewards
# random mixing of models, which fills in the hull without any signal; Brier alone rewards
# calibration that does not change choices); the neighbours must beat the task average in every
# fold, and by a margin, to be trusted.

TASK_WEIGHTS = (2.0, 8.0, 32.0, 128.0, 1e6)
_MIN_ROWS = 150
_FOLDS = 3
_MARGIN = 0.001
_AIQ_MARGIN = 0.01


def _sweep_aiq(pq: F64, pc: F64, q: F64, c: F64) -> float:
    single = zero_router_points(q, c)
    lo, hi = float(single[:, 0].min()), float(single[:, 0].max())
    return aiq(sweep(pq, pc, q, c, knob_grid(c, 40)), lo, hi)


def tune_task_weight(
    router: GraphRouter, table: OutcomeTable, vectors: F32, seed: int = 0
) -> float | None:
    """The best of :data:`TASK_WEIGHTS` by internal cross-validation (``None``: too little data)."""
    full = np.flatnonzero(~(np.isnan(table.quality).any(axis=1) | np.isnan(table.cost).any(axis=1)))
    if len(full) < _MIN_ROWS or len(table.models) < 2:
        return None
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(full)) % _FOLDS
    scores = dict.fromkeys(TASK_WEIGHTS, 0.0)
    per_fold: dict[float, list[float]] = {w: [] for w in TASK_WEIGHTS}
    aiqs = dict.fromkeys(TASK_WEIGHTS, 0.0)
    for f in range(_FOLDS):
        held = full[fold == f]
        keep = np.setdiff1d(np.arange(len(table)), held)
        probe = GraphRouter(
            k=router.k,
            task_k=router.task_k,
            sim_power=router.sim_power,
            prior_weight=router.prior_weight,
            featurizer=router.featurizer,
            descriptors=list(router.descriptors.values()),
            auto_weight=False,
            build_graph=False,
            read_out=False,
        )
        probe._fitted_featurizer = True
        probe._tuned = True  # use each candidate weight as given
        probe.fit(table.subset(keep), vectors[keep])
        queries = [table.queries[i] for i in held]
        q, c = table.quality[held], table.cost[held]
        for w in TASK_WEIGHTS:
            probe.task_weight = w
            pq, pc = probe.predict(queries, table.models, vectors[held])
            aiqs[w] += _sweep_aiq(pq, pc, q, c) / _FOLDS
            score = -float(np.mean((pq - q) ** 2))  # Brier: rewards signal, not dithering
            scores[w] += score / _FOLDS
            per_fold[w].append(score)
    # Neighbours must earn their place: the task average wins unless clearly beaten.
    safest = TASK_WEIGHTS[-1]

    def clearly_better(w: float) -> bool:
        wins = all(a > b for a, b in zip(per_fold[w], per_fold[safest], strict=True))
        return (
            wins and scores[w] > scores[safest] + _MARGIN and aiqs[w] > aiqs[safest] + _AIQ_MARGIN
        )

    better = [w for w in TASK_WEIGHTS if w != safest and clearly_better(w)]
    return max(better, key=lambda w: scores[w]) if better else safest
