"""A real PostgreSQL server (Debian's ``postgresql`` package) for the tests and fault scenarios
that run the stores on one.

CI's ``.ci/run`` starts one and names it in ``AGENTROUTE_TEST_POSTGRES_URL`` (a superuser's
URL: each test makes a database of its own there): then it must answer, and a missing server
fails the tests that need it (never skips them). Without that variable (a developer's machine)
the session starts its own from Debian's binaries on a free loopback port, in a temporary
folder, and stops it at the end. Postgres refuses to run as root: as root, the server runs as
the ``postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "ENV",
    "PostgresProcess",
    "answers",
    "database_for_test",
    "free_port",
    "pg_bin",
    "session_server_url",
]

ENV = "AGENTROUTE_TEST_POSTGRES_URL"
READY_WAIT_S = 90
"""How long a starting server may take to accept connections (a bound on the wait)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path:
    """Debian's server binaries (``/usr/lib/postgresql/<version>/bin``), the newest."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
    )
    if not found:
        raise RuntimeError(
            "no PostgreSQL server binaries in /usr/lib/postgresql: apt-get install postgresql "
            f"(or set {ENV} to a running server's superuser URL)"
        )
    return found[-1].parent


def answers(url: str) -> bool:
    """Whether the server at ``url`` accepts a connection and a query."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


class PostgresProcess:
    """``initdb`` into a temporary folder, then ``pg_ctl`` start, restart and stop on one
    loopback port (trust authentication: loopback only, a throwaway cluster)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.dir = Path(tempfile.mkdtemp(prefix="agentroute-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self._bin = pg_bin()
        self._initialised = False

    def _run(self, *command: str, timeout: float = READY_WAIT_S + 30) -> None:
        """A server binary, as the ``postgres`` user when we are root; its output goes to a
        file (a pipe would be held open by the server ``pg_ctl`` leaves running)."""
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        said = self.dir / "commands.log"
        with said.open("ab") as out:
            code = subprocess.call(
                [*as_owner, str(self._bin / command[0]), *command[1:]],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                cwd=self.dir,
            )
        if code != 0:
            tail = said.read_text(errors="replace")[-1000:]
            log = self.log.read_text(errors="replace")[-1000:] if self.log.exists() else ""
            raise RuntimeError(f"{command[0]} exited with {code}:\n{tail}\n{log}")

    def start(self) -> PostgresProcess:
        if not self._initialised:
            if os.geteuid() == 0:
                shutil.chown(self.dir, "postgres", "postgres")
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync",
            )  # fmt: skip
            self._initialised = True
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", str(READY_WAIT_S), "start",
        )  # fmt: skip
        return self

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every session cut off, the server back on its port."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast",
            "-w", "-t", str(READY_WAIT_S), "restart",
        )  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def session_server_url() -> tuple[str, PostgresProcess | None]:
    """CI's server (which must answer), else one started here."""
    import pytest

    url = os.environ.get(ENV)
    if url:
        if not answers(url):
            pytest.fail(f"{ENV}={url}, but no Postgres server answers there (.ci/run starts one)")
        return url, None
    own = PostgresProcess().start()
    return own.url, own


def database_for_test(url: str) -> str:
    """A database of the test's own on the server at ``url`` (a superuser's URL), as a URL:
    tests never see each other's threads."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
