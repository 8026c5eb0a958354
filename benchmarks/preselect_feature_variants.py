"""Word features preselection's re-ranker could weigh beside its own, measured on the train split.

    python benchmarks/preselect_feature_variants.py

Session 21 (issue 13) read 30 of the train misses at 2,479 tools by hand: most are a gold
provider missing from the top 5 while a near-identical one (QR codes, weather, e-mail
checkers, movie databases) took its slot; a few name their provider ("using the tes API"),
a product or a parameter. Each feature below is one column added to the re-ranker's
(`agentroute.targets._rerank.FEATURES`), fitted as ``train_preselect_rerank.py`` fits it, on
one half of the 1,000- and 2,479-tool pools' train requests and scored on the other half,
over four different two-fold splits (a single split moves by a request's worth, 0.9 points at
1,000 tools, 0.3 at 2,479). The test split is never read here.

Session 21's run (300 / 1,000 / 2,479 tools), each over the shipped features, which now
include the server's coverage (0.923 / 0.897 / 0.808; without it 0.923 / 0.897 / 0.803, every
one of the four splits at 2,479 equal or higher): the tool's own coverage 0.923 / 0.899 /
0.808, the parameters' names' 0.921 / 0.895 / 0.808, the provider's name's 0.923 / 0.894 /
0.808, the best part's server coverage 0.921 / 0.899 / 0.808, the share of parts whose server
coverage is at least half the best's 0.921 / 0.895 / 0.805. Measured the same way in the
session with its own word reader, and dropped too: request words only the candidate's
provider holds among the candidates' providers (0.921 / 0.895 / 0.809), a tool's words none of
its sibling candidates hold (0.917 / 0.898 / 0.810), the provider's whole name as a phrase,
followed by "API" / "account" / "platform" (0.921 / 0.895 / 0.805), the request's kinds of
value (e-mail, URL, id, number) against the tool's parameter names (0.923 / 0.896 / 0.806); and
(one split, before the server's coverage: 0.804 at 2,479) a cap on each provider's slots in
the top 5 (2 / 3 / 4: 0.732 / 0.785 / 0.798; the best cap per request, known in advance, only
0.825). None moves recall@5 beyond a request's
worth, so none ships.
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

import train_preselect_rerank
from bench_preselection import load, pool

from agentroute.embeddings import default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets._index import TargetIndex, _Matrix
from agentroute.targets._preselect import CANDIDATES, candidate_table, request_parts
from agentroute.targets._rerank import feature_table
from agentroute.targets._texts import retrieval_text
from agentroute.text import LexicalIndex

SIZES = (300, 1000, 2479)
FIT_SIZES = (1000, 2479)
SPLITS = (1, 2, 3, 4)
K = 5
Array = npt.NDArray[np.float64]
Feature = Callable[[_Matrix, str, npt.NDArray[np.int64]], Array]


def _params(m: _Matrix) -> LexicalIndex:
    return LexicalIndex([" ".join(d.input_schema.get("properties", {})) for d in m.descriptors])


def _providers(m: _Matrix) -> LexicalIndex:
    return LexicalIndex([d.server or "" for d in m.descriptors])


def _part_coverages(m: _Matrix, request: str) -> Array:
    """Per server, its coverage of each part (one row per part)."""
    parts = request_parts(request) or [request]
    return np.stack([m.server_lexical.coverage(retrieval_text(p)) for p in parts])


def _covered_parts(m: _Matrix, request: str) -> Array:
    per_part = _part_coverages(m, request)
    best = per_part.max(axis=1, keepdims=True)
    covered: Array = ((per_part > 0) & (per_part >= 0.5 * best)).mean(axis=0)
    return covered


FEATURES: dict[str, Feature] = {
    "tool coverage": lambda m, q, pos: m.lexical.coverage(retrieval_text(q))[pos],
    "parameter names' coverage": lambda m, q, pos: _params(m).coverage(q)[pos],
    "provider name's coverage": lambda m, q, pos: _providers(m).coverage(q)[pos],
    "best part's server coverage": lambda m, q, pos: _part_coverages(m, q).max(axis=0)[
        m.groups[pos]
    ],
    "parts half-covered by the server": lambda m, q, pos: _covered_parts(m, q)[m.groups[pos]],
}


@dataclass
class Row:
    """One train request in one pool: the shipped features and each variant's column."""

    rid: str
    size: int
    table: Array | None
    extra: dict[str, Array]
    labels: Array
    gold: int


def rows() -> list[Row]:
    descriptors, requests = load()
    by_name = {d.name: d for d in descriptors.values()}
    cache_dir = Path(os.environ.get("AGENTROUTE_BENCH_CACHE", tempfile.gettempdir()))
    cache = TextVectorCache(cache_dir / "agentroute-bench-preselection.sqlite")
    out: list[Row] = []
    for size in SIZES:
        names, taken = pool(descriptors, requests, size)
        index = TargetIndex(default_embedder(), cache=cache)
        index.add(by_name[n] for n in names)
        m = index._matrix()
        for r in (r for r in taken if r["split"] == "train"):
            gold = {descriptors[tuple(g)].name for g in r["gold"]}  # type: ignore[index]
            _, _, positions, base = candidate_table(index, r["query"], candidates=CANDIDATES)
            labels = np.array([m.names[int(i)] in gold for i in positions], dtype=np.float64)
            table, extra = None, {}
            if base is not None:
                table = feature_table(base, m.groups[positions])
                extra = {name: f(m, r["query"], positions) for name, f in FEATURES.items()}
            out.append(Row(r["id"], size, table, extra, labels, len(gold)))
    cache.close()
    return out


def recall(data: list[Row], feature: str | None) -> Array:
    """recall@5 per pool size, mean over `SPLITS` two-fold splits of the train requests."""

    def table(r: Row) -> Array:
        assert r.table is not None
        return r.table if feature is None else np.column_stack([r.table, r.extra[feature]])

    means = []
    for byte in SPLITS:
        shares: dict[int, list[float]] = {s: [] for s in SIZES}
        for held in (0, 1):
            half = [hashlib.sha256(r.rid.encode()).digest()[byte] % 2 == held for r in data]
            inside = [(r.rid, table(r), r.labels, r.gold) for r, h in zip(data, half, strict=True)
                      if not h and r.table is not None and r.size in FIT_SIZES]  # fmt: skip
            model = train_preselect_rerank.fit(inside)
            for r in (r for r, h in zip(data, half, strict=True) if h):
                top = range(K) if r.table is None else np.argsort(-model.scores(table(r)))[:K]
                shares[r.size].append(float(r.labels[list(top)].sum()) / r.gold)
        means.append([np.mean(shares[s]) for s in SIZES])
    return np.asarray(means).mean(axis=0)


def main() -> None:
    data = rows()
    print(f"{len(data)} train rows; recall@5 at " + " / ".join(map(str, SIZES)))
    for feature in (None, *FEATURES):
        got = recall(data, feature)
        print(f"{feature or 'shipped':<36} " + " / ".join(f"{v:.3f}" for v in got), flush=True)


if __name__ == "__main__":
    main()
