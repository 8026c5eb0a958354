"""Episodic-memory benchmarks: recall at scale, writes, resident memory, poisoning.

    python benchmarks/bench_memory.py                  # prints tables, writes results/memory.json
    python benchmarks/bench_memory.py --sizes 1000 10000 --skip-minilm   # quicker
    python benchmarks/bench_memory.py --only rss --sizes 100000 --bank /tmp/bank-100k  # kept
    python benchmarks/bench_memory.py --only workload        # memory's time per request

Measured in the same run, against baselines in the same run:
* recall latency p50/p95 at 1k, 10k, 100k cases in one namespace (clustered synthetic unit
  vectors, dim 384), through ``ChromaCaseStore.search`` (IVF index + case bodies from chromadb)
  and the index alone; recall@8 against an exact search over the same vectors; baselines:
  chromadb's own HNSW on the per-namespace collection, and one shared chromadb collection with
  a ``where`` namespace filter (plus a second namespace holding a tenth as many cases);
* case write latency: ``ChromaCaseStore.put`` (journal + fsync) vs a plain chromadb ``add``,
  and ``CaseBank.remember`` end to end (write checks included; hashing embedder, MiniLM embed
  time reported apart);
* resident memory (after loading and 50 searches) and peak of a process opening a 100k-case
  bank: first without the saved index snapshot (vectors read from chromadb), then with it;
* AgentPoison-style red team: hijack rate with the defences off vs on;
* ``bench_repeated_workload``: planner calls, accuracy and time with memory off vs on through
  the full ``Agent`` (the bank on disk, as ``agentroute run`` keeps it): ms memory adds a request.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import structlog

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))

from agentroute.embeddings import HashingEmbedder  # noqa: E402
from agentroute.eval import run_poisoning  # noqa: E402
from agentroute.memory import (  # noqa: E402
    Case,
    CaseBank,
    CaseOutcome,
    CaseStep,
    ChromaCaseStore,
    InMemoryCaseStore,
    Judge,
    Provenance,
    RecallConfig,
    TurnSummary,
)
from agentroute.memory._chroma_records import collection_name  # noqa: E402
from agentroute.types import Plan, Step  # noqa: E402

RESULTS = Path(__file__).parent / "results"
DIM = 384
K = 8


def _ms(xs: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(xs) * 1e3, 3),
        "p95_ms": round(float(np.percentile(xs, 95)) * 1e3, 3),
    }


def clustered(n: int, seed: int, *, centers: int = 200, noise: float = 1.0) -> np.ndarray:
    """Unit vectors around random cluster centres: neighbours exist, but are not trivial."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centers, DIM)).astype(np.float32)
    x = c[rng.integers(0, centers, n)] + noise * rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def queries(x: np.ndarray, m: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = x[rng.integers(0, len(x), m)] + 0.3 * rng.standard_normal((m, DIM)).astype(np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def small_case(i: int, namespace: str) -> Case:
    task = f"synthetic task {i}"
    return Case(
        id=f"c{i}",
        namespace=namespace,
        turn_id=f"t{i}",
        task=task,
        plan=Plan(steps=[Step(id="s1", query=task, target="tool.x")]),
        outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
        provenance=Provenance(session="bench"),
    )


def bench_scale(n: int, root: Path, n_queries: int = 200) -> dict[str, Any]:
    emb = HashingEmbedder(dim=DIM)  # only its id and dim are used: vectors are synthetic
    x = clustered(n, seed=n)
    qs = queries(x, n_queries, seed=n + 1)
    cases = [small_case(i, "a") for i in range(n)]
    path = root / f"bank-{n}"
    out: dict[str, Any] = {"cases": n}
    store = ChromaCaseStore(path, emb)
    t = time.perf_counter()
    store.put_many(cases, x)
    out["bulk_load_s"] = round(time.perf_counter() - t, 1)
    index = store.index("a")
    truth = [{cid for cid, _ in index.exact_search(q, K)} for q in qs]

    def measure(fn: Any) -> tuple[list[float], float]:
        lat, hit = [], 0
        for q, tr in zip(qs, truth, strict=True):
            t0 = time.perf_counter()
            ids = fn(q)
            lat.append(time.perf_counter() - t0)
            hit += len(set(ids) & tr)
        return lat, hit / (K * len(qs))

    lat, rec = measure(lambda q: [c.id for c, _ in store.search(q, namespace="a", n=K)])
    out["store_search"] = {**_ms(lat), f"recall@{K}": round(rec, 4)}
    lat, rec = measure(lambda q: [cid for cid, _ in index.search(q, K)])
    out["index_search"] = {**_ms(lat), f"recall@{K}": round(rec, 4)}
    lat, rec = measure(lambda q: [cid for cid, _ in index.exact_search(q, K)])
    out["exact_numpy"] = {**_ms(lat), f"recall@{K}": round(rec, 4)}
    store.close()
    import chromadb
    from chromadb.config import Settings

    own = chromadb.PersistentClient(
        str(path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    col = own.get_collection(collection_name("a"), embedding_function=None)
    lat, rec = measure(lambda q: col.query(query_embeddings=[q], n_results=K)["ids"][0])
    out["chroma_hnsw_per_namespace"] = {**_ms(lat), f"recall@{K}": round(rec, 4)}
    own.close()

    # Baseline: one shared collection, namespace as metadata, `where` filter.

    client = chromadb.PersistentClient(
        path=str(root / f"shared-{n}"), settings=Settings(anonymized_telemetry=False)
    )
    shared = client.create_collection(
        "shared", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    other = clustered(n // 10, seed=n + 7)
    for a in range(0, n, 2000):
        shared.add(
            ids=[f"c{i}" for i in range(a, min(n, a + 2000))],
            embeddings=x[a : a + 2000],
            metadatas=[{"namespace": "a"}] * len(x[a : a + 2000]),
        )
    for a in range(0, len(other), 2000):
        shared.add(
            ids=[f"o{i}" for i in range(a, min(len(other), a + 2000))],
            embeddings=other[a : a + 2000],
            metadatas=[{"namespace": "ab"}] * len(other[a : a + 2000]),
        )
    lat, rec = measure(
        lambda q: shared.query(query_embeddings=[q], n_results=K, where={"namespace": "a"})["ids"][
            0
        ]
    )
    out["chroma_where_filter"] = {**_ms(lat), f"recall@{K}": round(rec, 4)}
    shutil.rmtree(root / f"shared-{n}", ignore_errors=True)
    return out


_RSS_PROBE = """
import sys, time, numpy as np
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore
t = time.perf_counter()
store = ChromaCaseStore(sys.argv[1], HashingEmbedder(dim=384))
store.index("a")
load_s = time.perf_counter() - t
rng = np.random.default_rng(0)
for _ in range(50):
    q = rng.standard_normal(384).astype(np.float32); q /= np.linalg.norm(q)
    store.search(q, namespace="a", n=8)
status = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status") if l.startswith("Vm")}
# VmHWM, not ru_maxrss: a child forked from a big parent inherits the parent's high-water mark
print(int(status["VmRSS"]) // 1024, int(status["VmHWM"]) // 1024, round(load_s, 2))
store.close()
"""


def bench_rss(path: Path) -> dict[str, Any]:
    """Resident memory (after loading and 50 searches) and peak of a process opening the bank:
    first without the saved index (a bank written by older code, or after a crash: vectors read
    from chromadb), then again (the index snapshot the first close saved)."""
    out: dict[str, Any] = {}
    shutil.rmtree(path / "index", ignore_errors=True)
    for key in ("first_open", "reopen"):
        run = subprocess.run(
            [sys.executable, "-c", _RSS_PROBE, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        rss, peak, load_s = run.stdout.split()[-3:]
        out[key] = {"rss_mb": int(rss), "peak_rss_mb": int(peak), "load_s": float(load_s)}
    return out


def build_bank(n: int, path: Path) -> float:
    """A synthetic ``n``-case bank at ``path`` (bulk load); the seconds it took."""
    store = ChromaCaseStore(path, HashingEmbedder(dim=DIM))
    t = time.perf_counter()
    store.put_many([small_case(i, "a") for i in range(n)], clustered(n, seed=n))
    store.close()
    return time.perf_counter() - t


def _turn(i: int) -> TurnSummary:
    city = ["Paris", "Oslo", "Rome", "Lyon", "Riga"][i % 5]
    task = f"weather in {city} on day {i}"
    return TurnSummary(
        turn_id=f"w{i}",
        session=f"s{i % 50}",
        request=task,
        plan=Plan(
            steps=[Step(id="s1", query=task, target="weather.forecast", args={"city": city})]
        ),
        results=[CaseStep(step_id="s1", target="weather.forecast", ok=True, summary="sunny " * 30)],
        answer="It will be sunny. " * 10,
    )


def bench_writes(root: Path, n: int = 200) -> dict[str, Any]:
    emb = HashingEmbedder(dim=DIM)
    out: dict[str, Any] = {}
    store = ChromaCaseStore(root / "writes", emb)
    base = clustered(10_000, seed=3)
    store.put_many([small_case(i, "w") for i in range(10_000)], base)
    bank = CaseBank(store, emb, targets=lambda: {"weather.forecast": "Weather forecast for a city"})
    lat = []
    for i in range(n):
        t = time.perf_counter()
        bank.remember(_turn(i), namespace="w")
        lat.append(time.perf_counter() - t)
    out["remember_hashing_embedder"] = _ms(lat)
    cases = [small_case(100_000 + i, "w") for i in range(n)]
    vecs = clustered(n, seed=4)
    lat = []
    for c, v in zip(cases, vecs, strict=True):
        t = time.perf_counter()
        store.put(c, v)
        lat.append(time.perf_counter() - t)
    out["store_put_journal"] = _ms(lat)
    store.close()
    import chromadb
    from chromadb.config import Settings

    own = chromadb.PersistentClient(
        str(root / "writes" / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    col = own.get_collection(collection_name("w"), embedding_function=None)
    lat = []
    for i, v in enumerate(clustered(n // 2, seed=5)):
        c = small_case(200_000 + i, "w")
        t = time.perf_counter()
        col.add(
            ids=[c.id],
            embeddings=[v],
            documents=[c.model_dump_json()],
            metadatas=[{"status": "active"}],
        )
        lat.append(time.perf_counter() - t)
    out["baseline_chroma_add"] = _ms(lat)
    own.close()
    return out


def bench_minilm_embed() -> dict[str, float] | None:
    try:
        from agentroute.embeddings import default_embedder

        emb = default_embedder()
    except Exception:
        return None
    emb.embed(["warm up"])
    lat = []
    for i in range(30):
        t = time.perf_counter()
        emb.embed([f"what is the weather in city number {i} tomorrow"])
        lat.append(time.perf_counter() - t)
    return _ms(lat)


def bench_redteam(use_minilm: bool) -> list[dict[str, Any]]:
    rows = []
    setups: list[tuple[str, Any, RecallConfig]] = [
        (
            "hashing",
            HashingEmbedder(dim=256),
            RecallConfig(min_similarity=0.2, reuse_similarity=0.45),
        )
    ]
    if use_minilm:
        from agentroute.embeddings import default_embedder

        setups.append(("minilm", default_embedder(), RecallConfig()))
    for name, emb, cfg in setups:
        for defences in (False, True):
            r = run_poisoning(emb, defences=defences, config=cfg)
            rows.append(
                {"embedder": name, **r.model_dump(), "hijack_rate": round(r.hijack_rate, 4)}
            )
    return rows


_ACTIONS: list[tuple[str, str, str, Any]] = [
    # (target, request pattern, step query pattern, detail sampler)
    (
        "weather",
        "weather in {0} tomorrow",
        "forecast for {0} tomorrow",
        lambda r: [r.choice(_CITIES)],
    ),
    (
        "fx",
        "convert {0} {1} to {2}",
        "convert {0} {1} to {2}",
        lambda r: [str(r.randint(2, 999)), *r.sample(_CUR, 2)],
    ),
    (
        "translate",
        "translate {0} to {1}",
        "translate {0} into {1}",
        lambda r: [r.choice(_WORDS), r.choice(_LANGS)],
    ),
    ("stocks", "share price of {0}", "quote {0}", lambda r: [r.choice(_TICKERS)]),
    ("clock", "local time in {0}", "time zone of {0}", lambda r: [r.choice(_CITIES)]),
    ("distance", "distance from {0} to {1}", "route {0} to {1}", lambda r: r.sample(_CITIES, 2)),
    ("recipes", "recipe for {0}", "recipe {0}", lambda r: [r.choice(_DISHES)]),
    ("dictionary", "define the word {0}", "definition of {0}", lambda r: [r.choice(_WORDS)]),
    ("census", "population of {0}", "population {0}", lambda r: [r.choice(_CITIES)]),
    (
        "flights",
        "flights from {0} to {1} on {2}",
        "flights {0} {1} {2}",
        lambda r: [*r.sample(_CITIES, 2), r.choice(_DAYS)],
    ),
]
_PREFIXES = [
    "",
    "please tell me the ",
    "quick question: ",
    "can you find the ",
    "I need the ",
    "look up the ",
    "what is the ",
    "give me the ",
    "show me the ",
    "find out the ",
]
_CITIES = ["Paris", "Oslo", "Rome", "Lyon", "Riga", "Porto", "Turin", "Ghent", "Bergen", "Malmo"]
_CUR = ["USD", "EUR", "GBP", "JPY", "CHF", "SEK"]
_WORDS = ["serendipity", "harbor", "lantern", "meadow", "quartz", "whistle"]
_LANGS = ["French", "German", "Spanish", "Italian", "Dutch"]
_TICKERS = ["ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI"]
_DISHES = ["risotto", "ratatouille", "paella", "goulash", "moussaka"]
_DAYS = ["Monday", "Tuesday", "Friday", "Sunday"]
PLANNER_COST_USD = 0.002
"""A simulated LLM planner call (the cost the memory saves)."""


def bench_repeated_workload(
    n_requests: int = 500, seed: int = 11, *, store: str = "chroma"
) -> dict[str, Any] | None:
    """Planner calls, cost, answer accuracy and time with memory off vs on through the full
    ``Agent``; ``store`` is the bank's store: ``chroma`` (on disk, what ``agentroute run``
    uses) or ``memory``.

    100 templates (10 actions × 10 phrasings) with varied details; a scripted planner that
    always plans right and costs ``PLANNER_COST_USD`` a call; an answer is right when the
    target received exactly the query the planner would have written for this request.
    """
    import random

    from agentroute import Agent, PlanningContext
    from agentroute.embeddings import default_embedder
    from agentroute.testing import FunctionTarget

    rng = random.Random(seed)
    work: list[tuple[str, str, str]] = []  # (request, target, expected query)
    for _ in range(n_requests):
        target, req, query, details = rng.choice(_ACTIONS)
        prefix = rng.choice(_PREFIXES)
        d = details(rng)
        work.append((prefix + req.format(*d), target, query.format(*d)))
    expected = {r: (t, q) for r, t, q in work}

    class OraclePlanner:
        name = "oracle"

        def __init__(self) -> None:
            self.calls = 0

        async def plan(self, ctx: PlanningContext) -> Plan:
            self.calls += 1
            target, query = expected[ctx.request]
            return Plan(steps=[Step(id="s1", query=query, target=target)])

    try:
        emb: Any = default_embedder()
    except Exception:
        emb = HashingEmbedder(dim=DIM)
    out: dict[str, Any] = {
        "requests": n_requests,
        "templates": len(_ACTIONS) * len(_PREFIXES),
        "embedder": emb.id,
        "store": store,
    }
    descs = {a[0]: f"{a[0]}: {a[1]}" for a in _ACTIONS}
    took: dict[bool, float] = {}
    for memory_on in (False, True):
        targets = [
            FunctionTarget(
                a[0], lambda q, args: f"answer to {q}", description=descs[a[0]], cost_usd=0.0001
            )
            for a in _ACTIONS
        ]
        bank_dir = Path(tempfile.mkdtemp(prefix="bench-bank-"))
        bank = None
        if memory_on and store == "chroma":
            bank = CaseBank.open(bank_dir, embedder=emb, targets=lambda: descs)
        elif memory_on:
            bank = CaseBank(InMemoryCaseStore(emb.id, emb.dim), emb, targets=lambda: descs)
        planner = OraclePlanner()
        right = 0
        cost = 0.0
        t0 = time.perf_counter()
        try:
            with Agent(targets=targets, planner=planner, memory=bank, checkpoint=False) as agent:
                for req, target, query in work:
                    res = agent.run(req)
                    cost += res.cost_usd
                    right += (
                        bool(res.steps)
                        and res.steps[0].target == target
                        and res.steps[0].query == query
                    )
            if bank is not None:
                bank.close()  # counted: what is left to write reaches chromadb here
            seconds = time.perf_counter() - t0
        finally:
            if bank is not None:
                bank.close()
            shutil.rmtree(bank_dir, ignore_errors=True)
        key = "memory_on" if memory_on else "memory_off"
        out[key] = {
            "planner_calls": planner.calls,
            "cost_usd": round(cost + planner.calls * PLANNER_COST_USD, 4),
            "accuracy": round(right / n_requests, 4),
            "seconds": round(seconds, 1),
        }
        took[memory_on] = seconds
    out["memory_ms_per_request"] = round((took[True] - took[False]) / n_requests * 1e3, 1)
    off, on = out["memory_off"], out["memory_on"]
    out["planner_call_reduction"] = round(1 - on["planner_calls"] / max(1, off["planner_calls"]), 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    ap.add_argument("--skip-minilm", action="store_true")
    ap.add_argument("--skip-workload", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS / "memory.json")
    ap.add_argument(
        "--only",
        nargs="*",
        choices=["scale", "writes", "redteam", "workload", "rss"],
        help="Run only these parts and merge them into an existing results/memory.json.",
    )
    ap.add_argument(
        "--bank",
        type=Path,
        help="rss: the bank to probe (a bank of max(--sizes) cases is built there if missing).",
    )
    ap.add_argument("--workload-store", choices=["chroma", "memory"], default="chroma")
    ap.add_argument("--requests", type=int, default=500)
    args = ap.parse_args()
    parts = set(args.only or ["scale", "writes", "redteam", "workload"])
    if args.skip_workload:
        parts.discard("workload")
    root = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count()}, "scale": []}
    if args.only and args.out.exists():
        results = json.loads(args.out.read_text())
    try:
        if "scale" in parts:
            results["scale"] = []
            for n in args.sizes:
                row = bench_scale(n, root)
                results["scale"].append(row)
                print(f"built and measured {n} cases: {json.dumps(row)}", flush=True)
                if n == max(args.sizes):
                    parts.add("rss")
                    args.bank = args.bank or root / f"bank-{n}"
                args.out.write_text(json.dumps(results, indent=2) + "\n")  # keep partial results
        if "rss" in parts:
            n = max(args.sizes)
            bank = args.bank or root / f"bank-{n}"
            if not (bank / "chroma").exists():
                print(f"building a {n}-case bank at {bank} ...", flush=True)
                print(f"built in {build_bank(n, bank):.0f} s", flush=True)
            try:
                results["rss"] = {"cases": n, **bench_rss(bank)}
            except subprocess.CalledProcessError as exc:
                print(f"RSS probe failed: {exc.stderr[-2000:]}", flush=True)
        if "writes" in parts:
            results["writes"] = bench_writes(root)
            if not args.skip_minilm:
                results["writes"]["minilm_embed_one_text"] = bench_minilm_embed()
        if "redteam" in parts:
            results["redteam"] = bench_redteam(not args.skip_minilm)
        if "workload" in parts:
            results["repeated_workload"] = bench_repeated_workload(
                args.requests, store=args.workload_store
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(
        f"\nRecall at scale (one namespace, top-{K}, dim {DIM}; targets: p50 <= 10 ms, recall >= 0.95 at 100k)"
    )
    hdr = f"{'cases':>8} {'method':28} {'p50 ms':>8} {'p95 ms':>8} {'recall@8':>9}"
    print(hdr)
    print("-" * len(hdr))
    for row in results["scale"]:
        for key in (
            "store_search",
            "index_search",
            "exact_numpy",
            "chroma_hnsw_per_namespace",
            "chroma_where_filter",
        ):
            m = row[key]
            print(
                f"{row['cases']:>8} {key:28} {m['p50_ms']:>8.2f} {m['p95_ms']:>8.2f} {m['recall@8']:>9.3f}"
            )
    if "rss" in results:
        r = results["rss"]
        print(
            f"\nA {r['cases']}-case bank open, 50 searches (targets: resident <= 600 MB, peak <= 1024 MB)"
        )
        for key in ("first_open", "reopen"):
            if key in r:
                m = r[key]
                print(
                    f"  {key:10} resident {m['rss_mb']:>5} MB  peak {m['peak_rss_mb']:>5} MB  index loaded in {m['load_s']} s"
                )
    print("\nWrites (target: a case written in <= 20 ms)")
    for key, m in results.get("writes", {}).items():
        if m:
            print(f"  {key:28} p50 {m['p50_ms']:8.2f} ms   p95 {m['p95_ms']:8.2f} ms")
    print("\nPoisoning (AgentPoison style, poisoned share <= 1%)")
    print(
        f"  {'embedder':8} {'defences':8} {'bank':>5} {'poison':>6} {'quar.':>5} {'benign q.':>9} {'plan hij.':>9} {'recall hij.':>11} {'rate':>6} {'clean reuse':>11}"
    )
    for r in results.get("redteam", []):
        print(
            f"  {r['embedder']:8} {('on' if r['defences'] else 'off'):8} {r['bank_size']:>5} {r['poisoned']:>6} "
            f"{r['poisoned_quarantined']:>5} {r['benign_quarantined']:>9} {r['plan_hijacks']:>9} "
            f"{r['recall_hijacks']:>11} {r['hijack_rate']:>6.2f} {r['clean_reused']:>8}/{r['clean_requests']}"
        )
    rw = results.get("repeated_workload")
    if rw:
        print(
            f"\nRepeated workload ({rw['requests']} requests, {rw['templates']} templates, {rw['embedder']}; target: >= 50% fewer planner calls, same accuracy)"
        )
        for key in ("memory_off", "memory_on"):
            m = rw[key]
            print(
                f"  {key:11} planner calls {m['planner_calls']:>4}  cost ${m['cost_usd']:.4f}  accuracy {m['accuracy']:.3f}  {m['seconds']} s"
            )
        print(f"  planner calls cut by {rw['planner_call_reduction']:.0%}")
        if "memory_ms_per_request" in rw:
            print(
                f"  memory adds {rw['memory_ms_per_request']} ms a request ({rw.get('store', 'memory')} store; target <= 30)"
            )
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
