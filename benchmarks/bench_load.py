"""Load campaign of ``agentroute serve api`` (issue 18): many concurrent chat sessions through
the OpenAI-compatible API, several workers, against loopback only.

Run: ``python benchmarks/bench_load.py [--backend sqlite|postgres|pgvector] [--sessions 50]
[--turns 20] [--workers 4] [--quick]``. Writes the backend's entry of
``benchmarks/results/load.json`` and prints a table.

``--backend`` picks where the workers share their state, set in ``agentroute.toml``'s
``[persistence]`` as a user would (``_backends.py`` starts the servers on loopback): ``sqlite``
(threads in the data directory's SQLite file, cases in embedded chromadb), ``postgres``
(threads on a PostgreSQL server, cases on a ``chroma run`` server), ``pgvector`` (threads and
cases on PostgreSQL with pgvector). The engines' own CPU per turn is reported beside the
server's.

Each session is a user: it sends its whole conversation each turn, as OpenAI clients do (the
thread is derived from it), waits for the answer, thinks (uniform 1–3 s), and asks the next
question of a fixed script that touches every kind of target: the calc MCP server (a
subprocess), a follow-up computed on its result, the in-process units server, the official
time server (a subprocess), and a scripted expert answering over HTTP in 0.4 s ± 25%
(``_scripted_expert.py``). The baseline is the same script with one session at a time,
measured on the same server in the same run. Afterwards every thread's history is read back:
a turn answered with 200 but missing from its thread is a lost turn. Every worker opens the
data directory's case bank (memory on, as ``serve api`` runs by default): they share it through
its journal, so a case one worker writes is recalled by the next turn on any other, and each
turn pays for its recall and its write.

Targets: 0 errors, 0 lost turns, p95 turn latency at 50 sessions ≤ 3× p95 at 1 session.

The machine's share matters on 2 cores: the table gives the server's CPU per turn and the time
its threads were runnable but waiting for a CPU (``/proc/*/task/*/schedstat``), beside the
load average, so a slow run on a busy machine reads as such.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _api_server import TOKEN, Served, cpu_s, tree_of
from _backends import BACKENDS, Backend, start_backend

RESULTS = Path(__file__).parent / "results" / "load.json"
THINK_S = (1.0, 3.0)
"""A user's pause between an answer and the next question (uniform), in seconds."""
TURN_TIMEOUT_S = 120.0


def script(session: int, turns: int) -> list[tuple[str, str | None]]:
    """(request, a text the answer must contain) for each turn of a session; numbers differ per
    session, so no two sessions share a thread."""
    rng = random.Random(session)
    topics = ["autumn", "the sea", "a lighthouse", "coffee", "trains", "snow", "bees", "maps"]
    cities = ["Europe/Paris", "Asia/Tokyo", "America/New_York", "Australia/Sydney"]
    out: list[tuple[str, str | None]] = []
    while len(out) < turns:
        a, b = 200 + session + len(out), rng.randint(11, 99)  # a session's first differs
        miles = rng.randint(2, 90)
        out += [
            (f"What is {a} * {b}?", str(a * b)),
            ("divide that by 4", _number(a * b / 4)),
            (f"How many kilometres are {miles} miles?", "km"),
            (f"Write a two-line poem about {rng.choice(topics)}", "short answer"),
            (f"What time is it in {rng.choice(cities)}?", None),
        ]
    return out[:turns]


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


@dataclass
class Session:
    id: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    wrong_after_failure: list[str] = field(default_factory=list)
    """Wrong answers to a follow-up of a turn whose step failed (its answer said so): the
    follow-up had nothing right to refer to."""
    acknowledged: list[str] = field(default_factory=list)
    hows: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    """Steps whose call failed in an answered turn: the answer says so (a loud failure)."""
    thread: str | None = None


