"""``agentroute serve api`` as a user starts it: a real process (or several workers) on
loopback, in a directory with its own agentroute.toml, spoken to by OpenAI's own client."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

TOKEN_ENV = "AGENTROUTE_TEST_API_TOKEN"
TOKEN = "test-token-8c1f"
READY_WAIT_S = 180.0
"""How long a starting server may take to answer (a bound on the wait, not a measurement)."""

CONFIG = """
[agent]
name = "helper"

[memory]
enabled = false

[mcp.calc]                      # a supervised subprocess, spoken to over stdio
module = "agentroute_tools.calc"
in_process = false

[policy]
files = ["ask.policy"]
"""

POLICY = """
default allow
ask units.convert
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ApiProcess:
    """One ``agentroute serve api`` process group; its workers are its children."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = cwd / f"serve-{self.port}.log"
        env = {**os.environ, TOKEN_ENV: TOKEN, "AGENTROUTE_LOG": "warning"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentroute", "serve", "api", "--port", str(self.port), *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_WAIT_S
        request = urllib.request.Request(
            f"{self.url}/models", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"serve api did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def project(folder: Path) -> Path:
    (folder / "agentroute.toml").write_text(CONFIG)
    (folder / "ask.policy").write_text(POLICY)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiProcess]:
    served = ApiProcess(project(tmp_path_factory.mktemp("api")), "--token-env", TOKEN_ENV)
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()
