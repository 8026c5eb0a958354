"""In-process matrices of past outcomes that the learned routers read.

One row per distinct query (its embedding, its length, its task), one column per model; a cell
is ``nan`` until that model has an outcome on that query. Arrays grow by doubling so that
``learn`` stays cheap when outcomes stream in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from agentroute.routing._outcomes import Outcome
from agentroute.routing._table import OutcomeTable

__all__ = ["OutcomeMemory"]

F64 = npt.NDArray[np.float64]


class OutcomeMemory:
    def __init__(self, dim: int = 0) -> None:
        """``dim`` 0: taken from the first vector added."""
        self.dim = dim
        self.models: list[str] = []
        self._col: dict[str, int] = {}
        self._row: dict[str, int] = {}
        self.tasks: list[str] = []
        self.n = 0
        self.version = 0
        """Bumped on every change, so readers can cache what they derive."""
        self._dense_cache: tuple[int, F64, F64] | None = None
        self._columns_cache: dict[tuple[int, tuple[str, ...]], npt.NDArray[np.int64]] = {}
        self._x = np.zeros((16, dim), dtype=np.float32)
        self._len = np.zeros(16)
        self._q = np.full((16, 0), np.nan)
        self._c = np.full((16, 0), np.nan)

    # views of the filled part
    @property
    def x(self) -> npt.NDArray[np.float32]:
        return self._x[: self.n]

    @property
    def lengths(self) -> F64:
        return self._len[: self.n]

    @property
    def quality(self) -> F64:
        return self._q[: self.n]

    @property
    def cost(self) -> F64:
        return self._c[: self.n]

    @property
    def queries(self) -> list[str]:
        """The remembered queries, in row order."""
        return list(self._row)

    def row(self, query: str) -> int:
        return self._row[query]

    def col(self, model: str) -> int | None:
        return self._col.get(model)

    def _ensure_model(self, model: str) -> int:
        j = self._col.get(model)
        if j is None:
            j = len(self.models)
            self.models.append(model)
            self._col[model] = j
            pad = np.full((self._q.shape[0], 1), np.nan)
            self._q = np.hstack([self._q, pad])
            self._c = np.hstack([self._c, pad.copy()])
        return j

    def _grow(self, need: int) -> None:
        cap = self._x.shape[0]
        if need <= cap:
            return
        new = max(need, 2 * cap)
        self._x = np.vstack([self._x, np.zeros((new - cap, self.dim), dtype=np.float32)])
        self._len = np.concatenate([self._len, np.zeros(new - cap)])
        m = self._q.shape[1]
        self._q = np.vstack([self._q, np.full((new - cap, m), np.nan)])
        self._c = np.vstack([self._c, np.full((new - cap, m), np.nan)])

    def add_table(self, table: OutcomeTable, vectors: npt.NDArray[np.float32]) -> None:
        """Bulk-load a table whose queries were embedded into ``vectors``."""
        self.version += 1
        cols = [self._ensure_model(m) for m in table.models]
        for i, query in enumerate(table.queries):
            r = self._row_for(query, vectors[i], table.tasks[i])
            self._q[r, cols] = np.where(
                np.isnan(table.quality[i]), self._q[r, cols], table.quality[i]
            )
            self._c[r, cols] = np.where(np.isnan(table.cost[i]), self._c[r, cols], table.cost[i])

    def dense(self) -> tuple[F64, F64]:
        """Quality with ``nan`` as 0, and 1.0 where an outcome exists (cached per version)."""
        if self._dense_cache is None or self._dense_cache[0] != self.version:
            q = self.quality
            has = (~np.isnan(q)).astype(np.float64)
            self._dense_cache = (self.version, np.nan_to_num(q), has)
        return self._dense_cache[1], self._dense_cache[2]

    def add(self, outcome: Outcome, vector: npt.NDArray[np.float32]) -> None:
        self.version += 1
        j = self._ensure_model(outcome.model)
        r = self._row_for(outcome.query, vector, outcome.task)
        self._q[r, j] = outcome.quality
        self._c[r, j] = outcome.cost_usd

    def _row_for(self, query: str, vector: npt.NDArray[np.float32], task: str) -> int:
        r = self._row.get(query)
        if r is None:
            if self.dim == 0:
                self.dim = len(vector)
                self._x = np.zeros((self._x.shape[0], self.dim), dtype=np.float32)
            r = self.n
            self._grow(r + 1)
            self._x[r] = vector
            self._len[r] = len(query)
            self._row[query] = r
            self.tasks.append(task)
            self.n += 1
        elif task and not self.tasks[r]:
            self.tasks[r] = task
        return r

    def counts(self) -> F64:
        """Outcomes recorded per model."""
        return np.asarray((~np.isnan(self.quality)).sum(axis=0), dtype=np.float64)

    def columns(self, models: Sequence[str]) -> npt.NDArray[np.int64]:
        """Column of each model, ``-1`` for models with no outcome yet."""
        key = (len(self.models), tuple(models))
        hit = self._columns_cache.get(key)
        if hit is None:
            if len(self._columns_cache) > 16:
                self._columns_cache.clear()
            hit = np.array([self._col.get(m, -1) for m in models], dtype=np.int64)
            self._columns_cache[key] = hit
        return hit
