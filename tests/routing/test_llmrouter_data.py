"""The carried LLMRouter outcome set loads through the public loader, whole and as described
in its README (issue 17); gzipped outcome files read like plain ones."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pytest

from agentroute.routing import ExpertDescriptor, load_outcome_table
from agentroute.types import TargetKind

DATA = Path(__file__).resolve().parents[2] / "data" / "llmrouter"
MODELS = [
    "codegemma-7b",
    "gemma-2-9b-it",
    "llama-3.1-8b-instruct",
    "llama-3.1-nemotron-51b-instruct",
    "llama-3.3-nemotron-super-49b-v1",
    "llama3-chatqa-1.5-70b",
    "llama3-chatqa-1.5-8b",
    "mistral-7b-instruct-v0.3",
    "qwen2.5-7b-instruct",
]


def test_train_and_test_splits_load_whole() -> None:
    train = load_outcome_table(DATA / "train.jsonl.gz")
    test = load_outcome_table(DATA / "test.jsonl.gz")
    assert (len(train), len(test)) == (5608, 500)  # no row dropped as incomplete
    assert train.models == MODELS and test.models == MODELS
    assert set(train.tasks) == {f"dcrouter-cluster-{k}" for k in range(3)}
    assert set(test.tasks) == {""}
    # The source's splits share 119 prompts (data/llmrouter/README.md; the bench reports both).
    assert len(set(train.queries) & set(test.queries)) == 119
    for t, graded in ((train, 150), (test, 50)):
        assert ((t.quality >= 0) & (t.quality <= 1)).all()
        # 0/1 scores, but for a few prompts scored as a share of test cases passed.
        assert int(((t.quality > 0) & (t.quality < 1)).any(axis=1).sum()) == graded
        assert (t.cost > 0).all()
    # Per-model means the source's scores give (LLMRouter's test.json).
    assert test.quality[:, MODELS.index("llama-3.1-nemotron-51b-instruct")].mean() == pytest.approx(
        0.5626, abs=1e-4
    )
    assert test.quality[:, MODELS.index("gemma-2-9b-it")].mean() == pytest.approx(0.4500, abs=1e-4)


def test_costs_follow_the_descriptors_prices() -> None:
    test = load_outcome_table(DATA / "test.jsonl.gz")
    about = json.loads((DATA / "models.json").read_text())
    descs = [ExpertDescriptor(kind=TargetKind.EXPERT, **m) for m in about["models"]]
    assert [d.name for d in descs] == MODELS
    for k, query in enumerate(test.queries[:50]):
        for j, d in enumerate(descs):
            assert d.price_in_per_m is not None and d.price_out_per_m is not None
            tokens_in = math.ceil(len(query) / 4)
            expected = (tokens_in * d.price_in_per_m + 256 * d.price_out_per_m) / 1e6
            assert math.isclose(test.cost[k, j], expected, rel_tol=1e-12)


def test_gzipped_files_read_like_plain_ones(tmp_path: Path) -> None:
    rows = [
        {
            "prompt": "2+2?",
            "task": "math",
            "a": 1,
            "a|total_cost": 0.1,
            "b": 0,
            "b|total_cost": 0.01,
        },
        {"prompt": "hi", "task": "chat", "a": 1, "a|total_cost": 0.1, "b": 1, "b|total_cost": 0.01},
    ]
    text = "".join(json.dumps(r) + "\n" for r in rows)
    (tmp_path / "o.jsonl").write_text(text)
    (tmp_path / "o.jsonl.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "o.json.gz").write_bytes(gzip.compress(json.dumps(rows).encode()))
    plain = load_outcome_table(tmp_path / "o.jsonl")
    for name in ("o.jsonl.gz", "o.json.gz"):
        packed = load_outcome_table(tmp_path / name)
        assert packed.queries == plain.queries and packed.tasks == plain.tasks
        assert np.array_equal(packed.quality, plain.quality)
        assert np.array_equal(packed.cost, plain.cost)


def test_the_set_travels_with_its_licence_and_origin() -> None:
    assert "MIT License" in (DATA / "LICENSE").read_text()
    readme = (DATA / "README.md").read_text()
    assert "ulab-uiuc/LLMRouter" in readme and "4e7a796942ce" in readme
    assert "benchmarks/fetch_llmrouter.py" in readme
    assert {p.name for p in DATA.iterdir()} == {
        "LICENSE",
        "README.md",
        "models.json",
        "train.jsonl.gz",
        "test.jsonl.gz",
    }
