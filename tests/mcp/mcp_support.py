"""Helpers for the MCP tests: real server processes, process liveness from /proc.

Imported by name (conftest.py puts this folder on sys.path; tests use importlib mode)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentroute.mcp import McpServerSpec

HERE = Path(__file__).parent
MISBEHAVING = str(HERE / "misbehaving_server.py")
KB_SERVER = str(HERE / "kb_server.py")


def alive(pid: int) -> bool:
    """True if ``pid`` runs and is not a zombie (a zombie has already exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def wait_until(condition, timeout: float = 15.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes (a wait, not a speed check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


def misbehaving_spec(name: str = "bad", *extra: str, **fields) -> McpServerSpec:
    fields.setdefault("call_timeout_s", 20)
    return McpServerSpec(name=name, command=sys.executable, args=[MISBEHAVING, *extra], **fields)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def http_server():
    """Start ``python -m agentroute_tools.X --http --port N`` processes; stop them after."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], port: int) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        procs.append(proc)
        wait_port(port)
        return proc

    start.procs = procs  # type: ignore[attr-defined]
    yield start
    for proc in procs:
        proc.kill()
        proc.wait()
