"""Re-rankers preselection could use instead of its linear one, measured on the train split.

    python benchmarks/preselect_rerank_variants.py

Session 19 (issue 13) asked whether the learned linear re-ranker (`agentroute.targets._rerank`,
fitted by ``train_preselect_rerank.py``) leaves recall@5 on the table: a non-linear model over
the same features plus pairwise ones, a provider-first choice that covers the request's parts
and then allots the five slots by part, and a penalty on a provider's further tools. Each is
scored by the two-fold split of the train requests ``train_preselect_rerank.py --check`` uses
(fitted on one half of the 1,000- and 2,479-tool pools' train requests, recall@5 on the other
half, averaged over both halves; a one-part request keeps its summed order in every variant).
The test split is never read here.

Session 19's run (300 / 1,000 / 2,479 tools; one train request is ~0.9 points at 1,000 tools):
the shipped linear model 0.921 / 0.899 / 0.804; with the pairwise features 0.927 / 0.896 /
0.806; the MLP (8 hidden) 0.923 / 0.896 / 0.802, with the pairwise features 0.919 / 0.892 /
0.802, 16 hidden 0.929 / 0.889 / 0.805; the provider penalty 0.1 0.927 / 0.896 / 0.806, 0.3
0.926 / 0.891 / 0.790; provider-first cover 0.921-0.927 / 0.896-0.900 / 0.804-0.807. None
moves recall@5 beyond one request's worth, so the linear model stays.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_preselection import load, pool
from train_preselect_rerank import fit

from agentroute.embeddings import default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets._index import TargetIndex
from agentroute.targets._preselect import (
    CANDIDATES,
    LEXICAL_WEIGHT,
    WHOLE_WEIGHT,
    _floored,
    candidate_table,
    request_parts,
)
from agentroute.targets._rerank import FEATURES, feature_table

SIZES = (300, 1000, 2479)
FIT_SIZES = (1000, 2479)
K = 5
Array = npt.NDArray[np.float64]


@dataclass
class Row:
    """One train request in one pool: its candidates as preselection hands them over."""

    rid: str
    size: int
    table: Array | None  # `FEATURES` per candidate; None for a one-part request
    groups: npt.NDArray[np.int64]
    labels: Array
    gold: int
    part_ranks: npt.NDArray[np.int64] | None  # per part, each candidate's rank under it


Scorer = Callable[[Row], Array]


def rows() -> list[Row]:
    """Every train request of every pool, with each candidate's rank under each part."""
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
        for r in (r for r in taken if r["split"] == "train"):
            gold = {descriptors[tuple(g)].name for g in r["gold"]}  # type: ignore[index]
            _, whole, positions, base = candidate_table(index, r["query"], candidates=CANDIDATES)
            labels = np.array([m.names[int(i)] in gold for i in positions], dtype=np.float64)
            table = ranks = None
            if base is not None:
                table = feature_table(base, m.groups[positions])
                context = WHOLE_WEIGHT * _floored(whole.ranks)
                per_part = []
                for part in request_parts(r["query"]):
                    scored = index._scored(m, index.encode_query(part), K, None, None,
                                           LEXICAL_WEIGHT)  # fmt: skip
                    full = _floored(scored.ranks + context)
                    per_part.append((full[None, :] > full[positions][:, None]).sum(axis=1))
                ranks = np.stack(per_part)
            out.append(Row(r["id"], size, table, m.groups[positions], labels, len(gold), ranks))
    cache.close()
    return out


