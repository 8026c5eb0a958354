"""Embedding throughput: the numpy MiniLM embedder vs a naive per-sentence loop.

Run: python benchmarks/bench_embeddings.py [--n 256]
Writes benchmarks/results/embeddings.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from agentroute.embeddings import HashingEmbedder, MiniLMEmbedder
from agentroute.embeddings._minilm import find_minilm_model_dir

RESULTS = Path(__file__).parent / "results" / "embeddings.json"

SUBJECTS = [
    "The capital of France",
    "A small dog",
    "The speed of light",
    "My neighbour",
    "The river Danube",
    "Water",
    "The new phone",
    "An old engineer",
    "The stock market",
    "This function",
]
VERBS = ["is", "was found", "seems", "became", "stays", "looks"]
ENDS = [
    "very close to the old bridge.",
    "faster than anyone expected.",
    "a well known fact.",
    "in every textbook about physics.",
    "quite expensive this year.",
    "measured in metres per second.",
    "a good example of a sentence.",
    "the answer to the question.",
]


def sentences(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(ENDS)}" for _ in range(n)]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rate(fn: Callable[[], object], n_items: int, repeats: int = 3) -> float:
    """Items per second, best of ``repeats`` (noise on a shared machine only slows things)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return n_items / min(times)


def naive_loop(model: MiniLMEmbedder, texts: list[str]) -> np.ndarray:
    """Baseline: what a straight port does. One sentence at a time, padded to the 128 tokens the
    shipped tokenizer.json asks for, BLAS left at its default thread count."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model.model_dir / "tokenizer.json"))  # pads to 128
    out = []
    for text in texts:
        enc = tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.float32)
        hidden = model._encoder.forward(ids, mask)
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum()
        out.append(pooled[0] / np.linalg.norm(pooled[0]))
    return np.vstack(out)


def knowledge_rows(model: MiniLMEmbedder) -> list[tuple[str, float, str]]:
    """Index and search latency of the bundled knowledge bases (query embedding included; the
    query cache is off so every search runs the model)."""
    import asyncio
    import tempfile

    from agentroute.knowledge import build_default_knowledge, default_graph
    from agentroute.knowledge._defaults import FACTS_EXAMPLES, GRAPH_EXAMPLES

    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        kb = build_default_knowledge(tmp, model)
        rows.append(
            (f"facts KB: first build ({kb.count()} passages)", time.perf_counter() - t0, "s")
        )
        t0 = time.perf_counter()
        kb = build_default_knowledge(tmp, model)
        rows.append(("facts KB: reopen, already indexed", (time.perf_counter() - t0) * 1e3, "ms"))
        lat = []
        for q in FACTS_EXAMPLES * 2:
            t0 = time.perf_counter()
            asyncio.run(kb.invoke("s", q, None, timeout=30))
            lat.append(time.perf_counter() - t0)
        rows.append(
            ("facts KB: invoke (embed query + top-3), median", statistics.median(lat) * 1e3, "ms")
        )
    t0 = time.perf_counter()
    graph = default_graph(model)
    rows.append(("geography graph: load", (time.perf_counter() - t0) * 1e3, "ms"))
    graph.search(GRAPH_EXAMPLES[0])  # relation vectors, once
    lat = []
    for q in GRAPH_EXAMPLES * 2:
        t0 = time.perf_counter()
        graph.search(q)
        lat.append(time.perf_counter() - t0)
    rows.append(("geography graph: search (2 hops), median", statistics.median(lat) * 1e3, "ms"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=256, help="sentences per measurement")
    args = parser.parse_args()
    texts = sentences(args.n)
    rows: list[tuple[str, float, str]] = []

    rss0 = rss_mb()
    t0 = time.perf_counter()
    model = MiniLMEmbedder(cache_size=0)
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mb()
    find_minilm_model_dir()
    model.embed_uncached(texts[:8])  # warm up

    n1 = min(64, len(texts))
    base = rate(lambda: naive_loop(model, texts[:n1]), n1, repeats=1)
    rows.append(("baseline: naive per-sentence loop (pad 128, BLAS default)", base, "sent/s"))
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional dependency: that row is then skipped
        print("threadpoolctl not installed: BLAS thread limits are off")
    else:
        with threadpool_limits(1, user_api="blas"):
            base1 = rate(lambda: naive_loop(model, texts[:n1]), n1, repeats=1)
        rows.append(("baseline: naive per-sentence loop (pad 128, BLAS 1 thread)", base1, "sent/s"))
    b1 = rate(lambda: [model.embed_uncached([t]) for t in texts[:n1]], n1)
    rows.append(("batch 1 (BLAS 1 thread)", b1, "sent/s"))
    b32 = rate(
        lambda: [model.embed_uncached(texts[i : i + 32]) for i in range(0, len(texts), 32)],
        len(texts),
    )
    rows.append(
        (f"batch 32 (default: {model._workers} workers, BLAS 1 thread each)", b32, "sent/s")
    )
    for label, variant in [
        ("batch 32 (1 worker, BLAS 1 thread)", MiniLMEmbedder(cache_size=0, workers=1)),
        (
            "batch 32 (1 worker, BLAS default threads)",
            MiniLMEmbedder(cache_size=0, workers=1, blas_threads=None),
        ),
    ]:
        r = rate(
            lambda v=variant: [
                v.embed_uncached(texts[i : i + 32]) for i in range(0, len(texts), 32)
            ],
            len(texts),
        )  # type: ignore[misc]
        rows.append((label, r, "sent/s"))
    whole = rate(lambda: model.embed_uncached(texts), len(texts))
    rows.append((f"all {len(texts)} in one call (default)", whole, "sent/s"))

    cached = MiniLMEmbedder()
    cached.embed(["What is the capital of France?"])
    t0 = time.perf_counter()
    for _ in range(1000):
        cached.embed(["What is the capital of France?"])
    rows.append(("cached repeated query", (time.perf_counter() - t0) / 1000 * 1e6, "µs/call"))

    rows.extend(knowledge_rows(model))

    hashing = HashingEmbedder()
    rows.append(("HashingEmbedder", rate(lambda: hashing.embed(texts), len(texts)), "sent/s"))

    single = np.vstack([model.embed_uncached([t]) for t in texts[:16]])
    diff = float(np.abs(single - model.embed_uncached(texts[:16])).max())
    naive_diff = float(np.abs(naive_loop(model, texts[:16]) - single).max())

    print(
        f"MiniLM load: {load_s:.2f} s, RSS {rss0:.0f} -> {rss_loaded:.0f} MB (+{rss_loaded - rss0:.0f} MB)"
    )
    print(f"max |batch - single| = {diff:.2e}; max |naive - ours| = {naive_diff:.2e}")
    print(f"{'measurement':60} {'value':>10}  unit")
    for name, value, unit in rows:
        print(f"{name:60} {value:10.1f}  {unit}")
    print(
        f"speed-up batch 32 vs baseline: {b32 / base:.1f}x; batch 1 vs baseline: {b1 / base:.1f}x"
    )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "n_sentences": len(texts),
                "mean_words": statistics.mean(len(t.split()) for t in texts),
                "load_s": load_s,
                "rss_before_mb": rss0,
                "rss_after_load_mb": rss_loaded,
                "max_abs_batch_vs_single": diff,
                "results": [{"name": n, "value": v, "unit": u} for n, v, u in rows],
                "speedup_batch32_vs_baseline": b32 / base,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
