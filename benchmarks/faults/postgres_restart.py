"""Fault: the Postgres server holding the chat threads restarts (``pg_ctl restart -m fast``)
while an agent runs turns on it from several sessions at once; then, on a second server, it
stops for longer than the agent waits for a connection (``postgres_timeout_s``) and comes back.

    python benchmarks/faults/postgres_restart.py           # 120 turns, 3 faults, per scenario
    python benchmarks/faults/postgres_restart.py --quick   # 40 turns, 1 fault

A throwaway server from Debian's binaries (``tests/postgres_server.py``; as root it runs as the
``postgres`` user) on a free loopback port. Each turn is acknowledged (``Agent.run`` returned
its answer) or failed loudly (``PostgresError`` naming the server) or failed otherwise (counted
in the detail: it should not happen). Afterwards a new agent reads every thread back: an
acknowledged turn missing from its thread is lost (must be 0). Recovered: turns after the last
fault were acknowledged. A restart should cost waits, not errors; an outage longer than the
wait fails the turns it catches, loudly. Bounded in count (``TURNS``) and time (``DEADLINE_S``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from agentroute import Agent  # noqa: E402
from agentroute._postgres import PostgresError, PostgresServer  # noqa: E402
from agentroute.observability import configure_logging  # noqa: E402
from agentroute.testing import FunctionTarget, OneStepPlanner  # noqa: E402
from tests.postgres_server import PostgresProcess, database_for_test  # noqa: E402

__all__ = ["run"]

SESSIONS = 4
"""Turns run from this many client threads at once, each on chat threads of its own."""
THREADS = 4
"""Chat threads per session: a thread's history keeps its last 20 turns, and every
acknowledged turn must be found in it afterwards (30 turns a session: 7 or 8 a thread)."""
TURNS = {False: 120, True: 40}
FAULTS = {False: 3, True: 1}
DEADLINE_S = {False: 300.0, True: 150.0}
OUTAGE_S = 6.0
"""How long the outage scenario keeps the server stopped: three times its turns' wait."""
OUTAGE_WAIT_S = 2.0
TURN_DELAY_S = 0.02
"""What the tool takes per call: a turn is in flight for a while, as a real one is."""


def _agent(server: PostgresServer) -> Agent:
    echo = FunctionTarget("echo", lambda q, _: f"echo {q}", delay_s=TURN_DELAY_S)
    return Agent(targets=[echo], planner=OneStepPlanner("echo"), threads=server)


def run(quick: bool = False) -> list[dict[str, Any]]:
    """A row per scenario: acknowledged, failed loudly and lost turns over a run with faults."""
    configure_logging(level="error")
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)  # its retries, said as warnings
    rows = []
    for scenario, wait_s in (("postgres_restart", 10.0), ("postgres_outage", OUTAGE_WAIT_S)):
        pg = PostgresProcess().start()
        try:
            server = PostgresServer(
                url=database_for_test(pg.url), setting="the scenario's server", timeout_s=wait_s
            )
            fault = pg.restart if scenario == "postgres_restart" else _outage(pg)
            rows.append(_scenario(scenario, fault, server, quick))
        finally:
            pg.close()
    return rows


def _outage(pg: PostgresProcess) -> Callable[[], None]:
    def fault() -> None:
        pg.stop()
        time.sleep(OUTAGE_S)
        pg.start()

    return fault


def _scenario(
    scenario: str, fault: Callable[[], None], server: PostgresServer, quick: bool
) -> dict[str, Any]:
    turns, restarts, deadline_s = TURNS[quick], FAULTS[quick], DEADLINE_S[quick]
    lock = threading.Lock()
    acknowledged: list[tuple[str, str]] = []
    loud: list[str] = []
    other: list[str] = []
    slowest = [0.0]
    after_last_restart = [0]
    restarted = threading.Event()
    restart_times: list[float] = []
    stop_at = time.monotonic() + deadline_s

    with _agent(server) as agent:

        def session(n: int) -> None:
            for i in range(n, turns, SESSIONS):
                if time.monotonic() > stop_at:
                    return
                thread, request = f"s{n}-{(i // SESSIONS) % THREADS}", f"turn {i}"
                started = time.perf_counter()
                try:
                    result = agent.run(request, thread=thread)
                except PostgresError as exc:
                    with lock:
                        loud.append(str(exc))
                    continue
                except Exception as exc:  # counted, not hidden: it should not happen
                    with lock:
                        other.append(f"{type(exc).__name__}: {exc}")
                    continue
                with lock:
                    slowest[0] = max(slowest[0], time.perf_counter() - started)
                    if f"echo {request}" in result.answer:
                        acknowledged.append((thread, request))
                        if restarted.is_set() and len(restart_times) == restarts:
                            after_last_restart[0] += 1
                    else:
                        other.append(f"wrong answer to {request!r}: {result.answer!r}")

        def restarter() -> None:
            for k in range(1, restarts + 1):
                while len(acknowledged) < k * turns // (restarts + 1):
                    if time.monotonic() > stop_at:
                        return
                    time.sleep(0.01)
                started = time.perf_counter()
                fault()
                restart_times.append(time.perf_counter() - started)
                restarted.set()

        workers = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
        workers.append(threading.Thread(target=restarter))
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    with _agent(server) as reader:  # a new agent: what the store kept, not what one remembers
        kept = {
            thread: {request for request, _ in reader.history(thread)}
            for thread in {thread for thread, _ in acknowledged}
        }
    lost = [(t, r) for t, r in acknowledged if r not in kept.get(t, set())]
    detail = (
        f"{turns} turns from {SESSIONS} sessions, {len(restart_times)}/{restarts} faults "
        f"({'pg_ctl restart -m fast' if scenario == 'postgres_restart' else 'stopped'}, "
        f"{max(restart_times, default=0):.1f} s at most; turns wait {server.timeout_s:g} s for "
        f"a connection); slowest acknowledged turn {slowest[0]:.1f} s"
    )
    if other:
        detail += f"; {len(other)} failed otherwise, first: {other[0][:160]}"
    if loud:
        detail += f"; first loud failure: {loud[0][:160]}"
    return {
        "scenario": scenario,
        "acknowledged": len(acknowledged),
        "failed_loudly": len(loud),
        "lost": len(lost),
        "recovered": len(restart_times) == restarts and after_last_restart[0] > 0 and not other,
        "detail": detail,
    }


def _table(rows: list[dict[str, Any]]) -> str:
    keys = ["scenario", "acknowledged", "failed_loudly", "lost", "recovered"]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    lines += [f"\n{row['scenario']}: {row['detail']}" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer turns, one fault each")
    rows = run(quick=parser.parse_args().quick)
    print(_table(rows))
    sys.exit(0 if all(row["lost"] == 0 and row["recovered"] for row in rows) else 1)
