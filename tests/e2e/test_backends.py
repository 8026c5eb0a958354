"""Backend conformance (issue 18): one scenario through the real graph on every backend a user
can configure in ``[persistence]`` — SQLite threads with embedded chromadb; Postgres threads
with cases and knowledge on a Chroma server; Postgres threads with cases and knowledge in
PostgreSQL + pgvector — with nothing else changed.

Two agents are open on one configuration at once (two workers' view): a turn answered from a
knowledge base and a real MCP tool server, a follow-up in the same thread, the thread read
back by the other agent, and the case the first one wrote recalled by the second.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from agentroute import Agent

ENV = "AGENTROUTE_TEST_BACKEND_PG"
QUUX = (
    "# Rotating the quux keys\nThe quux signing keys are rotated every 90 days with the "
    "command quuxctl rotate --all.\n"
)
QUESTION = "How often are the quux keys rotated?"
BACKENDS = ["sqlite+embedded", "postgres+chroma-server", "postgres+pgvector"]


@pytest.fixture(params=BACKENDS)
def persistence(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The ``[persistence]`` section of one backend (a database of the test's own)."""
    if request.param == "sqlite+embedded":
        return ""
    if request.param == "postgres+chroma-server":
        from tests.postgres_server import database_for_test

        monkeypatch.setenv(ENV, database_for_test(request.getfixturevalue("postgres_url")))
        chroma = request.getfixturevalue("chroma_server_url")
        return (
            f'[persistence]\nthreads = "postgres"\npostgres_url_env = "{ENV}"\n'
            f'chroma_url = "{chroma}"\nchroma_database = "test-{uuid.uuid4().hex[:12]}"\n'
        )
    monkeypatch.setenv(ENV, request.getfixturevalue("pgvector_db"))
    return (
        f'[persistence]\nthreads = "postgres"\nvectors = "pgvector"\npostgres_url_env = "{ENV}"\n'
    )


def _project(root: Path, persistence: str) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "quux.md").write_text(QUUX)
    config = root / "agentroute.toml"
    config.write_text(
        '[agent]\nname = "ops"\nbuiltin_targets = false\n\n'
        f"{persistence}\n"
        '[mcp.calc]\ncommand = "python"\nargs = ["-m", "agentroute_tools.calc"]\n\n'
        '[knowledge.runbooks]\ndocuments = ["docs"]\n'
        'description = "Runbooks: rotating the quux signing keys."\n'
    )
    return config


def test_one_scenario_on_every_backend(persistence: str, tmp_path: Path) -> None:
    config = _project(tmp_path, persistence)
    with Agent.from_config(config) as first, Agent.from_config(config) as second:
        both = first.run(f"{QUESTION} And what is 17 * 23?", thread="t1")
        targets = sorted(s.target for s in both.steps)
        assert targets == ["calc.calculate", "runbooks"], both.answer
        assert all(s.ok for s in both.steps), both.answer
        assert "90 days" in both.answer and "391" in both.answer

        follow = first.run("and 17 * 24?", thread="t1")  # the thread carries the operation
        assert "408" in follow.answer, follow.answer

        said = second.history("t1")  # the thread, as another worker reads it: (asked, answer)
        assert [asked for asked, _ in said] == [f"{QUESTION} And what is 17 * 23?", "and 17 * 24?"]
        assert "408" in said[-1][1], said

        again = second.run(QUESTION)  # the case the first agent wrote, recalled by the second
        assert any(hit.task.startswith(QUESTION) for hit in again.memory), again.memory
        assert again.steps[0].ok and "90 days" in again.answer
