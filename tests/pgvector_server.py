"""A real PostgreSQL server with pgvector for the tests (and CI) that run the stores on it.

Debian bookworm packages no pgvector for its PostgreSQL 15, so the server comes from the
``pgserver`` wheel (the ``dev`` extra): PostgreSQL 16.2 with pgvector 0.6.2, started here with
its own ``initdb`` and ``pg_ctl`` in a temporary folder, on a free loopback port, trusting only
loopback connections. PostgreSQL refuses to run as root: as root, the binaries are copied into
the folder and every command runs as ``nobody`` (a clone under ``/root`` is not readable by it).

CI's ``.ci/run`` starts one (``python -m tests.pgvector_server start DIR``) and names it in
``AGENTROUTE_TEST_PGVECTOR_URL``: then it must answer, and a missing server fails the tests that
need it (never skips them). Without that variable the session starts its own and stops it.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = ["ENV", "PgVectorProcess", "database_for_test", "pginstall", "session_server_url"]

ENV = "AGENTROUTE_TEST_PGVECTOR_URL"
READY_WAIT_S = 90
"""How long a starting server may take to accept connections (a bound, not a measurement)."""
_RUN_AS = "nobody"


class PgVectorServerFailed(RuntimeError):
    """The server could not be started, or does not answer."""


def pginstall() -> Path:
    """The PostgreSQL tree the ``pgserver`` wheel ships (``bin``, ``lib``, ``share``)."""
    spec = importlib.util.find_spec(
        "pgserver"
    )  # located, not imported (its import starts nothing, but needs psutil)
    if spec is None or spec.origin is None:
        raise PgVectorServerFailed(
            "the pgserver wheel is not installed (pip install -e '.[dev]'): it ships the "
            "PostgreSQL server with pgvector the tests run on"
        )
    return Path(spec.origin).parent / "pginstall"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(url: str) -> bool:
    """Whether a PostgreSQL server accepts a connection at ``url`` and has pgvector."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"
            ).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


class PgVectorProcess:
    """``postgres`` from the pgserver wheel in ``root`` (made when missing), on a loopback port;
    stopped and started again on the same port and data (a restart under a session)."""

    def __init__(self, root: Path | None = None, port: int | None = None) -> None:
        self.root = root if root is not None else Path(tempfile.mkdtemp(prefix="agentroute-pg-"))
        self.port = port or free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_root = os.geteuid() == 0

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def _bin(self, name: str) -> str:
        home = self.root / "dist" / "pgserver" / "pginstall" if self._as_root else pginstall()
        return str(home / "bin" / name)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        user: dict[str, object] = {}
        if self._as_root:
            entry = pwd.getpwnam(_RUN_AS)
            user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"}
        return subprocess.run(
            list(args),
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=READY_WAIT_S + 30,
            check=False,
            **user,  # type: ignore[arg-type]
        )

    def _prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            self.root.chmod(0o755)
            dist = self.root / "dist"
            if (
                not dist.exists()
            ):  # the tree and its vendored libraries (RPATH ../../../pgserver.libs)
                source = pginstall()
                shutil.copytree(
                    source,
                    dist / "pgserver" / "pginstall",
                    ignore=shutil.ignore_patterns("include"),
                )
                shutil.copytree(source.parents[1] / "pgserver.libs", dist / "pgserver.libs")
            entry = pwd.getpwnam(_RUN_AS)
            for folder, _, files in os.walk(self.root):
                os.chown(folder, entry.pw_uid, entry.pw_gid)
                for f in files:
                    os.chown(
                        os.path.join(folder, f), entry.pw_uid, entry.pw_gid, follow_symlinks=False
                    )
        if not (self.data / "PG_VERSION").exists():
            done = self._run(
                self._bin("initdb"), "-D", str(self.data), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
            )  # fmt: skip
            if done.returncode != 0:
                raise PgVectorServerFailed(f"initdb failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> PgVectorProcess:
        self._prepare()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.data} -c fsync=off -c max_connections=200"
        )
        done = self._run(
            self._bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", str(READY_WAIT_S), "start",
        )  # fmt: skip
        if done.returncode != 0:
            said = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PgVectorServerFailed(
                f"pg_ctl start failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{said}"
            )
        if not answers(self.url):
            raise PgVectorServerFailed(f"the server at {self.url} started but does not answer")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self._bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def session_server_url() -> tuple[str, PgVectorProcess | None]:
    """CI's server (which must answer), else one started here."""
    import pytest

    url = os.environ.get(ENV)
    if url:
        if not answers(url):
            pytest.fail(
                f"{ENV}={url}, but no PostgreSQL with pgvector answers there (.ci/run starts one)"
            )
        return url, None
    try:
        own = PgVectorProcess().start()
    except PgVectorServerFailed as exc:
        pytest.fail(str(exc))
    return own.url, own


def database_for_test(url: str) -> str:
    """A new database of the test's own on the server at ``url`` (so tests never see each
    other's tables): its DSN."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main(argv: list[str]) -> int:
    """``start DIR``: start a server in DIR, print its URL; ``stop DIR``: stop it."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python -m tests.pgvector_server start|stop DIR", file=sys.stderr)
        return 2
    root = Path(argv[1])
    port_file = root / "port"
    if argv[0] == "stop":
        if port_file.exists():
            PgVectorProcess(root, int(port_file.read_text())).stop()
        return 0
    try:
        server = PgVectorProcess(root).start()
    except PgVectorServerFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    port_file.write_text(str(server.port))
    print(server.url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
