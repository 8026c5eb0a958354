"""``kill -9`` of a ``serve api`` worker mid-turn (issue 18): the thread resumes on another
worker from its last checkpoint, and no message is lost or answered twice.

Run: ``python benchmarks/faults/worker_kill.py [--quick]`` (prints a table; ``run()`` returns
its rows). Loopback only; the scripted expert takes 3 s here, so a turn is surely mid-flight
(waiting in ``dispatch``) when its worker is killed.

What the client sees: its connection drops without an answer (a loud failure; OpenAI's client
retries such a request by itself). The retry — the same messages — finds the thread's turn
unfinished and its lock free (the kernel released the dead worker's ``flock``), and finishes
it from the last checkpoint (``how: continued``, ``resumed_at: dispatch``): plan, route and
gate are not run again, and the turn is in the thread once.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _faults import HEADERS, Served, load, lock_holder, orphans, print_table, row

from agentroute.api import derive_thread

SLOW_EXPERT_S = 3.0
FIRST = "What is 17 * 23?"


def _post(served: Served, messages: list[dict[str, str]], **extra: Any) -> httpx.Response:
    return httpx.post(
        f"{served.url}/chat/completions",
        headers=HEADERS,
        json={"model": "helper", "messages": messages, **extra},
        timeout=120,
    )


def _kill_when_running(served: Served, thread: str, node: str, killed: list[int]) -> None:
    """Kill -9 the worker holding ``thread``'s lock once the turn's last checkpoint says it
    runs ``node`` next (so the kill lands mid-turn, after checkpoints were written)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        reply = httpx.get(f"{served.url}/agentroute/threads/{thread}", headers=HEADERS, timeout=30)
        holder = lock_holder(served, thread)
        if reply.status_code == 200 and node in reply.json()["next"] and holder is not None:
            time.sleep(0.3)
            os.kill(holder, signal.SIGKILL)
            killed.append(holder)
            return
        time.sleep(0.05)


def _history(served: Served, thread: str) -> list[str]:
    reply = httpx.get(f"{served.url}/agentroute/threads/{thread}", headers=HEADERS, timeout=60)
    return [h["request"] for h in reply.json()["history"]] if reply.status_code == 200 else []


def mid_turn(served: Served, tag: int, *, stream: bool, openai_client: bool) -> dict[str, Any]:
    """One conversation: a first turn, then a slow one whose worker is killed mid-turn."""
    first = [{"role": "user", "content": f"What is {tag} * 23?"}]
    one = _post(served, first).json()
    thread = one["agentroute"]["thread"]
    assert thread == derive_thread("", [first[0]["content"]])
    messages = [
        *first,
        {"role": "assistant", "content": one["choices"][0]["message"]["content"]},
        {"role": "user", "content": f"Write a two-line poem about lighthouse number {tag}"},
    ]
    killed: list[int] = []
    killer = threading.Thread(target=_kill_when_running, args=(served, thread, "dispatch", killed))
    killer.start()
    loud: list[str] = []
    answer: dict[str, Any] | None = None
    if openai_client:  # OpenAI's own client, with its default retries
        import openai

        client = openai.OpenAI(
            base_url=served.url, api_key=HEADERS["Authorization"][7:], timeout=120
        )
        done = client.chat.completions.create(model="helper", messages=messages)  # type: ignore[arg-type]
        answer = done.model_dump()
    else:
        try:
            first_try = _post(served, messages, stream=stream)
            text = first_try.text
            if stream and "data: [DONE]" not in text:
                loud.append("the stream ended without [DONE]")
            elif first_try.status_code != 200:
                loud.append(f"HTTP {first_try.status_code}")
            else:
                answer = first_try.json() if not stream else None
        except httpx.HTTPError as exc:
            loud.append(f"{type(exc).__name__}")
    killer.join()
    if answer is None:  # the client's retry: the same messages
        retry = _post(served, messages)
        answer = retry.json() if retry.status_code == 200 else None
        if answer is None:
            loud.append(f"retry: HTTP {retry.status_code}: {retry.text[:200]}")
    said = (answer or {}).get("agentroute", {})
    kept = _history(served, thread)
    asked = [first[0]["content"], messages[-1]["content"]]
    lost = sum(1 for r in asked if r not in kept)
    twice = len(kept) - len(set(kept))
    recovered = bool(answer) and said.get("how") == "continued" and said.get("worker") not in killed
    how = (
        "stream"
        if stream
        else ("OpenAI client, default retries" if openai_client else "no retry in the client")
    )
    return {
        "scenario": f"kill -9 mid-turn ({how})",
        "acknowledged": len(kept),
        "failed_loudly": len(loud),
        "lost": lost + twice,
        "recovered": recovered and bool(killed),
        "detail": (
            f"killed worker {killed[0] if killed else '-'}; client saw: {'; '.join(loud) or 'an answer'}; "
            f"retry {said.get('how')} at {said.get('resumed_at')} on worker {said.get('worker')}; "
            f"thread holds {len(kept)} turns, {twice} twice"
        ),
    }


def under_load(served: Served, sessions: int, turns: int, kills: int) -> dict[str, Any]:
    """Workers killed one after another while users chat; each user's client retries."""
    killed: list[int] = []

    def killer() -> None:
        rng = random.Random(7)
        for _ in range(kills):
            time.sleep(4.0)
            workers = served.workers()
            if workers:
                victim = rng.choice(workers)
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

    thread = threading.Thread(target=killer)
    thread.start()
    people, lost = asyncio.run(load(served, sessions, turns, 5000, retries=4))
    thread.join()
    served.wait_workers(len(served.workers()) or 1)
    asked = sessions * turns
    got = sum(len(s.acknowledged) for s in people)
    hows = [h for s in people for h in s.hows]
    left = orphans(served, b"agentroute_tools.calc") + orphans(served, b"mcp_server_time")
    return row(
        f"{kills} workers killed -9 under load ({sessions} sessions × {turns} turns)",
        people,
        lost,
        got == asked,
        f"{got}/{asked} turns answered after retries; {hows.count('continued')} finished from a "
        f"dead worker's checkpoint, {hows.count('replayed')} replayed; silently wrong answers "
        f"{sum(len(s.wrong) for s in people)}; MCP servers orphaned {len(left)}",
    )


def run(quick: bool = False) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="agentroute-kill-") as folder:
        workers = 2 if quick else 4
        served = Served(Path(folder), workers, expert_latency_s=SLOW_EXPERT_S)
        try:
            rows.append(mid_turn(served, 101, stream=False, openai_client=False))
            served.wait_workers(workers)
            rows.append(mid_turn(served, 102, stream=True, openai_client=False))
            served.wait_workers(workers)
            if not quick:
                rows.append(mid_turn(served, 103, stream=False, openai_client=True))
                served.wait_workers(workers)
            rows.append(
                under_load(served, 6 if quick else 12, 5 if quick else 8, 1 if quick else 3)
            )
        finally:
            served.stop()
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    rows = run(quick)
    print_table(rows)
    if not quick:
        out = Path(__file__).resolve().parents[1] / "results" / "fault_worker_kill.json"
        out.write_text(json.dumps(rows, indent=2) + "\n")
