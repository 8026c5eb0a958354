"""Fit preselection's re-ranker (`agentroute.targets._rerank`) on bench_preselection.py's
train split, and write it where preselection reads it.

    python benchmarks/train_preselect_rerank.py [--check]

For every train request of the 1,000- and 2,479-tool pools, preselection's candidates and their
features (`agentroute.targets._preselect.candidate_table`); a linear model over the
standardised features is fitted by a listwise softmax (each request's gold candidates share the
target probability; L2 penalty), numpy only. ``--check`` first reports a two-fold split of the
train requests (fitted on one half, recall@5 on the other), the only estimate the weights'
choices (penalty, features) were made by; the test split is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_preselection import load, pool

from agentroute.embeddings import default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets._index import TargetIndex
from agentroute.targets._preselect import CANDIDATES, candidate_table
from agentroute.targets._rerank import FEATURES, MODEL_FILE, Reranker, feature_table

SIZES = (1000, 2479)
L2 = 0.3
STEPS = 500
RATE = 0.05

Row = tuple[str, npt.NDArray[np.float64], npt.NDArray[np.float64], int]
"""Request id, its candidates' features, which are gold (1/0), how many gold tools it has."""


def rows() -> list[Row]:
    """Every train request of every pool size, as its candidates' features and labels."""
    descriptors, requests = load()
    by_name = {d.name: d for d in descriptors.values()}
    embedder = default_embedder()
    cache_dir = Path(os.environ.get("AGENTROUTE_BENCH_CACHE", tempfile.gettempdir()))
    cache = TextVectorCache(cache_dir / "agentroute-bench-preselection.sqlite")
    out: list[Row] = []
    for size in SIZES:
        names, taken = pool(descriptors, requests, size)
        index = TargetIndex(embedder, cache=cache)
        index.add(by_name[n] for n in names)
        m = index._matrix()
        for r in taken:
            if r["split"] != "train":
                continue
            gold = {descriptors[tuple(g)].name for g in r["gold"]}  # type: ignore[index]
            _, _, positions, base = candidate_table(index, r["query"], candidates=CANDIDATES)
            if base is None:  # one part: not re-ranked
                continue
            table = feature_table(base, m.groups[positions])
            labels = np.array([m.names[int(i)] in gold for i in positions], dtype=np.float64)
            out.append((r["id"], table, labels, len(gold)))
    cache.close()
    return out


def fit(train: list[Row]) -> Reranker:
    """Adam on the listwise softmax loss, from zero weights."""
    stacked = np.concatenate([t for _, t, _, _ in train])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    tables = [((t - mean) / scale, y / y.sum()) for _, t, y, _ in train if y.sum() > 0]
    w = np.zeros(stacked.shape[1])
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, STEPS + 1):
        grad = L2 * w
        for x, target in tables:
            s = x @ w
            p = np.exp(s - s.max())
            grad += x.T @ (p / p.sum() - target) / len(tables)
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= RATE * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
    return Reranker(CANDIDATES, mean, scale, w)


def recall(model: Reranker | None, held: list[Row]) -> float:
    """recall@5 over ``held`` (None: preselection's order without a model, each part's own
    best first, then by the summed score)."""
    first = FEATURES.index("first")
    shares = []
    for _, table, labels, gold in held:
        if model is None:
            order = np.argsort(-table[:, first], kind="stable")
        else:
            order = np.argsort(-model.scores(table), kind="stable")
        shares.append(labels[order[:5]].sum() / gold)
    return float(np.mean(shares))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="two-fold estimate on train first")
    args = parser.parse_args()
    data = rows()
    if args.check:
        for half in (0, 1):
            inside = [r for r in data if hashlib.sha256(r[0].encode()).digest()[1] % 2 != half]
            held = [r for r in data if hashlib.sha256(r[0].encode()).digest()[1] % 2 == half]
            print(f"half {half}: {len(held)} held-out rows, recall@5 without the model "
                  f"{recall(None, held):.3f} -> re-ranked {recall(fit(inside), held):.3f}")  # fmt: skip
    model = fit(data)
    MODEL_FILE.write_text(json.dumps(model.to_json(), indent=1) + "\n")
    print(f"{len(data)} rows; wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
