from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import OutcomeTable, QueryFeaturizer, load_outcome_table


def routerbench_dir() -> Path:
    env = os.environ.get("AGENTROUTE_ROUTERBENCH")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data" / "routerbench"


@pytest.fixture(scope="session")
def routerbench() -> OutcomeTable:
    return load_outcome_table(sorted(routerbench_dir().glob("*.csv")))


@pytest.fixture(scope="session")
def routerbench_vectors(routerbench: OutcomeTable) -> tuple[QueryFeaturizer, np.ndarray]:
    fz = QueryFeaturizer(NgramHashingEmbedder(512)).fit(routerbench.queries)
    return fz, fz.embed(routerbench.queries)


MATH = ["add {a} and {b}", "what is {a} times {b}", "compute {a} minus {b}", "divide {a} by {b}"]
CODE = [
    "write a python function that sorts {a} items",
    "fix the bug in loop {a} of {b}",
    "write a python class with {a} methods",
    "refactor function {a} into {b} parts",
]


def synthetic_table(n: int = 80, seed: int = 0) -> OutcomeTable:
    """Three models: 'cheap' is right on 3/4 of math, wrong on code; 'coder' likewise on code;
    'big' is always right but costs 20x. A router should send math to cheap and code to coder."""
    rng = np.random.default_rng(seed)
    queries, tasks, q, c = [], [], [], []
    for i in range(n):
        math = i % 2 == 0
        tpl = (MATH if math else CODE)[(i // 2) % 4]
        queries.append(tpl.format(a=int(rng.integers(1000)), b=int(rng.integers(1000))) + f" #{i}")
        tasks.append("math" if math else "code")
        miss = i % 8 in (0, 1)  # the specialists fail a quarter of their own task
        q.append([float(math and not miss), float(not math and not miss), 1.0])
        c.append([0.001, 0.002, 0.02])
    return OutcomeTable(queries, tasks, ["cheap", "coder", "big"], np.array(q), np.array(c))


@pytest.fixture(scope="session")
def make_table():
    return synthetic_table
