"""Embedding throughput: the numpy MiniLM embedder vs a naive per-sentence loop, and the ONNX
Runtime backend vs numpy (short-query latency, batch throughput, agreement).

Run: python benchmarks/bench_embeddings.py [--n 256]
Writes benchmarks/results/embeddings.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from agentroute.embeddings import HashingEmbedder, MiniLMEmbedder
from agentroute.embeddings._bert import BertConfig
from agentroute.embeddings._minilm import find_minilm_model_dir, padded_batch
from agentroute.embeddings._onnx import OnnxBertEncoder

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


def in_batches_of_32(model: MiniLMEmbedder, texts: list[str]) -> None:
    for i in range(0, len(texts), 32):
        model.embed_uncached(texts[i : i + 32])


QUERY = "Which tool can list the open pull requests in my repo?"
"""A short tool-retrieval query: 15 tokens with [CLS] and [SEP]."""


def latency_ms(fn: Callable[[], object], n: int = 300) -> tuple[float, float]:
    """p50 and p95 of ``n`` calls, after a warm-up, in milliseconds."""
    for _ in range(20):
        fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[n // 2] * 1e3, times[int(n * 0.95)] * 1e3


def busy_core() -> subprocess.Popen[bytes]:
    """A neighbour that keeps one core busy, as other work on a shared machine does."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def backend_rows(
    numpy_model: MiniLMEmbedder, texts: list[str]
) -> tuple[list[tuple[str, float, str]], dict[str, float]]:
    """numpy vs ONNX Runtime: one short query (p50/p95, ORT 1 vs 2 threads, with and without a
    busy neighbour core), batch-32 throughput, and how far apart their outputs are."""
    onnx1 = MiniLMEmbedder(cache_size=0, backend="onnx", onnx_threads=1)
    onnx2 = MiniLMEmbedder(cache_size=0, backend="onnx", onnx_threads=2)
    spinning = MiniLMEmbedder(cache_size=0, backend="onnx", onnx_threads=2)
    config = BertConfig.from_json(spinning.model_dir / "config.json")
    spinning._encoder = OnnxBertEncoder(
        spinning.model_dir / "model.safetensors", config, threads=2, spin=True
    )
    n_tokens = len(numpy_model._tokenizer.encode(QUERY).ids)
    rows: list[tuple[str, float, str]] = []
    variants = [
        ("numpy", numpy_model),
        ("onnx 1 thread", onnx1),
        ("onnx 2 threads", onnx2),
        ("onnx 2 threads spinning", spinning),
    ]
    for load in ("as is", "+1 busy core"):
        neighbour = busy_core() if load != "as is" else None
        try:
            for label, m in variants:
                p50, p95 = latency_ms(partial(m.embed_uncached, [QUERY]))
                rows.append((f"query {n_tokens} tok, {label}, {load}: p50", p50, "ms"))
                rows.append((f"query {n_tokens} tok, {label}, {load}: p95", p95, "ms"))
        finally:
            if neighbour is not None:
                neighbour.kill()
                neighbour.wait()
    for label, m in [("numpy", numpy_model), ("onnx 1 thread", onnx1), ("onnx 2 threads", onnx2)]:
        r = rate(partial(in_batches_of_32, m, texts), len(texts))
        rows.append((f"batch 32, {label} (default: {m._workers} workers)", r, "sent/s"))
    ids, mask = _batch(numpy_model, [*texts[:32], QUERY, "x"])
    real = mask.astype(bool)
    hidden_diff = np.abs(
        onnx2._encoder.forward(ids, mask)[real] - numpy_model._encoder.forward(ids, mask)[real]
    ).max()
    want = numpy_model.embed_uncached(texts)
    got = onnx2.embed_uncached(texts)
    stats = {
        "query_tokens": float(n_tokens),
        "max_abs_hidden_onnx_vs_numpy": float(hidden_diff),
        "max_abs_pooled_onnx_vs_numpy": float(np.abs(got - want).max()),
        "min_cosine_onnx_vs_numpy": float(np.sum(got * want, axis=1).min()),
    }
    return rows, stats


def _batch(model: MiniLMEmbedder, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return padded_batch([e.ids for e in model._tokenizer.encode_batch(texts)])


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
    model = MiniLMEmbedder(cache_size=0, backend="numpy")
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
    b32 = rate(partial(in_batches_of_32, model, texts), len(texts))
    rows.append(
        (f"batch 32 (default: {model._workers} workers, BLAS 1 thread each)", b32, "sent/s")
    )
    for label, variant in [
        (
            "batch 32 (1 worker, BLAS 1 thread)",
            MiniLMEmbedder(cache_size=0, workers=1, backend="numpy"),
        ),
        (
            "batch 32 (1 worker, BLAS default threads)",
            MiniLMEmbedder(cache_size=0, workers=1, blas_threads=None, backend="numpy"),
        ),
    ]:
        rows.append((label, rate(partial(in_batches_of_32, variant, texts), len(texts)), "sent/s"))
    whole = rate(lambda: model.embed_uncached(texts), len(texts))
    rows.append((f"all {len(texts)} in one call (default)", whole, "sent/s"))

    rss_before_onnx = rss_mb()
    t0 = time.perf_counter()
    cached = MiniLMEmbedder()  # the default: ONNX Runtime when installed
    onnx_load_s = time.perf_counter() - t0
    onnx_rss_mb = rss_mb() - rss_before_onnx
    cached.embed(["What is the capital of France?"])
    t0 = time.perf_counter()
    for _ in range(1000):
        cached.embed(["What is the capital of France?"])
    rows.append(("cached repeated query", (time.perf_counter() - t0) / 1000 * 1e6, "µs/call"))

    rows.extend(knowledge_rows(cached))
    compare, backend_stats = backend_rows(model, texts)
    rows.extend(compare)

    hashing = HashingEmbedder()
    rows.append(("HashingEmbedder", rate(lambda: hashing.embed(texts), len(texts)), "sent/s"))

    single = np.vstack([model.embed_uncached([t]) for t in texts[:16]])
    diff = float(np.abs(single - model.embed_uncached(texts[:16])).max())
    naive_diff = float(np.abs(naive_loop(model, texts[:16]) - single).max())

    print(
        f"ONNX load (graph built from the weights): {onnx_load_s:.2f} s, RSS +{onnx_rss_mb:.0f} MB"
    )
    print(", ".join(f"{k} = {v:.3g}" for k, v in backend_stats.items()))
    print(
        f"MiniLM load: {load_s:.2f} s, RSS {rss0:.0f} -> {rss_loaded:.0f} MB (+{rss_loaded - rss0:.0f} MB)"
    )
    print(f"max |batch - single| = {diff:.2e}; max |naive - ours| = {naive_diff:.2e}")
    print(f"{'measurement':60} {'value':>10}  unit")
    for name, value, unit in rows:
        print(f"{name:60} {value:10.2f}  {unit}")
    p50 = {name: v for name, v, _ in rows if name.endswith("as is: p50")}
    by = {k.split(", ")[1]: v for k, v in p50.items()}
    print(
        f"short query p50: numpy {by['numpy']:.2f} ms, onnx (default, 2 threads) "
        f"{by['onnx 2 threads']:.2f} ms ({by['numpy'] / by['onnx 2 threads']:.1f}x), "
        f"1 thread {by['onnx 1 thread']:.2f} ms; target <= 3.5 ms"
    )
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
                "onnx_load_s": onnx_load_s,
                "onnx_rss_added_mb": onnx_rss_mb,
                "backend_default": cached.backend,
                **backend_stats,
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