async def run_session(
    client: httpx.AsyncClient,
    url: str,
    session: Session,
    turns: int,
    think: tuple[float, float] | None,
    *,
    retries: int = 0,
) -> None:
    """One user's conversation. A turn that fails (no answer, or not a 200) is counted, then
    sent again up to ``retries`` times, as OpenAI's client does; without a retry left the user
    moves on to the next question (the failed one is not in their conversation)."""
    rng = random.Random(10_000 + session.id)
    messages: list[dict[str, str]] = []
    previous_failed = False
    for request, expect in script(session.id, turns):
        messages.append({"role": "user", "content": request})
        body: dict[str, Any] | None = None
        for _ in range(retries + 1):
            started = time.perf_counter()
            try:
                reply = await client.post(
                    f"{url}/chat/completions",
                    json={"model": "helper", "messages": messages},
                    timeout=TURN_TIMEOUT_S,
                )
            except httpx.HTTPError as exc:
                session.errors.append(f"{request!r}: {type(exc).__name__}: {exc}")
                await asyncio.sleep(0.5)
                continue
            session.latencies.append(time.perf_counter() - started)
            if reply.status_code != 200:
                session.errors.append(f"{request!r}: HTTP {reply.status_code}: {reply.text[:200]}")
                await asyncio.sleep(0.5)
                continue
            body = reply.json()
            break
        if body is None:
            messages.pop()
            continue
        answer = body["choices"][0]["message"]["content"]
        said = body["agentroute"]
        session.acknowledged.append(request)
        session.hows.append(said["how"])
        failed = [
            f"{request!r}: {st['target']}: {st['error']}" for st in said["steps"] if not st["ok"]
        ]
        session.failed_steps += failed
        if session.thread not in (None, said["thread"]):
            session.errors.append(
                f"{request!r}: thread changed {session.thread} -> {said['thread']}"
            )
        session.thread = said["thread"]
        if expect is not None and expect not in answer and not failed:  # wrong, and silent
            where = session.wrong_after_failure if previous_failed else session.wrong
            routes = [st["target"] for st in said["steps"]]
            where.append(f"{request!r} ({said['how']}, via {routes}): {answer[:120]!r}")
        previous_failed = bool(failed)
        messages.append({"role": "assistant", "content": answer})
        if think is not None:
            await asyncio.sleep(rng.uniform(*think))


async def lost_turns(client: httpx.AsyncClient, url: str, sessions: list[Session]) -> list[str]:
    """Turns answered with 200 that their thread's history does not hold, in order."""
    lost: list[str] = []
    for s in sessions:
        if s.thread is None:
            lost += [f"session {s.id}: {r!r} (no thread)" for r in s.acknowledged]
            continue
        reply = await client.get(f"{url}/agentroute/threads/{s.thread}", timeout=60)
        kept = [h["request"] for h in reply.json()["history"]] if reply.status_code == 200 else []
        said = s.acknowledged[-20:]  # a thread keeps its last 20 turns
        missing = [r for i, r in enumerate(said) if i >= len(kept) or kept[i] != r]
        if len(kept) > len(said):  # a turn run twice, or one the client never saw answered
            missing += [f"{len(kept) - len(said)} extra turn(s) in the thread"]
        lost += [f"session {s.id}: {r!r}" for r in missing]
    return lost


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def engines_cpu_s(backend: Backend) -> dict[str, float]:
    """CPU seconds each of the backend's servers (Postgres and its connections, Chroma) has
    used."""
    return {name: cpu_s(tree_of([pid]), reaped=True) for name, pid in backend.server_pids().items()}


async def phase(
    served: Served,
    backend: Backend,
    count: int,
    turns: int,
    first_id: int,
    *,
    concurrent: bool,
) -> dict[str, Any]:
    sessions = [Session(first_id + i) for i in range(count)]
    limits = httpx.Limits(max_connections=count + 8, max_keepalive_connections=count + 8)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(limits=limits, headers=headers) as client:
        cpu = served.cpu_s()
        engines = engines_cpu_s(backend)
        sched_cpu, sched_wait = served.sched_s()
        started = time.perf_counter()
        if concurrent:
            await asyncio.gather(
                *(run_session(client, served.url, s, turns, THINK_S) for s in sessions)
            )
        else:
            for s in sessions:
                await run_session(client, served.url, s, turns, None)
        wall = time.perf_counter() - started
        cpu = served.cpu_s() - cpu
        engines = {k: v - engines.get(k, 0.0) for k, v in engines_cpu_s(backend).items()}
        now_cpu, now_wait = served.sched_s()
        sched_cpu, sched_wait = now_cpu - sched_cpu, now_wait - sched_wait
        lost = await lost_turns(client, served.url, sessions)
    latencies = [x for s in sessions for x in s.latencies]
    answered = sum(len(s.acknowledged) for s in sessions)
    return {
        "backend": backend.name,
        "sessions": count,
        "turns": turns,
        "concurrent": concurrent,
        "answered": answered,
        "errors": [e for s in sessions for e in s.errors],
        "wrong": [w for s in sessions for w in s.wrong],
        "lost": lost,
        "p50_s": pct(latencies, 0.5),
        "p95_s": pct(latencies, 0.95),
        "max_s": max(latencies, default=float("nan")),
        "mean_s": statistics.fmean(latencies) if latencies else float("nan"),
        "wall_s": wall,
        "throughput_per_s": answered / wall if wall else 0.0,
        "server_cpu_s": cpu,
        "cpu_ms_per_turn": 1000 * cpu / answered if answered else float("nan"),
        "engines_cpu_s": engines,
        "engines_cpu_ms_per_turn": 1000 * sum(engines.values()) / answered
        if answered
        else float("nan"),
        "cpu_wait_ms_per_turn": 1000 * sched_wait / answered if answered else float("nan"),
        "cpu_wait_per_cpu": sched_wait / sched_cpu if sched_cpu else float("nan"),
        "load_average": os.getloadavg()[0],
    }


