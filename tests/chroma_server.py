"""A real Chroma server (``chroma run``, shipped by the chromadb package) for the tests that run
the stores on one.

CI's ``.ci/run`` starts one and names it in ``AGENTROUTE_TEST_CHROMA_URL``: then it must answer,
and a missing server fails the tests that need it (never skips them). Without that variable (a
developer's machine) the session starts its own on a free loopback port and stops it at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from agentroute._chroma_client import ChromaServer

__all__ = ["ENV", "ChromaProcess", "free_port", "server_for_test", "wait_ready"]

ENV = "AGENTROUTE_TEST_CHROMA_URL"
READY_WAIT_S = 90.0
"""How long a starting server may take to answer (a bound on the wait, not a measurement)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(url: str) -> bool:
    """Whether the server at ``url`` answers its heartbeat."""
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_ready(
    url: str, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    deadline = time.monotonic() + READY_WAIT_S
    while not answers(url):
        if process is not None and process.poll() is not None:
            said = log.read_text(errors="replace")[-2000:] if log is not None else ""
            pytest.fail(
                f"chroma run exited with {process.returncode} before answering at {url}:\n{said}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"the Chroma server at {url} did not answer within {READY_WAIT_S:g} s")
        time.sleep(0.2)


CHROMA = [sys.executable, "-c", "import sys; from chromadb.cli.cli import app; sys.exit(app())"]
"""The chromadb package's ``chroma`` command, run by this interpreter (the script's own
shebang may name another path to the same environment)."""


class ChromaProcess:
    """``chroma run --path DIR`` on a loopback port, started, stopped and started again on the
    same port and data (a server restarted under a session)."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaProcess:
        self.path.mkdir(parents=True, exist_ok=True)
        log = self.path.with_name(self.path.name + ".log")
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [*CHROMA, "run", "--path", str(self.path), *self._address()],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_ready(self.url, self.process, log)
        return self

    def _address(self) -> list[str]:
        return ["--host", "127.0.0.1", "--port", str(self.port)]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def session_server_url(tmp: Path) -> tuple[str, ChromaProcess | None]:
    """CI's server (which must answer), else one started here."""
    url = os.environ.get(ENV)
    if url:
        if not answers(url):
            pytest.fail(f"{ENV}={url}, but no Chroma server answers there (.ci/run starts one)")
        return url.rstrip("/"), None
    own = ChromaProcess(tmp).start()
    return own.url, own


def server_for_test(url: str) -> ChromaServer:
    """The session's server with a database of the test's own (made on first use), so tests
    never see each other's collections."""
    return ChromaServer(url=url, database=f"test-{uuid.uuid4().hex[:16]}")
