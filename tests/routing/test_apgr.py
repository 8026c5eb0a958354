"""APGR (RouteLLM's measure of a two-model router) on hand-made outcomes and on the carried
RouteLLM sets: random ranking recovers half the gap, knowing the answers nearly all of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agentroute.eval import apgr, pgr_curve
from agentroute.routing import load_outcome_table

DATA = Path(__file__).resolve().parents[2] / "data" / "routellm"
STRONG, WEAK = "gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"


def test_curve_runs_from_weak_to_strong_accuracy() -> None:
    strong = np.array([1.0, 1.0, 1.0, 0.0])
    weak = np.array([0.0, 1.0, 0.0, 0.0])
    shares, acc = pgr_curve(np.array([3.0, 0.0, 2.0, 1.0]), strong, weak, points=5)
    assert shares.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert acc.tolist() == [0.25, 0.5, 0.75, 0.75, 0.75]
    # PGR 0, .5, 1, 1, 1 -> trapezoids of width .25: (.25 + .75 + 1 + 1) / 4
    assert apgr(np.array([3.0, 0.0, 2.0, 1.0]), strong, weak, points=5) == pytest.approx(0.75)
    # Ranked backwards, the gain comes last.
    assert apgr(np.array([0.0, 3.0, 1.0, 2.0]), strong, weak, points=5) == pytest.approx(0.25)


def test_random_recovers_half_and_oracle_nearly_all() -> None:
    rng = np.random.default_rng(0)
    strong = (rng.random(4000) < 0.8).astype(float)
    weak = (rng.random(4000) < 0.6).astype(float)
    rand = np.mean([apgr(np.zeros(4000), strong, weak, seed=k) for k in range(10)])
    assert rand == pytest.approx(0.5, abs=0.02)
    assert apgr(strong - weak, strong, weak) > 0.9


@pytest.mark.parametrize(
    ("name", "n", "tasks", "acc"),
    [("gsm8k", 1307, 1, (0.858, 0.637)), ("mmlu", 14037, 57, (0.806, 0.681))],
)
def test_routellm_sets_load_as_described(
    name: str, n: int, tasks: int, acc: tuple[float, float]
) -> None:
    table = load_outcome_table(DATA / f"{name}.jsonl.gz")
    assert len(table) == n and table.models == [STRONG, WEAK]
    assert len(set(table.tasks)) == tasks
    assert set(np.unique(table.quality)) <= {0.0, 1.0}
    assert table.quality.mean(axis=0) == pytest.approx(acc, abs=0.0005)
    assert (table.cost[:, 0] > 10 * table.cost[:, 1]).all()
