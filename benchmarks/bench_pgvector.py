"""The case bank on PostgreSQL + pgvector: the engine's HNSW index against exact search.

    python benchmarks/bench_pgvector.py                    # 1k and 10k cases, prints a table
    python benchmarks/bench_pgvector.py --sizes 1000 10000 100000 --url postgresql://...

A real PostgreSQL with pgvector: ``--url`` (or ``AGENTROUTE_BENCH_PGVECTOR_URL``), else one started
for the run from the pgserver wheel (``tests/pgvector_server.py``: PostgreSQL 16.2, pgvector
0.6.2). Vectors are ``bench_memory``'s clustered synthetic unit vectors (dim 384), one namespace,
cases loaded through ``PgVectorCaseStore.put_many`` (the HNSW index maintained as rows arrive).
Per size, in the same run and over the same 200 queries: recall@10 of ``PgVectorCaseStore.nearest``
(the partial HNSW index over active cases) at several ``ef_search`` against
``exact_nearest`` (every active case compared, no index), and both latencies (wall, loopback,
client and server on the same 2 cores: noisy, compare within a run) and the server's CPU time
per query (its backend process's, from /proc: what load does not inflate). Then 10% of the cases are
quarantined and the same is measured again: the partial index holds only active cases, so a
search still returns its 10 results and loses no recall to the filter.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_memory import clustered, queries, small_case

from agentroute._postgres import PostgresServer
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseStatus
from agentroute.memory._pgvector import PgVectorCaseStore

RESULTS = Path(__file__).parent / "results"
DIM = 384
K = 10
EF = (40, 100, 200, 400)


def _p50_ms(xs: list[float]) -> float:
    return round(statistics.median(xs) * 1e3, 2)


def _database(url: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def bench_size(url: str, n: int, n_queries: int = 200) -> dict[str, Any]:
    emb = HashingEmbedder(dim=DIM)  # only its id and dim are used: vectors are synthetic
    x = clustered(n, seed=n)
    qs = queries(x, n_queries, seed=n + 1)
    cases = [small_case(i, "a") for i in range(n)]
    store = PgVectorCaseStore(PostgresServer(url=_database(url)), emb)
    out: dict[str, Any] = {"cases": n}
    t = time.perf_counter()
    store.put_many(cases, x)
    out["load_s"] = round(time.perf_counter() - t, 1)

    backend = int(store._one("SELECT pg_backend_pid()", ())[0])

    def server_cpu() -> float:
        """The CPU seconds the store's server process has used (a loopback server's /proc)."""
        try:
            fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def measure(label: str) -> None:
        truth, exact_lat = [], []
        cpu = server_cpu()
        for q in qs:
            t0 = time.perf_counter()
            truth.append({cid for cid, _ in store.exact_nearest(q, namespace="a", n=K)})
            exact_lat.append(time.perf_counter() - t0)
        row: dict[str, Any] = {
            "exact_p50_ms": _p50_ms(exact_lat),
            "exact_server_cpu_ms": round((server_cpu() - cpu) / len(qs) * 1e3, 2),
        }
        for ef in EF:
            store.ef_search = ef
            lat, hit, short = [], 0, 0
            cpu = server_cpu()
            for q, tr in zip(qs, truth, strict=True):
                t0 = time.perf_counter()
                ids = [cid for cid, _ in store.nearest(q, namespace="a", n=K)]
                lat.append(time.perf_counter() - t0)
                hit += len(set(ids) & tr)
                short += len(ids) < K
            row[f"ef{ef}"] = {
                f"recall@{K}": round(hit / (K * len(qs)), 4),
                "p50_ms": _p50_ms(lat),
                "server_cpu_ms": round((server_cpu() - cpu) / len(qs) * 1e3, 2),
                "short_results": short,
            }
        out[label] = row

    measure("all_active")
    quarantined = []
    for c in cases[::10]:
        c.status = CaseStatus.QUARANTINED
        quarantined.append(c)
    store.update_many(quarantined)
    measure("tenth_quarantined")
    store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    ap.add_argument("--url", default=os.environ.get("AGENTROUTE_BENCH_PGVECTOR_URL"))
    ap.add_argument("--out", type=Path, default=RESULTS / "pgvector.json")
    args = ap.parse_args()
    own = None
    url = args.url
    if not url:
        from tests.pgvector_server import PgVectorProcess

        own = PgVectorProcess().start()
        url = own.url
    try:
        rows = [bench_size(url, n) for n in args.sizes]
    finally:
        if own is not None:
            own.remove()
    print(
        "| cases | set | exact: p50 ms / server CPU ms | "
        + " | ".join(f"ef={e}: recall@{K} / p50 ms / server CPU ms" for e in EF)
        + " |"
    )
    print("|" + "---|" * (3 + len(EF)))
    for r in rows:
        for label in ("all_active", "tenth_quarantined"):
            m = r[label]
            cells = [
                f"{m[f'ef{e}'][f'recall@{K}']:.3f} / {m[f'ef{e}']['p50_ms']} / "
                f"{m[f'ef{e}']['server_cpu_ms']}"
                for e in EF
            ]
            exact = f"{m['exact_p50_ms']} / {m['exact_server_cpu_ms']}"
            print(f"| {r['cases']:,} | {label} | {exact} | " + " | ".join(cells) + " |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"k": K, "dim": DIM, "rows": rows}, indent=2) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
