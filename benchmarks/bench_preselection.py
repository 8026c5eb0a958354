"""Tool preselection at scale, on an external set: recall@5 and search time at 300 / 1,000 /
2,479 tools.

    python benchmarks/bench_preselection.py [--split train|test|all] [--sizes 300,1000,2479]

The set is StableToolBench's solvable requests (data/stabletoolbench/, written by others):
2,479 real RapidAPI APIs grouped by provider, each provider an MCP-like server, and 765
multi-sentence requests with 1-6 gold APIs. For a pool of N tools, requests are taken in a
fixed shuffled order while their gold tools fit in half the pool, and the rest of the pool is
filled with other tools (distractors, in the same fixed order); at 2,479 every tool and every
request is in.

**recall@5** is, per request, the share of its gold tools among the five tools retrieved,
averaged over requests (a request with gold {a, b} and only a in the top 5 counts 0.5).
Search time is per request with the request already encoded (the planner encodes each clause
once), median of a few runs; encoding is reported apart.

Methods, in the same run: the preselection (`agentroute.targets.preselect`: each sentence /
clause scored on its own, each one's best first, with its own BM25 share; what a turn's
shortlist shows the planner), the target index as shipped on the whole request
(`TargetIndex.search_encoded`), plain MiniLM cosine (the index with every aid off) and BM25
over the same texts plus argument names. Tune on ``--split train`` only. Results:
benchmarks/results/preselection.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_tool_retrieval import BM25

from agentroute.embeddings import default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets import preselect
from agentroute.targets._index import EncodedQuery, TargetIndex, descriptor_texts
from agentroute.targets._texts import _schema_words
from agentroute.types import TargetDescriptor, TargetKind

DATA = Path(__file__).resolve().parent.parent / "data" / "stabletoolbench"
RESULTS = Path(__file__).resolve().parent / "results" / "preselection.json"
SIZES = (300, 1000, 2479)
K = 5
REPEATS = 3
SEED = 13


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


def load() -> tuple[dict[tuple[str, str], TargetDescriptor], list[dict[str, Any]]]:
    """The tools as MCP-like descriptors (server = provider) and the requests."""
    descriptors: dict[tuple[str, str], TargetDescriptor] = {}
    names: set[str] = set()
    for line in (DATA / "tools.jsonl").read_text().splitlines():
        t = json.loads(line)
        name = f"{slug(t['provider'])}.{slug(t['api'])}"
        while name in names:
            name += "_"
        names.add(name)
        params = [*t["required"], *t["optional"]]
        schema = {
            "type": "object",
            "properties": {
                p["name"]: {"type": str(p.get("type", "string")).lower(),
                            "description": p.get("description") or ""}
                for p in params
            },
            "required": [p["name"] for p in t["required"]],
        }  # fmt: skip
        descriptors[(t["provider"], t["api"])] = TargetDescriptor(
            name=name,
            kind=TargetKind.TOOL,
            description=t["description"].strip(),
            input_schema=schema,
            server=t["provider"].strip(),
        )
    requests = [json.loads(line) for line in (DATA / "requests.jsonl").read_text().splitlines()]
    return descriptors, requests


def pool(
    descriptors: dict[tuple[str, str], TargetDescriptor], requests: list[dict[str, Any]], size: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """``size`` tool names and the requests whose gold tools are all among them."""
    rng = random.Random(SEED)
    order = list(requests)
    rng.shuffle(order)
    tools = [d.name for d in descriptors.values()]
    rng.shuffle(tools)
    if size >= len(tools):
        return tools, order
    chosen: dict[str, None] = {}
    taken = []
    for r in order:
        gold = [descriptors[tuple(g)].name for g in r["gold"]]  # type: ignore[index]
        if len(chosen) + len([g for g in gold if g not in chosen]) > size // 2:
            continue
        chosen.update(dict.fromkeys(gold))
        taken.append(r)
    for name in tools:
        if len(chosen) >= size:
            break
        chosen.setdefault(name)
    return list(chosen), taken


def timed(fn: Any) -> tuple[list[str], float, float]:
    """The result, and the median wall and CPU time of ``REPEATS`` runs (ms): on a shared
    machine the wall time mostly measures the others' load, the CPU time what it costs."""
    walls, cpus = [], []
    out: list[str] = []
    for _ in range(REPEATS):
        started, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return out, statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("train", "test", "all"), default="all")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--methods", default="", help="comma-separated subset of methods")
    args = parser.parse_args()
    descriptors, requests = load()
    by_name = {d.name: d for d in descriptors.values()}
    embedder = default_embedder()
    cache_path = Path(os.environ.get("AGENTROUTE_BENCH_CACHE", tempfile.gettempdir()))
    cache = TextVectorCache(cache_path / "agentroute-bench-preselection.sqlite")
    splits = ("train", "test") if args.split == "all" else (args.split,)

    encoder = TargetIndex(embedder)
    encoded: dict[str, EncodedQuery] = {}
    encode_ms: list[float] = []

    def encode(text: str) -> EncodedQuery:
        query = encoded.get(text)
        if query is None:
            started = time.perf_counter()
            query = encoded[text] = encoder.encode_query(text)
            encode_ms.append((time.perf_counter() - started) * 1000)
        return query

    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        names, taken = pool(descriptors, requests, size)
        taken = [r for r in taken if r["split"] in splits]
        members = [by_name[n] for n in names]
        started = time.perf_counter()
        index = TargetIndex(embedder, cache=cache)
        index.add(members)
        build_s = time.perf_counter() - started
        cosine = TargetIndex(embedder, token_weight=0.0, argument_bonus=0.0, server_weight=0.0,
                             cache=cache)  # fmt: skip
        cosine.add(members)
        bm25 = BM25({d.name: " ".join([*descriptor_texts(d), _schema_words(d.input_schema)])
                     for d in members})  # fmt: skip
        methods: dict[str, Any] = {
            "preselection (per part)": lambda r, i=index: [
                h.descriptor.name for h in preselect(i, r["query"], k=K, encode=encode)
            ],
            "target index, whole request": lambda r, i=index: [
                h.descriptor.name for h in i.search_encoded(encode(r["query"]), k=K)
            ],
            "MiniLM cosine": lambda r, i=cosine: [
                h.descriptor.name for h in i.search_encoded(encode(r["query"]), k=K)
            ],
            "BM25": lambda r, b=bm25: b.search(r["query"], K),
        }
        wanted = [m.strip() for m in args.methods.split(",") if m.strip()]
        for method, rank in methods.items():
            if wanted and not any(w in method for w in wanted):
                continue
            for r in taken:  # encode outside the timing
                rank(r)
            for split in splits:
                part = [r for r in taken if r["split"] == split]
                shares, times, cpus = [], [], []
                for r in part:
                    gold = {descriptors[tuple(g)].name for g in r["gold"]}  # type: ignore[index]
                    top, ms, cpu = timed(lambda r=r, rank=rank: rank(r))
                    shares.append(len(gold & set(top[:K])) / len(gold))
                    times.append(ms)
                    cpus.append(cpu)
                rows.append({
                    "tools": len(names), "split": split, "requests": len(part), "method": method,
                    "recall@5": float(np.mean(shares)) if shares else 0.0,
                    "all_gold@5": float(np.mean([s == 1.0 for s in shares])) if shares else 0.0,
                    "search_p50_ms": float(np.percentile(times, 50)) if times else 0.0,
                    "search_p95_ms": float(np.percentile(times, 95)) if times else 0.0,
                    "search_cpu_p50_ms": float(np.percentile(cpus, 50)) if cpus else 0.0,
                    "index_build_s": build_s,
                })  # fmt: skip
                r_ = rows[-1]
                print(f"{r_['tools']:>5} {split:<5} {r_['requests']:>4}  {method:<34}"
                      f" R@5 {r_['recall@5']:.3f}  all@5 {r_['all_gold@5']:.3f}"
                      f"  search p50 {r_['search_p50_ms']:6.2f} ms"
                      f" p95 {r_['search_p95_ms']:6.2f} ms"
                      f"  cpu p50 {r_['search_cpu_p50_ms']:6.2f} ms", flush=True)  # fmt: skip
    cache.close()
    encode_p50 = float(np.percentile(encode_ms, 50)) if encode_ms else 0.0
    print(f"request / clause encoding p50 {encode_p50:.2f} ms ({len(encode_ms)} texts)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "embedder": embedder.id, "data": "data/stabletoolbench", "k": K, "seed": SEED,
        "recall": "per request, share of its gold tools in the top 5, averaged over requests",
        "encode_p50_ms": encode_p50, "rows": rows,
    }, indent=2) + "\n")  # fmt: skip
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