def pairwise(row: Row) -> Array:
    """`FEATURES` plus pairwise ones: each of six scores minus its provider's best and minus
    the best overall, the provider's candidates (log), its two best summed scores' mean
    against the best, how many parts it serves, and how many parts there are."""
    assert row.table is not None and row.part_ranks is not None
    t = row.table
    _, inv = np.unique(row.groups, return_inverse=True)
    cols = []
    for name in ("combined", "part", "tool_words", "cosine_rank", "tool_name", "whole"):
        x = t[:, FEATURES.index(name)]
        best = np.full(inv.max() + 1, -np.inf)
        np.maximum.at(best, inv, x)
        cols += [x - best[inv], x - x.max()]
    combined = t[:, FEATURES.index("combined")]
    top2 = np.array([np.sort(combined[inv == g])[-2:].mean() for g in inv])
    parts = len(row.part_ranks)
    served = t[:, FEATURES.index("server_parts")] * parts
    cols += [np.log1p(np.bincount(inv)[inv]), top2 - combined.max(), served,
             np.full(len(t), parts)]  # fmt: skip
    return np.concatenate([t, np.stack(cols, axis=1)], axis=1)


def fit_linear(train: list[Row], features: Callable[[Row], Array]) -> Scorer:
    """The shipped fit (listwise softmax, `train_preselect_rerank.fit`) over ``features``."""
    model = fit([(r.rid, features(r), r.labels, r.gold) for r in train])
    return lambda r: model.scores(features(r))


def fit_mlp(
    train: list[Row], features: Callable[[Row], Array], hidden: int = 8, l2: float = 1e-2,
    steps: int = 400, rate: float = 0.01,
) -> Scorer:  # fmt: skip
    """One tanh hidden layer plus a linear skip, same listwise softmax loss, Adam."""
    xs = [features(r) for r in train if r.labels.sum() > 0]
    ys = [r.labels / r.labels.sum() for r in train if r.labels.sum() > 0]
    stacked = np.concatenate(xs)
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    x = (stacked - mean) / scale
    target = np.concatenate(ys)
    bounds = np.cumsum([0, *(len(t) for t in xs)])
    seg = np.repeat(np.arange(len(xs)), np.diff(bounds))
    rng = np.random.default_rng(0)
    n = x.shape[1]
    p = {"w1": rng.normal(0, n**-0.5, (n, hidden)), "b1": np.zeros(hidden),
         "w2": rng.normal(0, hidden**-0.5, hidden), "v": np.zeros(n)}  # fmt: skip
    m1 = {k: np.zeros_like(v) for k, v in p.items()}
    m2 = {k: np.zeros_like(v) for k, v in p.items()}
    for step in range(1, steps + 1):
        h = np.tanh(x @ p["w1"] + p["b1"])
        s = h @ p["w2"] + x @ p["v"]
        e = np.exp(s - np.maximum.reduceat(s, bounds[:-1])[seg])
        ds = (e / np.add.reduceat(e, bounds[:-1])[seg] - target) / len(xs)
        dh = np.outer(ds, p["w2"]) * (1 - h * h)
        grads = {"w1": x.T @ dh + l2 * p["w1"], "b1": dh.sum(axis=0),
                 "w2": h.T @ ds + l2 * p["w2"], "v": x.T @ ds + l2 * p["v"]}  # fmt: skip
        for k in p:
            m1[k] = 0.9 * m1[k] + 0.1 * grads[k]
            m2[k] = 0.999 * m2[k] + 0.001 * grads[k] ** 2
            p[k] -= rate * (m1[k] / (1 - 0.9**step)) / (np.sqrt(m2[k] / (1 - 0.999**step)) + 1e-8)

    def score(r: Row) -> Array:
        z = (features(r) - mean) / scale
        out: Array = np.tanh(z @ p["w1"] + p["b1"]) @ p["w2"] + z @ p["v"]
        return out

    return score


def plain(row: Row) -> Array:
    assert row.table is not None
    return row.table


def provider_penalty(scores: Array, row: Row, penalty: float) -> list[int]:
    """Greedy top 5: each pick's score less ``penalty`` (in score deviations) per tool of
    its provider already picked."""
    s = scores / (scores.std() + 1e-9)
    picked: list[int] = []
    count: dict[int, int] = {}
    for _ in range(min(K, len(s))):
        free = [i for i in range(len(s)) if i not in picked]
        best = max(free, key=lambda i: s[i] - penalty * count.get(int(row.groups[i]), 0))
        picked.append(best)
        count[int(row.groups[best])] = count.get(int(row.groups[best]), 0) + 1
    return picked


