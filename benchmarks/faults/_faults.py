"""What the fault campaigns share: the server under test, a load to run while a fault is
injected, and the processes to inject it into (found from the server's process tree)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _api_server import TOKEN, Served, _cmdline
from bench_load import Session, lost_turns, run_session

__all__ = [
    "TOKEN",
    "Served",
    "Session",
    "load",
    "lock_holder",
    "orphans",
    "print_table",
    "row",
    "servers_of",
]

HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def servers_of(served: Served, marker: bytes) -> list[int]:
    """The server's processes whose command line holds ``marker`` (an MCP server's module)."""
    return [p for p in served.tree() if marker in _cmdline(p)]


def orphans(served: Served, marker: bytes, wait_s: float = 10.0) -> list[int]:
    """Processes with ``marker`` that no longer belong to the server's tree (a worker died and
    left its MCP server running), after giving them ``wait_s`` to notice and exit."""
    deadline = time.monotonic() + wait_s
    while True:
        found = _strays(served, marker)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def _strays(served: Served, marker: bytes) -> list[int]:
    ours = set(served.tree())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in ours:
            line = _cmdline(int(entry.name))
            if marker in line and str(served.folder).encode() in _environ_cwd(int(entry.name)):
                found.append(int(entry.name))
    return found


def _environ_cwd(pid: int) -> bytes:
    try:
        return os.readlink(f"/proc/{pid}/cwd").encode()
    except OSError:
        return b""


def lock_holder(served: Served, thread: str) -> int | None:
    """The worker running a turn of ``thread`` now: the holder of the thread's lock file."""
    name = hashlib.sha256(thread.encode()).hexdigest()[:32] + ".lock"
    found = list(served.folder.rglob(f"locks/{name}"))
    if not found:
        return None
    inode = os.stat(found[0]).st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].endswith(f":{inode}"):
            return int(fields[4])
    return None


async def load(
    served: Served,
    sessions: int,
    turns: int,
    first_id: int,
    *,
    think: tuple[float, float] = (0.3, 1.0),
    retries: int = 3,
) -> tuple[list[Session], list[str]]:
    """``sessions`` concurrent users; returns them and the turns their threads lost."""
    people = [Session(first_id + i) for i in range(sessions)]
    limits = httpx.Limits(max_connections=sessions + 8)
    async with httpx.AsyncClient(limits=limits, headers=HEADERS) as client:
        await asyncio.gather(
            *(run_session(client, served.url, s, turns, think, retries=retries) for s in people)
        )
        lost = await lost_turns(client, served.url, people)
    return people, lost


def row(
    scenario: str, people: list[Session], lost: list[str], recovered: bool, detail: str
) -> dict[str, Any]:
    loud = sum(len(s.errors) + len(s.failed_steps) for s in people)
    return {
        "scenario": scenario,
        "acknowledged": sum(len(s.acknowledged) for s in people),
        "failed_loudly": loud,
        "lost": len(lost),
        "recovered": recovered,
        "detail": detail,
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    print("| scenario | acknowledged | failed loudly | lost | recovered | detail |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['scenario']} | {r['acknowledged']} | {r['failed_loudly']} | {r['lost']} "
            f"| {'yes' if r['recovered'] else 'NO'} | {r['detail']} |"
        )
