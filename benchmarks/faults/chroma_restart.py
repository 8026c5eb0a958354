"""Fault: the Chroma server restarts while an agent writes and recalls cases and searches a
knowledge base on it (issue 18).

    python benchmarks/faults/chroma_restart.py           # prints a table
    python benchmarks/faults/chroma_restart.py --quick

A real ``chroma run`` on a loopback port holds the case bank (``ServerCaseStore``, as
``[persistence] chroma_url`` makes it) and a knowledge base. A writer loop puts a case, recalls
it, and asks the base, over and over; meanwhile the server is stopped (SIGTERM, then SIGKILL in
the second scenario) and started again on the same port and data. Counted: writes acknowledged
(``put`` returned), operations that failed loudly (``ChromaServerError`` naming the server),
acknowledged cases missing afterwards (lost), and whether writing, recalling and asking all
work again once the server is back (recovered).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from agentroute._log import get_logger  # noqa: E402

log = get_logger("faults.chroma_restart")

CHROMA = [sys.executable, "-c", "import sys; from chromadb.cli.cli import app; sys.exit(app())"]
READY_WAIT_S = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``chroma run`` on a loopback port, stopped and started again on the same data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log_file = (self.path.parent / "chroma.log").open("ab")
        self.proc = subprocess.Popen(
            [
                *CHROMA,
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + READY_WAIT_S
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"chroma run did not answer at {self.url}") from None
                time.sleep(0.2)

    def stop(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def scenario(name: str, sig: int, n: int, root: Path) -> dict[str, Any]:
    from agentroute.embeddings import HashingEmbedder
    from agentroute.knowledge import ChromaKnowledgeBase, ChromaServer, ChromaServerError, Document
    from agentroute.memory import Case, CaseOutcome, Judge, Provenance, ServerCaseStore
    from agentroute.types import Plan, Step

    server = Server(root / name.replace(" ", "-"))
    server.start()
    cfg = ChromaServer(url=server.url, database="faults", timeout_s=10)
    emb = HashingEmbedder(dim=128)
    kb = ChromaKnowledgeBase("ops", root / f"kb-{sig}", emb, server=cfg)
    kb.add([Document(id="quux", title="Quux", text="The quux signing keys rotate every 90 days.")])
    store = ServerCaseStore(cfg, emb)

    def case(i: int) -> Case:
        text = f"forecast {i} for station {i * 7919 % 10007} in zone {i * 104729 % 9973}"
        return Case(
            id=f"c{i}",
            namespace="ns",
            task=text,
            plan=Plan(steps=[Step(id="s1", query=text, target="weather.forecast")]),
            outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
            provenance=Provenance(session="fault"),
        )

    acked: list[str] = []
    loud = other = 0
    errors: list[str] = []

    def restart() -> None:
        server.stop(sig)
        time.sleep(1.0)
        server.start()

    fault = threading.Thread(target=restart)
    i = 0
    after = 0
    deadline = time.monotonic() + 180
    while (after < n // 2 or fault.is_alive()) and time.monotonic() < deadline:
        if i == n // 2:
            fault.start()  # mid-run: a round may be in flight when the server goes
        elif i > n // 2 and not fault.is_alive():
            after += 1
        c = case(i)
        for op in ("put", "recall", "ask"):
            try:
                if op == "put":
                    store.put(c, emb.embed([c.task])[0])
                    acked.append(c.id)
                elif op == "recall":
                    store.search(emb.embed([c.task])[0], namespace="ns", n=3)
                else:
                    obs = asyncio.run(kb.invoke("s1", "quux signing keys", None, timeout=10))
                    if not obs.ok:
                        if server.url in (obs.error or ""):
                            loud += 1
                        else:
                            other += 1
                            errors.append(obs.error or "")
            except ChromaServerError as exc:
                loud += 1
                if server.url not in str(exc):
                    errors.append(str(exc))
                time.sleep(0.05)
            except Exception as exc:  # not loud enough: counted apart
                other += 1
                errors.append(f"{op}: {type(exc).__name__}: {exc}"[:200])
        i += 1
    fault.join()
    lost = [cid for cid in acked if store.get(cid, namespace="ns") is None]
    again = case(10_000 + n)
    try:
        store.put(again, emb.embed([again.task])[0])
        [(hit, _)] = store.search(emb.embed([again.task])[0], namespace="ns", n=1)
        obs = asyncio.run(kb.invoke("s9", "quux signing keys", None, timeout=10))
        recovered = hit.id == again.id and obs.ok
    except Exception as exc:
        recovered = False
        errors.append(f"after: {type(exc).__name__}: {exc}"[:200])
    store.close()
    server.stop(signal.SIGTERM)
    return {
        "scenario": name,
        "acknowledged": len(acked),
        "failed_loudly": loud,
        "lost": len(lost),
        "recovered": recovered,
        "detail": (
            f"{i} rounds of put+recall+ask; {other} failures without the server's address"
            + (f"; first: {errors[0]}" if errors else "")
        ),
    }


def run(quick: bool = False) -> list[dict[str, Any]]:
    n = 15 if quick else 60
    with tempfile.TemporaryDirectory(prefix="fault-chroma-") as tmp:
        return [
            scenario("chroma server restarted (SIGTERM)", signal.SIGTERM, n, Path(tmp)),
            scenario("chroma server killed -9, restarted", signal.SIGKILL, n, Path(tmp)),
        ]


def table(rows: list[dict[str, Any]]) -> None:
    print(f"{'scenario':<38} {'acked':>6} {'loud':>5} {'lost':>5} {'recovered':>9}  detail")
    for r in rows:
        print(
            f"{r['scenario']:<38} {r['acknowledged']:>6} {r['failed_loudly']:>5} "
            f"{r['lost']:>5} {r['recovered']!s:>9}  {r['detail']}"
        )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    table(run(quick=ap.parse_args().quick))
