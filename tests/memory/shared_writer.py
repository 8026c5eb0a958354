"""A process that shares a bank with others, for the multi-process tests: run as
``python shared_writer.py PATH WORKER WORKERS N``. It writes cases ``w{WORKER}-{i}`` (``i`` <
``N``), acknowledging each on stdout once ``put`` returned, and after each write recalls the
newest case of the next worker it can find; then it marks itself done, waits for every worker's
mark, recalls every case of every worker and prints ``missing`` and how many it could not find,
and closes the store (or, with ``THEN`` = ``hold``, waits to be killed after its writes)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
WAIT_S = 180.0
"""The longest wait for the other workers' marks (a bound on a hang, not a measurement)."""


def task(worker: int, i: int) -> str:
    """A case's task: words of its own, so any index, approximate or not, finds it first
    (chromadb's HNSW misses exact matches among the near-duplicate hashed vectors of tasks
    that differ in one word)."""
    n = worker * 1000 + i
    return f"forecast {n} for station {n * 7919 % 10007} in zone {n * 104729 % 9973}"


def start(path: Path | str, worker: int, workers: int, n: int, then: str = "close"):  # type: ignore[no-untyped-def]
    keep = ("PATH", "HOME", "VIRTUAL_ENV", "PYTHONPATH")
    args = [sys.executable, str(SCRIPT), str(path), str(worker), str(workers), str(n), then]
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k in keep},
    )


def main() -> None:
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import Case, CaseOutcome, ChromaCaseStore, Judge, Provenance
    from agentroute.types import Plan, Step

    worker, workers, n, then = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    emb = HashingEmbedder(dim=128)
    store: Any
    if sys.argv[1].startswith("http"):  # URL#DATABASE: the bank on a Chroma server
        from agentroute._chroma_client import ChromaServer
        from agentroute.memory import ServerCaseStore

        url, database = sys.argv[1].split("#")
        store = ServerCaseStore(ChromaServer(url=url, database=database), emb)
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"shared-{database}"
        path.mkdir(exist_ok=True)
    else:
        path = Path(sys.argv[1])
        store = ChromaCaseStore(path, emb, flush_every=7, flush_interval_s=0.5)
    seen_other = 0
    for i in range(n):
        text = task(worker, i)
        case = Case(
            id=f"w{worker}-{i}",
            namespace="ns",
            task=text,
            plan=Plan(steps=[Step(id="s1", query=text, target="weather.forecast")]),
            outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
            provenance=Provenance(session=f"worker-{worker}"),
        )
        store.put(case, emb.embed([text])[0])
        print(f"written {case.id}", flush=True)
        other = (worker + 1) % workers
        hits = store.search(emb.embed([task(other, i)])[0], namespace="ns", n=1)
        seen_other += bool(hits and hits[0][0].id == f"w{other}-{i}")
    if then == "hold":
        time.sleep(600)
    (path / f"done-{worker}").touch()
    deadline = time.monotonic() + WAIT_S
    while not all((path / f"done-{w}").exists() for w in range(workers)):
        if time.monotonic() > deadline:
            print("timeout waiting for the other workers", flush=True)
            sys.exit(1)
        time.sleep(0.05)
    missing = 0
    for w in range(workers):
        for i in range(n):
            hits = store.search(emb.embed([task(w, i)])[0], namespace="ns", n=1)
            missing += not (hits and hits[0][0].id == f"w{w}-{i}")
    print(f"seen_other {seen_other}", flush=True)
    print(f"missing {missing}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