def engines_ms(row: dict[str, Any]) -> str:
    """The engines' CPU per turn, each named (``-`` for none)."""
    if not row["engines_cpu_s"] or not row["answered"]:
        return "-"
    return " + ".join(
        f"{1000 * v / row['answered']:.0f} ms {k}" for k, v in sorted(row["engines_cpu_s"].items())
    )


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| load | turns answered | errors | lost | wrong | p50 | p95 | max | throughput "
        "| server CPU / turn | engines' CPU / turn | waiting for a CPU / turn | machine load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        load = f"{r['backend']}: {r['sessions']} session{'s' if r['sessions'] > 1 else ''} × {r['turns']}"
        load += " (concurrent, think 1–3 s)" if r["concurrent"] else " (one at a time)"
        lines.append(
            f"| {load} | {r['answered']} | {len(r['errors'])} | {len(r['lost'])} | {len(r['wrong'])} "
            f"| {r['p50_s'] * 1000:.0f} ms | {r['p95_s'] * 1000:.0f} ms | {r['max_s'] * 1000:.0f} ms "
            f"| {r['throughput_per_s']:.1f} turns/s | {r['cpu_ms_per_turn']:.0f} ms "
            f"| {engines_ms(r)} "
            f"| {r['cpu_wait_ms_per_turn']:.0f} ms | {r['load_average']:.1f} |"
        )
    return "\n".join(lines)


def save(backend: str, record: dict[str, Any]) -> None:
    """``load.json`` keeps the last full run of each backend under ``by_backend``."""
    try:
        kept = json.loads(RESULTS.read_text()).get("by_backend", {})
    except (OSError, ValueError):
        kept = {}
    kept[backend] = record
    RESULTS.write_text(json.dumps({"by_backend": kept}, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--baseline-sessions", type=int, default=3, help="one at a time")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default="sqlite",
        help="sqlite: threads in SQLite, cases in embedded chromadb; postgres: threads on a "
        "Postgres server, cases on a Chroma server; pgvector: both on Postgres with pgvector",
    )
    parser.add_argument("--quick", action="store_true", help="8 sessions x 5 turns, 2 workers")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.turns, args.workers, args.baseline_sessions = 8, 5, 2, 1
    with (
        tempfile.TemporaryDirectory(prefix="agentroute-load-") as folder,
        ExitStack() as stack,
    ):
        backend = start_backend(args.backend, Path(folder), stack)
        served = Served(
            Path(folder) / "project", args.workers, extra_config=backend.config, env=backend.env
        )
        try:
            baseline = asyncio.run(
                phase(served, backend, args.baseline_sessions, args.turns, 1, concurrent=False)
            )
            loaded = asyncio.run(
                phase(served, backend, args.sessions, args.turns, 1000, concurrent=True)
            )
        finally:
            served.stop()
        held = backend.holds(served.folder)
    ratio = loaded["p95_s"] / baseline["p95_s"]
    print(table([baseline, loaded]))
    verdict = (
        f"\n{args.backend}, {args.workers} workers; p95 at {args.sessions} sessions = {ratio:.2f}x p95 at 1 session "
        f"(target ≤ 3x: {'met' if ratio <= 3 else 'NOT met'}); errors {len(loaded['errors'])}, "
        f"lost turns {len(loaded['lost'])} (target 0 and 0)"
    )
    print(verdict)
    print(f"state held: {json.dumps(held)}")
    for kind in ("errors", "lost", "wrong"):
        for line in (baseline[kind] + loaded[kind])[:5]:
            print(f"  {kind}: {line}", file=sys.stderr)
    if not args.quick:
        save(
            args.backend,
            {
                "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "backend": args.backend,
                "workers": args.workers,
                "expert_latency_s": "0.4 ± 25%",
                "think_s": list(THINK_S),
                "baseline": baseline,
                "loaded": loaded,
                "p95_ratio": ratio,
                "state_held": held,
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