def provider_first(scores: Array, row: Row, served_top: int) -> list[int]:
    """Providers chosen greedily by how many uncovered parts they serve (a tool among the
    part's ``served_top`` best), ties by their best tool's score; each chosen provider then
    gives its best-scored tool for each part it covered; the rest by score."""
    assert row.part_ranks is not None
    groups, ranks = row.groups, row.part_ranks
    covers = {int(g): {j for j in range(len(ranks)) if (ranks[j][groups == g] < served_top).any()}
              for g in np.unique(groups)}  # fmt: skip
    best = {g: float(scores[groups == g].max()) for g in covers}
    uncovered, picked = set(range(len(ranks))), []
    while uncovered and len(picked) < K:
        g = max(covers, key=lambda g: (len(covers[g] & uncovered), best[g]))
        if not covers[g] & uncovered:
            break
        for j in sorted(covers[g] & uncovered):
            fits = [i for i in range(len(scores))
                    if groups[i] == g and ranks[j][i] < served_top and i not in picked]  # fmt: skip
            if fits and len(picked) < K:
                picked.append(max(fits, key=lambda i: scores[i]))
        uncovered -= covers[g]
    return picked + [int(i) for i in np.argsort(-scores, kind="stable") if int(i) not in picked]


def half(rid: str) -> int:
    return hashlib.sha256(rid.encode()).digest()[1] % 2


def two_fold(
    data: list[Row],
    fitter: Callable[[list[Row]], Scorer],
    order: Callable[[Array, Row], list[int]] | None = None,
) -> dict[int, float]:
    """recall@5 per pool size, each half scored by the model fitted on the other."""
    shares: dict[int, list[float]] = {s: [] for s in SIZES}
    for held in (0, 1):
        inside = [r for r in data
                  if r.table is not None and r.size in FIT_SIZES and half(r.rid) != held]  # fmt: skip
        scorer = fitter(inside)
        for r in (r for r in data if half(r.rid) == held):
            if r.table is None:
                top = list(range(K))
            else:
                scores = scorer(r)
                top = order(scores, r) if order else list(np.argsort(-scores, kind="stable"))
            shares[r.size].append(float(r.labels[top[:K]].sum()) / r.gold)
    return {s: float(np.mean(v)) for s, v in shares.items()}


def main() -> None:
    data = rows()
    linear = lambda rs: fit_linear(rs, plain)  # noqa: E731
    variants: list[tuple[str, Callable[[list[Row]], Scorer], Callable[[Array, Row], list[int]] | None]] = [
        ("linear (shipped)", linear, None),
        ("linear, + pairwise features", lambda rs: fit_linear(rs, pairwise), None),
        ("MLP 8 hidden", lambda rs: fit_mlp(rs, plain), None),
        ("MLP 8 hidden, + pairwise features", lambda rs: fit_mlp(rs, pairwise), None),
        ("MLP 16 hidden", lambda rs: fit_mlp(rs, plain, hidden=16), None),
        *((f"linear, provider penalty {p}", linear,
           lambda s, r, p=p: provider_penalty(s, r, p)) for p in (0.1, 0.3)),
        *((f"linear, provider-first cover (part's {n} best)", linear,
           lambda s, r, n=n: provider_first(s, r, n)) for n in (1, 2, 3)),
    ]  # fmt: skip
    print(f"{len(data)} train rows; two-fold recall@5 at " + " / ".join(map(str, SIZES)))
    for name, fitter, order in variants:
        got = two_fold(data, fitter, order)
        print(f"{name:<48} " + " / ".join(f"{got[s]:.3f}" for s in SIZES), flush=True)


if __name__ == "__main__":
    main()
