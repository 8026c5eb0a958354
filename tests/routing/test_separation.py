"""The needs-strong AUC: how well a score puts first the prompts only the strong model answers.
Ties count half (a score constant within a task is a coin, not whatever order the rows came in)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from agentroute.eval import auc, needs_strong_auc


def test_auc_counts_pairs_ordered_right() -> None:
    label = np.array([True, False, True, False])
    assert auc(np.array([0.9, 0.1, 0.8, 0.2]), label) == 1.0
    assert auc(np.array([0.1, 0.9, 0.2, 0.8]), label) == 0.0
    # Pairs (pos, neg): (0.9, 0.5) right, (0.9, 0.95) wrong, (0.3, 0.5) wrong, (0.3, 0.95) wrong.
    assert auc(np.array([0.9, 0.5, 0.3, 0.95]), label) == pytest.approx(0.25)


def test_ties_count_half_whatever_the_rows_order() -> None:
    label = np.array([False, False, True, True])
    assert auc(np.zeros(4), label) == pytest.approx(0.5)
    assert auc(np.zeros(4), label[::-1]) == pytest.approx(0.5)
    # One positive tied with one negative, the other positive above every negative.
    assert auc(np.array([0.0, 1.0, 1.0, 2.0]), label) == pytest.approx(0.875)


def test_one_class_empty_is_nan() -> None:
    assert math.isnan(auc(np.array([0.1, 0.2]), np.array([True, True])))


def test_needs_strong_is_weak_fails_and_strong_succeeds() -> None:
    strong = np.array([1.0, 1.0, 0.0, 1.0])
    weak = np.array([0.0, 1.0, 0.0, 1.0])
    # Only the first prompt needs the strong model: scored highest, it gets AUC 1.
    assert needs_strong_auc(np.array([3.0, 1.0, 2.0, 0.0]), strong, weak) == 1.0
    # The prompt both fail is no positive: scored first, it costs the score a third.
    assert needs_strong_auc(np.array([2.0, 1.0, 3.0, 0.0]), strong, weak) == pytest.approx(2 / 3)


def test_random_scores_are_a_coin() -> None:
    rng = np.random.default_rng(0)
    label = rng.random(5000) < 0.2
    assert auc(rng.random(5000), label) == pytest.approx(0.5, abs=0.03)
