"""Embedder-ready time: a fresh process constructs the default MiniLM embedder and embeds one
sentence, cold (empty model cache: the ONNX graph is built from the weights) and warm (the
graph and tables loaded from the cache). Cold and warm runs alternate, so the machine's load
falls on both alike; the figures are medians.

Run: python benchmarks/bench_embedder_start.py [--runs 5]
Writes benchmarks/results/embedder_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "embedder_start.json"

PROBE = """
import json, resource, sys, time
from agentroute.embeddings import MiniLMEmbedder
t0 = time.perf_counter()
model = MiniLMEmbedder()
t1 = time.perf_counter()
model.embed(["What is 17 * 23, and how many kilometres are 5 miles?"])
t2 = time.perf_counter()
print(json.dumps({
    "construct_s": t1 - t0,
    "first_embed_s": t2 - t1,
    "ready_s": t2 - t0,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "imported_onnx": "onnx" in sys.modules,
}))
"""


def probe(cache: Path) -> dict[str, float]:
    env = {**os.environ, "AGENTROUTE_CACHE_DIR": str(cache), "AGENTROUTE_LOG": "warning"}
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - t0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="bench-embedder-start-") as tmp:
        warm_cache = Path(tmp) / "warm"
        probe(warm_cache)  # fills it
        for i in range(args.runs):
            runs["cold"].append(probe(Path(tmp) / f"cold-{i}"))
            runs["warm"].append(probe(warm_cache))
    summary = {
        kind: {
            key: statistics.median(r[key] for r in rs)
            for key in ("ready_s", "construct_s", "first_embed_s", "process_s", "max_rss_mb")
        }
        | {"imported_onnx": any(r["imported_onnx"] for r in rs)}
        for kind, rs in runs.items()
    }
    for kind, s in summary.items():
        print(
            f"{kind}: ready {s['ready_s']:.3f} s (construct {s['construct_s']:.3f}, first embed "
            f"{s['first_embed_s'] * 1e3:.1f} ms), process {s['process_s']:.2f} s, "
            f"max RSS {s['max_rss_mb']:.0f} MB, imported onnx: {s['imported_onnx']}"
        )
    RESULTS.write_text(
        json.dumps({"python": sys.version.split()[0], "runs": args.runs, **summary}, indent=2)
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
