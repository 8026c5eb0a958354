"""Suite-wide guard: the project carries what it needs and reads nothing beside its clone (a
development machine keeps reading material and other checkouts next to the repository; a user's
clone has none of them). The guard is one audit hook, installed here for the test process and,
through ``PYTHONPATH``, in every Python subprocess a test starts (examples, the CLI, MCP servers
that inherit the environment). Where the clone sits directly in a folder every program shares
(the filesystem root, the home or temporary directory), its neighbours are the machine's own and
nothing is forbidden."""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GUARD = Path(__file__).resolve().parent / "_guard"
_COMMON = {Path("/"), Path.home().resolve(), Path(tempfile.gettempdir()).resolve()}
BESIDE = (
    []
    if REPO.parent in _COMMON
    else sorted(str(p) for p in REPO.parent.iterdir() if p.is_dir() and p.resolve() != REPO)
)
"""The folders beside the clone: what the project must never read."""

os.environ["AGENTROUTE_FORBIDDEN_DIRS"] = os.pathsep.join(BESIDE)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(GUARD), os.environ.get("PYTHONPATH", "")) if p
)
_spec = importlib.util.spec_from_file_location("_sibling_guard", GUARD / "sitecustomize.py")
assert _spec is not None and _spec.loader is not None
_guard = importlib.util.module_from_spec(_spec)
sys.modules["_sibling_guard"] = _guard  # the guard's own tests reach it here
_spec.loader.exec_module(_guard)  # installs the audit hook

if "AGENTROUTE_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="agentroute-test-cache-")
    os.environ["AGENTROUTE_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
"""The user's cache (built models, embedded texts) for this run: never the real one, and one
folder for the whole run, so only the first test to need a model or a text pays for it."""


@pytest.fixture(scope="session")
def chroma_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server's address for the session: CI's (``.ci/run`` starts it), else one
    started here (``tests/chroma_server.py``)."""
    from tests.chroma_server import session_server_url

    url, own = session_server_url(tmp_path_factory.mktemp("chroma-server"))
    try:
        yield url
    finally:
        if own is not None:
            own.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real Postgres server's superuser URL for the session: CI's (``.ci/run`` starts it),
    else one started here from Debian's binaries (``tests/postgres_server.py``)."""
    from tests.postgres_server import session_server_url

    url, own = session_server_url()
    try:
        yield url
    finally:
        if own is not None:
            own.close()


@pytest.fixture(params=["sqlite", "postgres"])
def threads(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a test's chat threads live (``Agent(threads=...)``), once per backend: a SQLite
    file, or a Postgres database of the test's own."""
    if request.param == "sqlite":
        return tmp_path / "threads" / "threads.sqlite"
    from tests.postgres_server import database_for_test

    return database_for_test(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def pgvector_url() -> Iterator[str]:
    """A real PostgreSQL server with pgvector for the session: CI's (``.ci/run`` starts it),
    else one started here (``tests/pgvector_server.py``, the pgserver wheel's binaries)."""
    from tests.pgvector_server import session_server_url

    url, own = session_server_url()
    try:
        yield url
    finally:
        if own is not None:
            own.remove()


@pytest.fixture
def pgvector_db(pgvector_url: str) -> str:
    """The DSN of a new database of the test's own on the session's pgvector server."""
    from tests.pgvector_server import database_for_test

    return database_for_test(pgvector_url)
