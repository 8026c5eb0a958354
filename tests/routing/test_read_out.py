"""The per-task linear read-out (``routing/_residual.py``): it is used only where it predicts
held-out outcomes better than the task means, and then it ranks models per query."""

from __future__ import annotations

import numpy as np

from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import GraphRouter, OutcomeTable, QueryFeaturizer
from agentroute.routing._residual import choose_alpha, fit_task_ridge, residuals


def _vectors(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_read_out_is_chosen_when_a_direction_predicts_who_is_right() -> None:
    x = _vectors(600)
    side = x[:, 0] > 0
    # Two tasks; in each, model 0 is right on one side of a direction, model 1 on the other.
    quality = np.stack([side, ~side], axis=1).astype(np.float64)
    row_task = np.arange(600) % 2
    alpha = choose_alpha(x, quality, row_task, 2)
    assert alpha is not None
    w = fit_task_ridge(x, quality, row_task, 2, alpha)
    fresh = _vectors(200, seed=1)
    post = np.tile([0.5, 0.5], (200, 1))
    dev = residuals(w, fresh, post, np.array([0, 1]))
    right = (dev[:, 0] > dev[:, 1]) == (fresh[:, 0] > 0)
    assert right.mean() > 0.9, right.mean()


def test_read_out_is_refused_when_outcomes_are_noise() -> None:
    x = _vectors(600)
    quality = np.random.default_rng(2).integers(0, 2, size=(600, 3)).astype(np.float64)
    assert choose_alpha(x, quality, np.zeros(600, dtype=np.int64), 1) is None


def test_unseen_columns_and_missing_outcomes_get_no_deviation() -> None:
    x = _vectors(300)
    quality = np.stack([(x[:, 0] > 0), (x[:, 1] > 0)], axis=1).astype(np.float64)
    quality[:280, 1] = np.nan  # 20 outcomes: too few for a read-out
    w = fit_task_ridge(x, quality, np.zeros(300, dtype=np.int64), 1, 10.0)
    assert np.abs(w[0, :, 0]).sum() > 0
    assert not w[0, :, 1].any()
    dev = residuals(w, x[:5], np.ones((5, 1)), np.array([0, 1, 5, -1]))
    assert np.abs(dev[:, 0]).sum() > 0
    assert not dev[:, 1:].any()


def test_graph_router_uses_the_read_out_to_split_one_task_between_two_models() -> None:
    rng = np.random.default_rng(0)
    words = ["river", "mountain", "forest", "desert", "ocean", "valley", "island", "canyon"]
    queries, quality = [], []
    for i in range(400):
        topic = "chemistry" if i % 2 else "history"
        filler = " ".join(rng.choice(words, 3))
        queries.append(f"a {topic} question about {filler} number {i}")
        quality.append([float(topic == "chemistry"), float(topic == "history")])
    table = OutcomeTable(
        queries, ["quiz"] * 400, ["a", "b"], np.array(quality), np.full((400, 2), 0.001)
    )
    router = GraphRouter(featurizer=QueryFeaturizer(NgramHashingEmbedder(512)), k=5, read_out=True)
    router.fit(table)
    assert router.read_out_alpha is not None
    q, _ = router.predict(
        ["a chemistry question about canyon ocean river", "a history question about island"],
        ["a", "b"],
    )
    assert q[0, 0] - q[0, 1] > 0.3 and q[1, 1] - q[1, 0] > 0.3, q
    assert (q > 0.0).all() and (q < 1.0).all()  # a read-out alone never makes an estimate certain
    plain = GraphRouter(featurizer=QueryFeaturizer(NgramHashingEmbedder(512)), k=5)
    assert plain.fit(table).read_out_alpha is None  # off unless asked for
