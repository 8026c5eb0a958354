"""An in-memory vector index over one namespace: exact below a size, IVF-flat above it.

Why not chromadb's own HNSW: with a ``where`` filter for the namespace it took ~48 ms at recall
0.63 on 100k cases, and its recall on clustered 384-d vectors stayed near 0.5 at default
settings. An exact scan of 100k float32 rows is memory-bound (~150 MB per query, 5–18 ms on a
busy 2-core machine). IVF-flat (k-means lists, scan the closest lists until a fixed share of the
rows is covered, exact dot products inside them) keeps recall@8 near exact at a fraction of the
scan. Rows added after a build go to a flat *tail* that is always scanned; the lists are rebuilt
when the tail grows past a share of the indexed rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from agentroute.embeddings import similarities, top_k

__all__ = ["IndexState", "VectorIndex"]

F32 = npt.NDArray[np.float32]

_IVF_MIN_ROWS = 16_384
"""Below this many rows an exact scan is already fast; no lists are built."""
_REBUILD_TAIL_SHARE = 0.2
_SCAN_SHARE = 0.10
"""Share of the indexed rows the probed lists must cover at least."""
_MIN_PROBES = 8


class _Rows:
    """A growable float32 matrix with ids, an alive mask and an active mask."""

    def __init__(self, dim: int, capacity: int = 256) -> None:
        self.vecs: F32 = np.zeros((capacity, dim), dtype=np.float32)
        self.alive = np.zeros(capacity, dtype=bool)
        self.active = np.zeros(capacity, dtype=bool)
        self.ids: list[str] = []

    @classmethod
    def of(cls, ids: list[str], vecs: F32, active: npt.NDArray[np.bool_]) -> _Rows:
        """Rows over ``vecs`` as given (no copy: a read-only memory map stays one)."""
        rows = cls(vecs.shape[1], 0)
        rows.vecs = vecs
        rows.alive = np.ones(len(ids), dtype=bool)
        rows.active = np.array(active, dtype=bool)
        rows.ids = list(ids)
        return rows

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, case_id: str, vec: F32, active: bool) -> int:
        row = len(self.ids)
        if row == self.vecs.shape[0]:
            cap = max(16, row * 2)
            vecs = np.zeros((cap, self.vecs.shape[1]), dtype=np.float32)
            vecs[:row] = self.vecs[:row]  # (np.resize would not copy a memory map's rows)
            self.vecs = vecs
            self.alive = np.resize(self.alive, cap)
            self.active = np.resize(self.active, cap)
        self.vecs[row] = vec
        self.alive[row] = True
        self.active[row] = active
        self.ids.append(case_id)
        return row


@dataclass
class IndexState:
    """An index's rows as saved and restored (``_snapshot``). The packed rows are kept as they
    lie in memory, removed ones included (``alive`` false), so an unchanged packed matrix is
    never written again; list ``i`` is packed rows ``starts[i]:starts[i + 1]``. The tail holds
    live rows only."""

    packed_ids: list[str]
    packed_vecs: F32
    packed_alive: npt.NDArray[np.bool_]
    packed_active: npt.NDArray[np.bool_]
    starts: npt.NDArray[np.int64]
    centroids: F32 | None
    tail_ids: list[str]
    tail_vecs: F32
    tail_active: npt.NDArray[np.bool_]


class VectorIndex:
    """Cosine (dot-product over L2-normalised rows) top-n search with an active-only filter."""

    def __init__(self, dim: int, *, ivf_min_rows: int = _IVF_MIN_ROWS, seed: int = 0) -> None:
        self.dim = dim
        self._ivf_min_rows = ivf_min_rows
        self._seed = seed
        # Packed (IVF-sorted) rows: list ``i`` is rows ``_starts[i]:_starts[i + 1]``.
        self._packed = _Rows(dim, 1)
        self._centroids: F32 | None = None
        self._starts: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._tail = _Rows(dim)
        # case id -> (in packed?, row)
        self._where: dict[str, tuple[bool, int]] = {}

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._where

    def ids(self) -> list[str]:
        return list(self._where)

    def add(self, case_id: str, vec: npt.ArrayLike, *, active: bool = True) -> None:
        """Insert or replace ``case_id``."""
        v = self._check(vec)
        if case_id in self._where:
            self.remove(case_id)
        row = self._tail.append(case_id, v, active)
        self._where[case_id] = (False, row)
        indexed = len(self._packed)
        if len(self._where) >= self._ivf_min_rows and len(self._tail) > max(
            _REBUILD_TAIL_SHARE * indexed, 1024 if indexed else self._ivf_min_rows
        ):
            self.rebuild()

    def add_many(self, ids: list[str], vecs: F32, active: npt.ArrayLike) -> None:
        """Bulk insert (used when loading a namespace from disk); builds lists once at the end.

        Into an empty index ``vecs`` (float32, one row per id) become the rows as they are:
        a 100k-case namespace is not copied row by row."""
        act = np.asarray(active, dtype=bool)
        mat = np.asarray(vecs, dtype=np.float32).reshape(-1, self.dim)
        if not self._where and len(set(ids)) == len(ids):
            self._tail = _Rows.of(ids, mat, act)
            self._where = {cid: (False, i) for i, cid in enumerate(ids)}
        else:
            for i, case_id in enumerate(ids):
                if case_id in self._where:
                    self.remove(case_id)
                row = self._tail.append(case_id, mat[i], bool(act[i]))
                self._where[case_id] = (False, row)
        if len(self._where) >= self._ivf_min_rows:
            self.rebuild()

    def export(self) -> IndexState:
        """The rows and lists, for ``_snapshot`` to save (packed vectors not copied)."""
        n = len(self._packed)
        live_t = np.flatnonzero(self._tail.alive[: len(self._tail)])
        return IndexState(
            packed_ids=self._packed.ids,
            packed_vecs=self._packed.vecs[:n],
            packed_alive=self._packed.alive[:n],
            packed_active=self._packed.active[:n],
            starts=self._starts,
            centroids=self._centroids,
            tail_ids=[self._tail.ids[i] for i in live_t],
            tail_vecs=self._tail.vecs[live_t],
            tail_active=self._tail.active[live_t],
        )

    @classmethod
    def restore(
        cls, dim: int, state: IndexState, *, ivf_min_rows: int = _IVF_MIN_ROWS
    ) -> VectorIndex:
        """An index over a saved state; its packed rows stay as given (a memory map is paged
        in as searches touch it, not read whole)."""
        index = cls(dim, ivf_min_rows=ivf_min_rows)
        if state.centroids is not None and state.packed_ids:
            packed = _Rows.of(state.packed_ids, state.packed_vecs, state.packed_active)
            packed.alive = np.array(state.packed_alive, dtype=bool)
            packed.active &= packed.alive
            index._packed = packed
            index._centroids = np.asarray(state.centroids, dtype=np.float32)
            index._starts = np.asarray(state.starts, dtype=np.int64)
            live = np.flatnonzero(packed.alive)
            index._where = {packed.ids[r]: (True, int(r)) for r in live}
        index._tail = _Rows(dim, max(256, len(state.tail_ids)))
        for i, cid in enumerate(state.tail_ids):
            row = index._tail.append(cid, state.tail_vecs[i], bool(state.tail_active[i]))
            index._where[cid] = (False, row)
        return index

    def packed_source(self) -> str | None:
        """The file the packed rows are mapped from, while they are (no rebuild since)."""
        vecs = self._packed.vecs
        return str(vecs.filename) if isinstance(vecs, np.memmap) and vecs.filename else None

    def remove(self, case_id: str) -> bool:
        loc = self._where.pop(case_id, None)
        if loc is None:
            return False
        rows = self._packed if loc[0] else self._tail
        rows.alive[loc[1]] = False
        rows.active[loc[1]] = False
        return True

    def set_active(self, case_id: str, active: bool) -> None:
        packed, row = self._where[case_id]
        (self._packed if packed else self._tail).active[row] = active

    def vector(self, case_id: str) -> F32 | None:
        loc = self._where.get(case_id)
        if loc is None:
            return None
        rows = self._packed if loc[0] else self._tail
        return rows.vecs[loc[1]].copy()

    # -- search -----------------------------------------------------------------------------

    def search(
        self, query: npt.ArrayLike, n: int, *, active_only: bool = True
    ) -> list[tuple[str, float]]:
        """Approximate top ``n`` (exact while the namespace is small)."""
        q = self._check(query)
        cands: list[tuple[npt.NDArray[np.float32], list[str], npt.NDArray[np.int64]]] = []
        if self._centroids is not None and len(self._packed):
            order = np.argsort(-similarities(self._centroids, q))
            sizes = np.diff(self._starts)[order]
            need = max(_SCAN_SHARE * len(self._packed), 4 * n)
            covered = np.cumsum(sizes)
            probes = max(_MIN_PROBES, int(np.searchsorted(covered, need)) + 1)
            lists = order[:probes]
            starts, ends = self._starts[lists], self._starts[lists + 1]
            rows = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
            if len(rows):
                vecs = self._packed.vecs
                scores = np.concatenate(
                    [similarities(vecs[a:b], q) for a, b in zip(starts, ends, strict=True)]
                )
                cands.append(self._top(self._packed, rows, scores, n, active_only))
        if len(self._tail):
            cands.append(self._scan(self._tail, 0, len(self._tail), q, n, active_only))
        return self._merge(cands, n)

    def exact_search(
        self, query: npt.ArrayLike, n: int, *, active_only: bool = True
    ) -> list[tuple[str, float]]:
        """Exact top ``n`` over every row (the reference that recall@k is measured against)."""
        q = self._check(query)
        cands = []
        for rows in (self._packed, self._tail):
            if len(rows):
                cands.append(self._scan(rows, 0, len(rows), q, n, active_only))
        return self._merge(cands, n)

    @classmethod
    def _scan(
        cls, rows: _Rows, a: int, b: int, q: F32, n: int, active_only: bool
    ) -> tuple[F32, list[str], npt.NDArray[np.int64]]:
        scores = similarities(rows.vecs[a:b], q)
        return cls._top(rows, np.arange(a, b), scores, n, active_only)

    @staticmethod
    def _top(
        rows: _Rows, idx: npt.NDArray[np.int64], scores: F32, n: int, active_only: bool
    ) -> tuple[F32, list[str], npt.NDArray[np.int64]]:
        mask = rows.active[idx] if active_only else rows.alive[idx]
        scores = np.where(mask, scores, np.float32(-np.inf))
        top = top_k(scores, n, ordered=False)  # `_merge` orders the candidates of all parts
        top = top[np.isfinite(scores[top])]
        return scores[top], rows.ids, idx[top]

    @staticmethod
    def _merge(
        cands: list[tuple[F32, list[str], npt.NDArray[np.int64]]], n: int
    ) -> list[tuple[str, float]]:
        out = [
            (float(s), ids[int(r)])
            for scores, ids, rs in cands
            for s, r in zip(scores, rs, strict=True)
        ]
        out.sort(key=lambda t: -t[0])
        return [(cid, s) for s, cid in out[:n]]

    # -- building ---------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Re-cluster every live row into IVF lists (k-means on a sample)."""
        ids: list[str] = []
        parts: list[F32] = []
        acts: list[npt.NDArray[np.bool_]] = []
        for rows in (self._packed, self._tail):
            n = len(rows)
            if not n:
                continue
            if rows.alive[:n].all():  # a view, not a copy: the common case of a fresh load
                ids.extend(rows.ids)
                parts.append(rows.vecs[:n])
                acts.append(rows.active[:n])
                continue
            live = np.flatnonzero(rows.alive[:n])
            ids.extend(rows.ids[i] for i in live)
            parts.append(rows.vecs[live])
            acts.append(rows.active[live])
        if len(parts) == 1:
            mat, act = parts[0], acts[0]
        else:
            mat = np.concatenate(parts) if parts else np.zeros((0, self.dim), np.float32)
            act = np.concatenate(acts) if acts else np.zeros(0, bool)
        del parts, acts
        if len(ids) < self._ivf_min_rows:
            self._centroids = None
            self._packed = _Rows(self.dim, 1)
            self._starts = np.zeros(1, dtype=np.int64)
            self._tail = _Rows(self.dim, max(256, len(ids)))
            self._where = {}
            for i, cid in enumerate(ids):
                self._where[cid] = (False, self._tail.append(cid, mat[i], bool(act[i])))
            return
        cents = _kmeans(mat, nlist=int(np.sqrt(len(ids))), seed=self._seed)
        assign = _assign(mat, cents)
        order = np.argsort(assign, kind="stable")
        counts = np.bincount(assign, minlength=len(cents))
        packed = _Rows.of([ids[i] for i in order], mat[order], act[order])
        self._packed = packed
        self._centroids = cents
        self._starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._tail = _Rows(self.dim)
        self._where = {cid: (True, r) for r, cid in enumerate(packed.ids)}

    def _check(self, vec: npt.ArrayLike) -> F32:
        v = np.asarray(vec, dtype=np.float32).reshape(-1)
        if v.shape[0] != self.dim:
            raise ValueError(f"vector has dimension {v.shape[0]}, index expects {self.dim}")
        return v


