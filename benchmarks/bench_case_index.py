"""The case bank's own index (IVF-flat, ``memory/_index.py``) against chromadb's HNSW, same run.

    python benchmarks/bench_case_index.py                      # 1k, 10k, 100k cases
    python benchmarks/bench_case_index.py --sizes 1000 10000   # quicker

Issue 18's rule: the home-made index stays only if it beats the engine's own index *at equal
recall*. Both are swept over their one knob — the share of rows the IVF lists scan, chromadb's
``ef_search`` — and every setting's recall@8 (against an exact numpy scan of the same vectors)
and query cost are reported; the verdict compares, per bank size, the cheapest setting of each
that reaches the same recall (0.95 and 0.99).

The cases are synthetic but shaped like real ones: every request of the repository's request
sets (planning, its dev sets, knowledge-base routing) embedded with MiniLM, and each case a
paraphrase-like neighbour of one of them (its vector plus noise, cosine ~0.75-0.93 to the
request), so the bank has the clumps a real bank has — many cases of one kind of request — and
the queries (fresh neighbours of the same requests) have close neighbours that are not trivial.
Query cost is CPU time per query in this process (chromadb's query runs in its Rust core, in
this process too), so a loaded machine shifts both alike; wall p50 is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import structlog

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))

from agentroute.memory import _index  # noqa: E402
from agentroute.memory._index import VectorIndex  # noqa: E402

HERE = Path(__file__).parent
RESULTS = HERE / "results"
K = 8
REQUEST_SETS = [
    HERE / "planning" / "requests.jsonl",
    *sorted((HERE / "planning" / "dev").glob("*.jsonl")),
    *sorted((HERE / "kb_routing").glob("*.jsonl")),
]
SCAN_SHARES = [0.02, 0.05, 0.10, 0.20]
EF_SEARCH = [10, 25, 50, 100, 200, 400]
TARGETS = [0.95, 0.99]
REPEATS = 2
SMALL_LISTS = 1024
"""``ivf_min_rows`` of the variant that builds lists below the default threshold."""


def request_texts() -> list[str]:
    seen: dict[str, None] = {}
    for path in REQUEST_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            for key in ("request", "question", "text"):
                value = row.get(key)
                for text in [value] if isinstance(value, str) else value or []:
                    if isinstance(text, str):
                        seen.setdefault(text.strip(), None)
            for turn in row.get("turns", []) or []:
                if isinstance(turn, str):
                    seen.setdefault(turn.strip(), None)
                elif isinstance(turn, dict) and isinstance(turn.get("request"), str):
                    seen.setdefault(turn["request"].strip(), None)
    return [t for t in seen if t]


def request_vectors() -> np.ndarray:
    from agentroute.embeddings import default_embedder

    texts = request_texts()
    emb = default_embedder()
    vecs = np.asarray(emb.embed(texts), dtype=np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def neighbours(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` paraphrase-like neighbours of the request vectors: a request plus noise."""
    rng = np.random.default_rng(seed)
    pick = base[rng.integers(0, len(base), n)]
    noise = rng.standard_normal(pick.shape).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    scale = rng.uniform(0.4, 0.9, (n, 1)).astype(np.float32)
    out = pick + scale * noise
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def clustered(n: int, seed: int, dim: int = 384) -> np.ndarray:
    """The hard case (``bench_memory``'s vectors): unit vectors around 200 random centres with
    as much noise as signal, where approximate indexes lose recall."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((200, dim)).astype(np.float32)
    x = c[rng.integers(0, 200, n)] + rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def measure(
    fn: Callable[[np.ndarray], list[str]], qs: np.ndarray, truth: list[set[str]]
) -> dict[str, float]:
    """recall@K, and the query cost: the lower of two passes over the queries (a loaded
    machine only ever adds time)."""
    passes = []
    for _ in range(REPEATS):
        cpu, wall, hit = [], [], 0
        for q, tr in zip(qs, truth, strict=True):
            c0, w0 = time.process_time(), time.perf_counter()
            ids = fn(q)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            hit += len(set(ids) & tr)
        passes.append((statistics.fmean(cpu), statistics.median(wall), hit))
    return {
        f"recall@{K}": round(passes[0][2] / (K * len(qs)), 4),
        "cpu_ms_mean": round(min(p[0] for p in passes) * 1e3, 3),
        "wall_p50_ms": round(min(p[1] for p in passes) * 1e3, 3),
    }


def bench_size(n: int, base: np.ndarray | None, root: Path, n_queries: int) -> dict[str, Any]:
    if base is not None:
        x = neighbours(base, n, seed=n)
        qs = neighbours(base, n_queries, seed=n + 1)
    else:
        both = clustered(n + n_queries, seed=n)
        x, qs = both[:n], both[n:]
    ids = [f"c{i}" for i in range(n)]
    truth = [{ids[i] for i in np.argsort(-(x @ q))[:K]} for q in qs]
    out: dict[str, Any] = {
        "vectors": "requests" if base is not None else "clustered",
        "cases": n,
        "queries": n_queries,
    }

    t = time.process_time()
    index = VectorIndex(x.shape[1])
    index.add_many(ids, x, np.ones(n, dtype=bool))
    out["home_build_cpu_s"] = round(time.process_time() - t, 2)
    out["exact_numpy"] = measure(lambda q: [c for c, _ in index.exact_search(q, K)], qs, truth)
    home = []
    saved = _index._SCAN_SHARE
    small = None
    if n < _index._IVF_MIN_ROWS:  # the default is an exact scan here; lists built anyway too
        small = VectorIndex(x.shape[1], ivf_min_rows=SMALL_LISTS)
        small.add_many(ids, x, np.ones(n, dtype=bool))
    try:
        for share in SCAN_SHARES:
            _index._SCAN_SHARE = share
            for built, idx in ((False, index), (True, small)):
                if idx is None:
                    continue
                row = measure(lambda q, idx=idx: [c for c, _ in idx.search(q, K)], qs, truth)
                default = share == saved and not built
                home.append({"scan_share": share, "lists_forced": built, "default": default, **row})
    finally:
        _index._SCAN_SHARE = saved
    out["home_ivf"] = home

    import chromadb
    from chromadb.config import Settings

    path = root / f"chroma-{out['vectors']}-{n}"
    client = chromadb.PersistentClient(str(path), settings=Settings(anonymized_telemetry=False))
    col = client.create_collection(
        "cases-bench", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    t = time.process_time()
    for a in range(0, n, 2000):
        col.add(ids=ids[a : a + 2000], embeddings=x[a : a + 2000])
    out["hnsw_build_cpu_s"] = round(time.process_time() - t, 2)
    hnsw = []
    for ef in EF_SEARCH:
        col.modify(configuration={"hnsw": {"ef_search": ef}})
        col = client.get_collection("cases-bench", embedding_function=None)

        def query(q: np.ndarray, col: Any = col) -> list[str]:
            return list(col.query(query_embeddings=[q], n_results=K, include=[])["ids"][0])

        query(qs[0])  # the first query after a change loads the index
        hnsw.append({"ef_search": ef, **measure(query, qs, truth)})
    out["chroma_hnsw"] = hnsw
    del col, client
    shutil.rmtree(path, ignore_errors=True)

    verdict = []
    for target in TARGETS:

        def cheapest(rows: list[dict[str, Any]], target: float = target) -> dict[str, Any] | None:
            ok = [r for r in rows if r[f"recall@{K}"] >= target]
            return min(ok, key=lambda r: r["cpu_ms_mean"]) if ok else None

        h, c = cheapest(home), cheapest(hnsw)
        winner = (
            "home"
            if h and (not c or h["cpu_ms_mean"] <= c["cpu_ms_mean"])
            else ("chroma" if c else "neither")
        )
        verdict.append({"recall_target": target, "home": h, "chroma": c, "faster": winner})
    shipped = next(h for h in home if h["default"])
    match = [c for c in hnsw if c[f"recall@{K}"] >= shipped[f"recall@{K}"]]
    rival = min(match, key=lambda c: c["cpu_ms_mean"]) if match else None
    verdict.append(
        {
            "recall_target": f"shipped index's {shipped[f'recall@{K}']}",
            "home": shipped,
            "chroma": rival,
            "faster": "home"
            if rival is None or shipped["cpu_ms_mean"] <= rival["cpu_ms_mean"]
            else "chroma",
        }
    )
    out["verdict"] = verdict
    return out


def table(results: list[dict[str, Any]]) -> None:
    print(f"\nCase index: recall@{K} and query cost, home-made IVF vs chromadb HNSW (same run)")
    print(
        f"{'vectors':<9} {'cases':>7} {'index':<30} {'recall@8':>8} {'CPU ms':>8} {'wall p50':>9}"
    )
    for r in results:
        print(
            f"{r['vectors']:<9} {r['cases']:>7} {'exact numpy':<30} {r['exact_numpy']['recall@8']:>8} "
            f"{r['exact_numpy']['cpu_ms_mean']:>8} {r['exact_numpy']['wall_p50_ms']:>9}"
        )
        for h in r["home_ivf"]:
            name = f"IVF scan {h['scan_share']:.2f}" + (" (default)" if h["default"] else "")
            name += f" lists from {SMALL_LISTS}" if h["lists_forced"] else ""
            print(
                f"{'':<9} {'':>7} {name:<30} {h['recall@8']:>8} {h['cpu_ms_mean']:>8} "
                f"{h['wall_p50_ms']:>9}"
            )
        for c in r["chroma_hnsw"]:
            name = f"HNSW ef_search {c['ef_search']}"
            print(
                f"{'':<9} {'':>7} {name:<30} {c['recall@8']:>8} {c['cpu_ms_mean']:>8} "
                f"{c['wall_p50_ms']:>9}"
            )
    print("\nAt equal recall (cheapest setting reaching it; CPU ms per query):")
    for r in results:
        for v in r["verdict"]:
            h, c = v["home"], v["chroma"]
            hs = f"IVF {h['scan_share']:.2f}: {h['cpu_ms_mean']} ms" if h else "IVF: not reached"
            hs += " (lists forced)" if h and h["lists_forced"] else ""
            cs = f"HNSW ef {c['ef_search']}: {c['cpu_ms_mean']} ms" if c else "HNSW: not reached"
            print(
                f"  {r['vectors']:<9} {r['cases']:>7} cases, recall >= {v['recall_target']}: "
                f"{hs} | {cs} -> faster: {v['faster']}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    base = request_vectors()
    print(f"{len(base)} distinct requests embedded (MiniLM)", flush=True)
    root = Path(tempfile.mkdtemp(prefix="bench-case-index-"))
    results = []
    try:
        for vectors in (base, None):
            for n in args.sizes:
                results.append(bench_size(n, vectors, root, args.queries))
                print(f"{n} cases done", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    table(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "case_index.json").write_text(
        json.dumps({"machine": {"cpus": 2}, "requests": len(base), "sizes": results}, indent=1)
    )


if __name__ == "__main__":
    main()
