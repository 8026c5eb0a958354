"""MCP tool servers failing while ``serve api`` is under load (issue 18): the calc server
(a subprocess of every worker) killed, hung and spewing garbage on its stdout while users chat.

Run: ``python benchmarks/faults/mcp_faults.py [--quick]`` (prints a table; ``run()`` returns
its rows). Loopback only; a step's timeout is 3 s here.

Each fault must be survived (the supervisor restarts a dead server, a hung call times out, a
garbage line is dropped) or fail loudly (the answer says which part could not be answered and
why); an answered turn is never lost from its thread, and no answer is silently wrong (a
product that is not the product). ``recovered``: after the fault, calc answers again on every
new conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _faults import HEADERS, Served, load, print_table, row, servers_of

CALC = b"agentroute_tools.calc"


def kill(served: Served, _: float) -> str:
    pids = servers_of(served, CALC)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    return f"killed {len(pids)} calc servers"


def hang(served: Served, seconds: float) -> str:
    pids = servers_of(served, CALC)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    time.sleep(seconds)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # the supervisor replaced it meanwhile
            os.kill(pid, signal.SIGCONT)
    return f"stopped {len(pids)} calc servers for {seconds:g} s"


def garbage(served: Served, seconds: float) -> str:
    """Lines that are not JSON-RPC, written into each calc server's stdout pipe (the very pipe
    its worker reads), between its own messages."""
    written = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pid in servers_of(served, CALC):
            try:
                fd = os.open(f"/proc/{pid}/fd/1", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                os.write(fd, b"this is not json-rpc {\n")
                written += 1
            except OSError:
                pass
            finally:
                os.close(fd)
        time.sleep(0.25)
    return f"{written} garbage lines over {seconds:g} s"


def probe(served: Served, first: int, count: int = 4) -> bool:
    """New conversations after the fault: does calc answer on each?"""
    ok = 0
    for i in range(count):
        a = 300 + first + i
        reply = httpx.post(
            f"{served.url}/chat/completions",
            headers=HEADERS,
            json={
                "model": "helper",
                "messages": [{"role": "user", "content": f"What is {a} * 7?"}],
            },
            timeout=120,
        )
        if (
            reply.status_code == 200
            and str(a * 7) in reply.json()["choices"][0]["message"]["content"]
        ):
            ok += 1
    return ok == count


def scenario(
    served: Served,
    name: str,
    inject: Callable[[Served, float], str],
    seconds: float,
    first_id: int,
    sessions: int,
    turns: int,
) -> dict[str, Any]:
    said: list[str] = []

    def injector() -> None:
        time.sleep(2.0)
        said.append(inject(served, seconds))

    thread = threading.Thread(target=injector)
    thread.start()
    people, lost = asyncio.run(load(served, sessions, turns, first_id, retries=2))
    thread.join()
    time.sleep(2.0)
    recovered = probe(served, first_id)
    steps = [f for s in people for f in s.failed_steps]
    http = [e for s in people for e in s.errors]
    wrong = [w for s in people for w in s.wrong]
    after = [w for s in people for w in s.wrong_after_failure]
    example = steps[0].split(": ", 2)[-1][:90] if steps else ""
    for line in wrong[:3]:
        print(f"  {name}: silently wrong: {line}", file=sys.stderr)
    return row(
        name,
        people,
        lost,
        recovered,
        f"{said[0] if said else '-'}; {len(steps)} steps failed in answered turns"
        f"{' (' + example + ')' if example else ''}; {len(http)} requests failed; "
        f"silently wrong answers {len(wrong)}, and {len(after)} to a follow-up of a turn that "
        "had failed loudly",
    )


def run(quick: bool = False) -> list[dict[str, Any]]:
    sessions, turns = (4, 5) if quick else (8, 10)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="agentroute-mcp-faults-") as folder:
        served = Served(Path(folder), 2, step_timeout_s=3.0)
        try:
            rows.append(
                scenario(
                    served, "calc server killed (-9) under load", kill, 0, 7000, sessions, turns
                )
            )
            rows.append(
                scenario(
                    served,
                    "calc server hung (SIGSTOP) under load",
                    hang,
                    6.0,
                    7100,
                    sessions,
                    turns,
                )
            )
            rows.append(
                scenario(
                    served,
                    "calc server spews garbage under load",
                    garbage,
                    5.0,
                    7200,
                    sessions,
                    turns,
                )
            )
        finally:
            served.stop()
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    rows = run(quick)
    print_table(rows)
    if not quick:
        out = Path(__file__).resolve().parents[1] / "results" / "fault_mcp.json"
        out.write_text(json.dumps(rows, indent=2) + "\n")