def _assign(mat: F32, cents: F32, chunk: int = 16_384) -> npt.NDArray[np.int64]:
    out = np.empty(len(mat), dtype=np.int64)
    for a in range(0, len(mat), chunk):
        out[a : a + chunk] = np.argmax(mat[a : a + chunk] @ cents.T, axis=1)
    return out


def _kmeans(mat: F32, *, nlist: int, seed: int, iters: int = 8, sample: int = 24_000) -> F32:
    """Spherical k-means on a sample: centroids are L2-normalised means.

    Not routing's pseudo-task k-means: lists only need to be balanced enough to probe, so
    random seeds, 8 rounds and reseeded empty lists; k-means++ costs ``nlist`` passes here."""
    rng = np.random.default_rng(seed)
    pts = mat[rng.choice(len(mat), size=min(sample, len(mat)), replace=False)]
    cents = pts[rng.choice(len(pts), size=nlist, replace=False)].copy()
    for _ in range(iters):
        lab = _assign(pts, cents)
        sums = np.zeros_like(cents)
        np.add.at(sums, lab, pts)
        empty = np.bincount(lab, minlength=nlist) == 0
        sums[empty] = pts[rng.choice(len(pts), size=int(empty.sum()), replace=False)]
        cents = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return cents.astype(np.float32)
