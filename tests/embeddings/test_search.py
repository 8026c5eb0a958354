"""The one exact vector search: best first, ties in position order, unordered when asked."""

import numpy as np

from agentroute.embeddings import similarities, top_k


def test_top_k_is_best_first_with_ties_in_position_order() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.2])
    assert top_k(scores, 3).tolist() == [1, 3, 2]
    assert top_k(scores, 10).tolist() == [1, 3, 2, 4, 0]
    assert top_k(scores, 0).tolist() == []


def test_top_k_unordered_is_the_same_set_per_row() -> None:
    rng = np.random.default_rng(0)
    sims = rng.standard_normal((4, 50))
    ordered, loose = top_k(sims, 5), top_k(sims, 5, ordered=False)
    for a, b in zip(ordered, loose, strict=True):
        assert sorted(a.tolist()) == sorted(b.tolist())
    assert top_k(sims, 60, ordered=False).tolist() == [list(range(50))] * 4


def test_similarities_of_one_query_and_of_many_agree() -> None:
    rng = np.random.default_rng(1)
    rows = rng.standard_normal((30, 8)).astype(np.float32)
    queries = rng.standard_normal((12, 8)).astype(np.float32)
    one = similarities(rows, queries[0])
    assert one.shape == (30,)
    np.testing.assert_allclose(similarities(rows, queries)[0], one, rtol=1e-5)
    np.testing.assert_allclose(similarities(rows, queries[:3])[0], one, rtol=1e-5)
