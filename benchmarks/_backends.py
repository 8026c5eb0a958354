"""The engines a load run keeps its state on, started by hand as a user would, on loopback.

``sqlite``: nothing to start (threads in the data directory's SQLite file, the case bank in
embedded chromadb). ``postgres``: a PostgreSQL server from Debian's binaries
(``tests/postgres_server.py``; as root it runs as the ``postgres`` user) for the threads and a
``chroma run`` server for the case bank and knowledge. ``pgvector``: PostgreSQL 16 with pgvector
from the ``pgserver`` wheel (``tests/pgvector_server.py``) for threads, cases and knowledge.
Each is named to ``serve api`` only through ``agentroute.toml``'s ``[persistence]`` and a
password-less URL in the environment variable ``postgres_url_env`` names.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.pgvector_server import PgVectorProcess  # noqa: E402
from tests.postgres_server import PostgresProcess, free_port  # noqa: E402

__all__ = ["BACKENDS", "URL_ENV", "Backend", "start_backend"]

BACKENDS = ("sqlite", "postgres", "pgvector")
URL_ENV = "AGENTROUTE_POSTGRES_URL"
CHROMA = [sys.executable, "-c", "import sys; from chromadb.cli.cli import app; sys.exit(app())"]
READY_WAIT_S = 90.0


@dataclass
class Backend:
    """What ``serve api`` is pointed at: ``[persistence]`` lines, its environment, and the
    servers' process ids (their CPU is the engines' share of a turn)."""

    name: str
    config: str = ""
    env: dict[str, str] = field(default_factory=dict)
    pid_files: dict[str, Path] = field(default_factory=dict)
    pids: dict[str, int] = field(default_factory=dict)
    chroma_url: str | None = None

    def holds(self, project: Path) -> dict[str, int | bool]:
        """Where the run's state ended up: threads and cases counted in the engines, and
        whether the data directory grew a thread file (it must not, off SQLite)."""
        said: dict[str, int | bool] = {
            "threads_sqlite_file": (project / ".agentroute" / "threads.sqlite").exists()
        }
        url = self.env.get(URL_ENV)
        if url is not None:
            import psycopg

            with psycopg.connect(url, connect_timeout=10) as conn:
                row = conn.execute("SELECT count(DISTINCT thread_id) FROM checkpoints").fetchone()
                said["threads_in_postgres"] = int(row[0]) if row else 0
                if self.name == "pgvector":
                    tables = conn.execute(
                        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'agentroute_cases%'"
                    ).fetchall()
                    said["cases_in_pgvector"] = sum(
                        int((conn.execute(f'SELECT count(*) FROM "{t}"').fetchone() or [0])[0])
                        for (t,) in tables
                    )
        if self.chroma_url is not None:
            import chromadb

            host, port = self.chroma_url.removeprefix("http://").split(":")
            client = chromadb.HttpClient(host=host, port=int(port), database="load")
            said["cases_on_chroma_server"] = sum(c.count() for c in client.list_collections())
        return said

    def server_pids(self) -> dict[str, int]:
        """The engines' main processes now, by name (a Postgres postmaster, ``chroma run``)."""
        found = dict(self.pids)
        for name, pid_file in self.pid_files.items():
            try:
                found[name] = int(pid_file.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
        return found


def _chroma(path: Path, stack: ExitStack) -> tuple[str, int]:
    """``chroma run --path DIR`` on a free loopback port, stopped when ``stack`` closes."""
    path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (path.parent / "chroma.log").open("ab") as log:
        proc = subprocess.Popen(
            [*CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    stack.callback(stop)
    deadline = time.monotonic() + READY_WAIT_S
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                return url, proc.pid
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"chroma run did not answer at {url}") from None
            time.sleep(0.2)


def _database(url: str, name: str) -> str:
    """A database of the run's own on the superuser's server at ``url``, as a URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def start_backend(name: str, folder: Path, stack: ExitStack, *, pool_size: int = 5) -> Backend:
    """Start ``name``'s servers under ``folder`` (stopped when ``stack`` closes)."""
    if name == "sqlite":
        return Backend(name)
    backend = Backend(name)
    if name == "postgres":
        pg = PostgresProcess()
        stack.callback(pg.close)
        pg.start()
        backend.pid_files["postgres"] = pg.data / "postmaster.pid"
        chroma_url, chroma_pid = _chroma(folder / "chroma", stack)
        backend.pids["chroma"] = chroma_pid
        backend.chroma_url = chroma_url
        backend.config = (
            f'threads = "postgres"\npostgres_url_env = "{URL_ENV}"\n'
            f"postgres_pool_size = {pool_size}\n"
            f'chroma_url = "{chroma_url}"\nchroma_database = "load"\n'
        )
        backend.env[URL_ENV] = _database(pg.url, "agentroute")
    elif name == "pgvector":
        pgv = PgVectorProcess()  # its own folder: the server runs as ``nobody`` when root
        stack.callback(pgv.remove)
        pgv.start()
        backend.pid_files["postgres"] = pgv.data / "postmaster.pid"
        backend.config = (
            f'threads = "postgres"\nvectors = "pgvector"\npostgres_url_env = "{URL_ENV}"\n'
            f"postgres_pool_size = {pool_size}\n"
        )
        backend.env[URL_ENV] = _database(pgv.url, "agentroute")
    else:
        raise ValueError(f"unknown backend {name!r}: one of {', '.join(BACKENDS)}")
    backend.config = "\n[persistence]\n" + backend.config
    return backend
