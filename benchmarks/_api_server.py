"""The server under test for the load and fault campaigns: a project folder (agentroute.toml
with a scripted expert, the calc server as a subprocess, the official time server), the
scripted expert's process, and ``agentroute serve api`` with N workers — all on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN_ENV = "AGENTROUTE_BENCH_API_TOKEN"
TOKEN = "bench-token-5e2a"
EXPERT_LATENCY_S = 0.4
"""A scripted expert's answer takes 0.4 s ± 25%: a small hosted model's short answer."""

CONFIG = """
[agent]
name = "helper"
step_timeout_s = {step_timeout}

[experts.writer]
model = "writer"
base_url = "http://127.0.0.1:{expert_port}/v1"
description = "writes short prose: poems, summaries, emails, explanations"
role = "general"

[mcp.calc]                          # a supervised subprocess over stdio
module = "agentroute_tools.calc"
in_process = false

[mcp.time]                          # the official server (pip install mcp-server-time)
command = "{python}"
args = ["-m", "mcp_server_time", "--local-timezone", "UTC"]
{extra}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, TOKEN_ENV: TOKEN, "AGENTROUTE_LOG": "error"}


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, wait_s: float = 300) -> None:
    deadline = time.monotonic() + wait_s
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers (the scripted expert has no GET route)
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} never answered:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


class Served:
    """The scripted expert and ``serve api`` in ``folder``; ``stop()`` ends both groups."""

    def __init__(
        self,
        folder: Path,
        workers: int,
        *,
        extra_config: str = "",
        step_timeout_s: float = 10.0,
        expert_latency_s: float = EXPERT_LATENCY_S,
        env: dict[str, str] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.expert_port = free_port()
        (folder / "agentroute.toml").write_text(
            CONFIG.format(
                expert_port=self.expert_port,
                python=sys.executable,
                extra=extra_config,
                step_timeout=step_timeout_s,
            )
        )
        env = {**_environment(), **(env or {})}
        expert_log = folder / "expert.log"
        self.expert = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "_scripted_expert.py"),
                "--port",
                str(self.expert_port),
                "--latency",
                str(expert_latency_s),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=expert_log.open("wb"),
            start_new_session=True,
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = folder / "serve.log"
        argv = [sys.executable, "-m", "agentroute", "serve", "api", "--port", str(self.port)]
        argv += ["--workers", str(workers), "--token-env", TOKEN_ENV]
        self.proc = subprocess.Popen(
            argv,
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            start_new_session=True,
        )
        try:
            _wait(f"http://127.0.0.1:{self.expert_port}/", self.expert, expert_log)
            _wait(f"{self.url}/models", self.proc, self.log)
            self.wait_workers(workers)
        except BaseException:
            self.stop()
            print(self.log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise

    def workers(self) -> list[int]:
        """The worker processes' ids (the server's children running Python's multiprocessing)."""
        return [p for p in _children(self.proc.pid) if b"spawn_main" in _cmdline(p)]

    def wait_workers(self, count: int, wait_s: float = 300) -> None:
        """Until ``count`` workers answer: each one's agent has started (a worker accepts only then)."""
        import httpx

        deadline = time.monotonic() + wait_s
        seen: set[int] = set()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve api exited:\n{self.log.read_text()[-3000:]}")
            live = set(self.workers()) or {self.proc.pid}  # one worker: the server itself
            if len(live) >= count and seen >= live:
                return
            for _ in range(4 * count):
                try:
                    with httpx.Client(timeout=60) as client:  # a new connection each time
                        reply = client.post(
                            f"{self.url}/chat/completions",
                            headers={"Authorization": f"Bearer {TOKEN}"},
                            json={
                                "model": "helper",
                                "messages": [{"role": "user", "content": "What is 1 + 1?"}],
                            },
                        )
                except httpx.HTTPError:  # a worker that died (or was killed) on the way
                    continue
                if reply.status_code == 200:
                    seen.add(reply.json()["agentroute"]["worker"])
            time.sleep(0.2)
        raise RuntimeError(f"{count} workers never all answered; saw {sorted(seen)}")

    def tree(self) -> list[int]:
        """Every process of the server: supervisor, workers, their MCP servers."""
        return [self.proc.pid, *_descendants(self.proc.pid)]

    def cpu_s(self) -> float:
        """CPU seconds the server's processes have used (a process that died takes its own)."""
        return cpu_s(self.tree())

    def sched_s(self) -> tuple[float, float]:
        """(CPU seconds, seconds runnable but waiting for a CPU) of every thread of the server's
        processes, from ``/proc/<pid>/task/<tid>/schedstat``: how much of a turn's wait is the
        machine's CPUs being busy with something else."""
        cpu = wait = 0
        for pid in self.tree():
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    fields = (task / "schedstat").read_text().split()
                except OSError:
                    continue
                cpu += int(fields[0])
                wait += int(fields[1])
        return cpu / 1e9, wait / 1e9

    def stop(self) -> None:
        for proc in (self.proc, self.expert):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


def cpu_s(pids: list[int], *, reaped: bool = False) -> float:
    """CPU seconds the processes ``pids`` have used, from ``/proc/<pid>/stat``; ``reaped``: with
    their children that have exited (a Postgres server's backends come and go)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        if reaped:
            total += (int(fields[13]) + int(fields[14])) / tick
    return total


def tree_of(pids: list[int]) -> list[int]:
    """``pids`` and all their descendants."""
    return [p for pid in pids for p in (pid, *_descendants(pid))]


def _children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (a worker starts its MCP servers from its agent's
    loop thread, not its main thread)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    for task in tasks:
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
