"""Fit the preselection's score fusion on the train split of bench_preselection.py's set.

    python benchmarks/fit_preselection.py [--sizes 300,1000,2479] [--write]

Per train request and pool size, every candidate target of `preselect`'s searches becomes one
row of `agentroute.targets._fusion.FEATURES`, labelled by whether it is a gold tool. A
listwise ranker (numpy: softmax over each request's candidates, L2) is fitted on them, and the
shares of the greedy choice (`agentroute.targets._fusion.choose`) picked; recall@5 is reported
in-sample and by 2-fold cross-validation over train requests, against the hand-set shares.
Only train requests are read. With ``--write`` the model goes to
agentroute/targets/preselect_weights.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_preselection import K, load, pool

from agentroute.embeddings import default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets._fusion import FEATURES, WEIGHTS_FILE, Fusion, features
from agentroute.targets._index import EncodedQuery, TargetIndex
from agentroute.targets._preselect import preselect, searches, signals

L2 = 1e-3
SHARES = (
    (0.5, 1.0, 1.0),
    (0.5, 1.0, 2.0),
    (0.5, 0.5, 1.0),
    (1.0, 1.0, 1.0),
    (0.5, 1.5, 1.0),
)
"""The (redundancy, sibling, coverage) shares of `choose` tried by cross-validation. Coverage
is never 0: without it (and no part's first forced in, ``--per-part 0``) the train split
scored 0.4 points higher at 1,000 tools, but a part with several look-alike tools can then
fill the whole list and leave another part with none."""


def fit(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    starts: npt.NDArray[np.int64],
    l2: float = L2,
    steps: int = 300,
) -> Fusion:
    """A listwise ranker: per request, the softmax over its candidates, and the loss the mean
    over its gold tools of their -log probability (Adam steps, L2). ``starts``: where each
    request's rows begin."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    owner = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(z)]))
    wanted = y / np.add.reduceat(y, starts)[owner]
    w, m1, m2 = np.zeros(z.shape[1]), np.zeros(z.shape[1]), np.zeros(z.shape[1])
    for t in range(1, steps + 1):
        s = z @ w
        s = np.exp(s - np.maximum.reduceat(s, starts)[owner])
        p = s / np.add.reduceat(s, starts)[owner]
        grad = z.T @ (p - wanted) / len(starts) + l2 * w
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= 0.05 * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-8)
    return Fusion(mean=mean, scale=scale, weights=w)


def fold(request_id: str) -> int:
    return int(hashlib.sha256(request_id.encode()).hexdigest(), 16) % 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,1000,2479")
    parser.add_argument("--per-part", type=int, default=0)
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    args = parser.parse_args()
    descriptors, requests = load()
    requests = [r for r in requests if r["split"] == "train"]  # never the test split
    by_name = {d.name: d for d in descriptors.values()}
    embedder = default_embedder()
    tmp = Path(os.environ.get("AGENTROUTE_BENCH_CACHE", tempfile.gettempdir()))
    cache = TextVectorCache(tmp / "agentroute-bench-preselection.sqlite")
    queries_path = tmp / "agentroute-fit-preselection-queries.pkl"
    encoded: dict[str, EncodedQuery] = {}
    if queries_path.exists():
        encoded = pickle.loads(queries_path.read_bytes())
    encoder = TargetIndex(embedder)

    def encode(text: str) -> EncodedQuery:
        if text not in encoded:
            encoded[text] = encoder.encode_query(text)
        return encoded[text]

    pools: list[tuple[TargetIndex, list[dict[str, Any]], list[set[int]]]] = []
    rows_x, rows_y, rows_fold = [], [], []
    for size in (int(s) for s in args.sizes.split(",")):
        names, taken = pool(descriptors, requests, size)
        index = TargetIndex(embedder, cache=cache)
        index.add(by_name[n] for n in names)
        m = index._matrix()
        golds = []
        for r in taken:
            gold = {m.position[descriptors[tuple(g)].name] for g in r["gold"]}  # type: ignore[index]
            golds.append(gold)
            whole, parts = searches(index, r["query"], K, encode=encode)
            cands, x = features(m.groups, signals(m, whole), [signals(m, p) for p in parts])
            if not np.isin(cands, list(gold)).any():
                continue  # nothing to learn: no gold tool among the candidates
            rows_x.append(x)
            rows_y.append(np.isin(cands, list(gold)).astype(np.float64))
            rows_fold.append(np.full(len(cands), fold(r["id"])))
        pools.append((index, taken, golds))
    queries_path.write_bytes(pickle.dumps(encoded))
    print(f"{sum(map(len, rows_x))} rows, {int(sum(y.sum() for y in rows_y))} gold candidates")

    def fitted(only: int | None, shares: tuple[float, float, float]) -> Fusion:
        """Fitted on the requests outside fold ``only`` (all: None), with ``shares``."""
        kept = [i for i, f in enumerate(rows_fold) if only is None or f[0] != only]
        x = np.concatenate([rows_x[i] for i in kept])
        y = np.concatenate([rows_y[i] for i in kept])
        starts = np.cumsum([0] + [len(rows_x[i]) for i in kept[:-1]]).astype(np.int64)
        model = fit(x, y, starts, args.l2)
        # a memory prior is on the rank scores' scale: what one unit of the best part's rank
        # score is worth in fused score, among each request's 20 best (median over requests)
        ratios = []
        for i in kept:
            fused = model.score(rows_x[i])
            top = np.argsort(-fused)[:20]
            spread = rows_x[i][top, FEATURES.index("part_rank")].std()
            if spread > 0:
                ratios.append(fused[top].std() / spread)
        scale = round(float(np.median(ratios)), 2)
        return Fusion(model.mean, model.scale, model.weights, *shares, prior_scale=scale)

    def recall(model: Fusion | None, only: int | None = None) -> list[float]:
        out = []
        for index, taken, golds in pools:
            shares = []
            for r, gold in zip(taken, golds, strict=True):
                if only is not None and fold(r["id"]) != only:
                    continue
                hits = preselect(index, r["query"], k=K, encode=encode, fusion=model,
                                 per_part=None if model is None else args.per_part)  # fmt: skip
                got = {index._matrix().position[h.descriptor.name] for h in hits}
                shares.append(len(got & gold) / len(gold))
            out.append(round(float(np.mean(shares)), 4))
        return out

    print("hand-set shares", recall(None), flush=True)
    held_out = {f: fitted(1 - f, (0.0, 0.0, 0.0)) for f in (0, 1)}  # fitted on the other fold
    best, best_mean = SHARES[0], -1.0
    for shares in SHARES:
        folds = [recall(replace(held_out[f], redundancy=shares[0], sibling=shares[1],
                                coverage=shares[2]), only=f) for f in (0, 1)]  # fmt: skip
        cv = [round(float(np.mean(c)), 4) for c in zip(*folds, strict=True)]
        print(f"fusion, 2-fold CV, redundancy/sibling/coverage {shares}: {cv}", flush=True)
        if float(np.mean(cv)) > best_mean:
            best, best_mean = shares, float(np.mean(cv))
    model = fitted(None, best)
    print(f"fusion, in-sample, {best}:", recall(model))
    print(dict(zip(FEATURES, model.weights.round(3).tolist(), strict=True)))
    if args.write:
        args.out.write_text(json.dumps({
            "fitted": "benchmarks/fit_preselection.py on bench_preselection.py's train split",
            "sizes": args.sizes, "l2": args.l2, "per_part": args.per_part, **model.to_json(),
        }, indent=1) + "\n")  # fmt: skip
        print(f"wrote {args.out}")
    cache.close()


if __name__ == "__main__":
    main()
