"""Ways of querying for preselection, measured on the train split (issue 13, session 22).

    python benchmarks/preselect_query_variants.py

Each variant changes how a request is searched, the shipped re-ranker kept, and is scored by
recall@5 on the train requests of bench_preselection.py's 1,000- and 2,479-tool pools (the
test split is never read here):

* ``shipped``: `agentroute.targets.preselect` as a turn calls it.
* ``each part's best first``: each clause's own best tool placed first, then the re-ranked
  rest (round-robin over the clauses' top tools); ``two per part``: its two best.
* ``pseudo-relevance feedback``: each text's vector moved towards its best tools' texts
  (Rocchio: ``q + beta * mean(top n)``, renormalised) before it is searched.

Session 22's figures, measured with this code in a scratch harness before it became this
script, and before tool names written together were read as words (shipped 0.894 / 0.812): each part's best first 0.894 / 0.812 (what the re-ranker already puts first), two per
part 0.879 / 0.789, feedback beta 0.3 over 3 tools 0.895 / 0.807, beta 0.6 over 3 0.892 /
0.806, beta 0.3 over 8 0.894 / 0.805. None ships.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_preselection import load, pool

from agentroute.embeddings import default_embedder, top_k
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets import preselect
from agentroute.targets._index import EncodedQuery, TargetIndex

SIZES = (1000, 2479)
K = 5
Encode = Callable[[str], EncodedQuery]


def feedback(index: TargetIndex, encode: Encode, beta: float, n: int) -> Encode:
    """``encode`` with each vector moved towards the best texts of its ``n`` best tools."""
    m = index._matrix()

    def encoded(text: str) -> EncodedQuery:
        query = encode(text)
        cosines = m.rows @ query.vector
        best = top_k(np.maximum.reduceat(cosines, m.starts), n)
        rows = [int(m.starts[i]) + int(np.argmax(cosines[m.starts[i] : m.starts[i] + int(m.counts[i])]))
                for i in best]  # fmt: skip
        vector = query.vector + beta * m.rows[rows].mean(axis=0)
        return dataclasses.replace(
            query, vector=(vector / np.linalg.norm(vector)).astype(np.float32)
        )

    return encoded


def main() -> None:
    descriptors, requests = load()
    by_name = {d.name: d for d in descriptors.values()}
    embedder = default_embedder()
    cache_dir = Path(os.environ.get("AGENTROUTE_BENCH_CACHE", tempfile.gettempdir()))
    cache = TextVectorCache(cache_dir / "agentroute-bench-preselection.sqlite")
    encoder = TargetIndex(embedder)
    seen: dict[str, EncodedQuery] = {}

    def encode(text: str) -> EncodedQuery:
        if text not in seen:
            seen[text] = encoder.encode_query(text)
        return seen[text]

    results: dict[str, list[float]] = {}
    for size in SIZES:
        names, taken = pool(descriptors, requests, size)
        index = TargetIndex(embedder, cache=cache)
        index.add(by_name[n] for n in names)
        train = [r for r in taken if r["split"] == "train"]
        variants: dict[str, dict[str, object]] = {
            "shipped": {},
            "each part's best first": {"per_part": 1},
            "two per part": {"per_part": 2},
            "feedback beta 0.3 over 3": {"encode": feedback(index, encode, 0.3, 3)},
            "feedback beta 0.6 over 3": {"encode": feedback(index, encode, 0.6, 3)},
            "feedback beta 0.3 over 8": {"encode": feedback(index, encode, 0.3, 8)},
        }
        for name, options in variants.items():
            shares = []
            for r in train:
                gold = {descriptors[tuple(g)].name for g in r["gold"]}  # type: ignore[index]
                kwargs = {"encode": encode, **options}
                top = [h.descriptor.name for h in preselect(index, r["query"], k=K, **kwargs)]  # type: ignore[arg-type]
                shares.append(len(gold & set(top)) / len(gold))
            results.setdefault(name, []).append(float(np.mean(shares)))
    cache.close()
    print("recall@5 on train at " + " / ".join(map(str, SIZES)))
    for name, values in results.items():
        print(f"{name:<28} " + " / ".join(f"{v:.3f}" for v in values))


if __name__ == "__main__":
    main()
