"""A process that writes cases to a bank, for the kill tests: run as
``python case_writer.py PATH FIRST LAST THEN [FLUSH_EVERY]``. It writes cases ``c{FIRST}`` ..
``c{LAST-1}``, acknowledging each on stdout once ``put`` returned, then closes the store
(``THEN`` = ``close``: prints ``closed`` and whether chromadb was imported) or waits to be
killed (``kill``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve()


def start(path: Path, first: int, last: int, then: str, flush_every: int | None = None):  # type: ignore[no-untyped-def]
    """The writer as a child process with an allow-listed environment, stdout piped."""
    keep = ("PATH", "HOME", "VIRTUAL_ENV", "PYTHONPATH")
    args = [sys.executable, str(SCRIPT), str(path), str(first), str(last), then]
    return subprocess.Popen(
        args + ([str(flush_every)] if flush_every else []),
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k in keep},
    )


def main() -> None:
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import Case, CaseOutcome, ChromaCaseStore, Judge, Provenance
    from agentroute.types import Plan, Step

    emb = HashingEmbedder(dim=128)
    path, first, last, then = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    extra = {"flush_every": int(sys.argv[5])} if len(sys.argv) > 5 else {}
    store = ChromaCaseStore(path, emb, flush_interval_s=3600, **extra)
    for i in range(first, last):
        task = f"weather in city number {i}"
        case = Case(
            id=f"c{i}",
            namespace="ns",
            task=task,
            plan=Plan(steps=[Step(id="s1", query=task, target="weather.forecast")]),
            outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
            provenance=Provenance(session="s"),
        )
        store.put(case, emb.embed([task])[0])
        print(f"written c{i}", flush=True)
    if then == "close":
        store.close()
        print("closed", "chromadb" in sys.modules, flush=True)
    else:
        time.sleep(600)


if __name__ == "__main__":
    main()
