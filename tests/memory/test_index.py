"""VectorIndex: the IVF path agrees with exact search; removals and status hold across rebuilds."""

from __future__ import annotations

import numpy as np

from agentroute.memory._index import VectorIndex


def _data(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((20, dim)).astype(np.float32)
    x = c[rng.integers(0, 20, n)] + 0.5 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_ivf_recall_matches_exact_and_tail_is_searched() -> None:
    x = _data(3000)
    index = VectorIndex(32, ivf_min_rows=1000)
    index.add_many([f"c{i}" for i in range(2000)], x[:2000], np.ones(2000, bool))
    for i in range(2000, 3000):  # grows the tail, then triggers a rebuild
        index.add(f"c{i}", x[i])
    assert len(index) == 3000
    hits = 0
    for q in x[::97]:
        approx = {cid for cid, _ in index.search(q, 8)}
        exact = {cid for cid, _ in index.exact_search(q, 8)}
        hits += len(approx & exact)
    assert hits / (8 * len(x[::97])) >= 0.9
    assert index.search(x[2999], 1)[0][0] == "c2999"


def test_remove_and_inactive_rows_never_come_back() -> None:
    x = _data(1500, seed=1)
    index = VectorIndex(32, ivf_min_rows=1000)
    index.add_many([f"c{i}" for i in range(1500)], x, np.ones(1500, bool))
    index.remove("c10")
    index.set_active("c11", False)
    index.rebuild()
    for cid in ("c10", "c11"):
        q = x[int(cid[1:])]
        assert cid not in {c for c, _ in index.search(q, 20)}
        assert cid not in {c for c, _ in index.exact_search(q, 20)}
    assert "c11" in {c for c, _ in index.exact_search(x[11], 5, active_only=False)}
    assert "c10" not in index and index.vector("c10") is None
    index.add("c10", x[10])  # re-adding after removal works
    assert index.search(x[10], 1)[0][0] == "c10"
