"""``[persistence] threads``: chat threads in the data directory's SQLite file or on a Postgres
server; every wrong value names the file, line and field, and a password is never taken from
the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentroute import ConfigError, load_config
from agentroute._postgres import PostgresError, PostgresServer
from agentroute.build import parts_from_config
from agentroute.embeddings import HashingEmbedder


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agentroute.toml"
    path.write_text(text)
    return path


def test_sqlite_in_the_data_directory_is_the_default(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "[agent]\ndata_dir = 'state'\n"))
    assert config.persistence.threads == "sqlite"
    assert config.persistence.thread_store(config.agent.data_dir) == (
        tmp_path / "state" / "threads.sqlite"
    )


def test_postgres_names_the_variable_holding_the_url(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            '[persistence]\nthreads = "postgres"\npostgres_url_env = "THREADS_DB"\n'
            "postgres_pool_size = 3\npostgres_timeout_s = 5\n",
        )
    )
    store = config.persistence.thread_store(config.agent.data_dir)
    assert store == PostgresServer(
        url_env="THREADS_DB",
        setting="[persistence] postgres_url_env = THREADS_DB",
        pool_size=3,
        timeout_s=5,
    )


def test_the_agent_is_given_the_configured_store(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            '[agent]\nbuiltin_targets = false\n[memory]\nenabled = false\n'
            '[persistence]\nthreads = "postgres"\npostgres_url_env = "THREADS_DB"\n',
        )
    )
    parts = parts_from_config(config, embedder=HashingEmbedder())
    assert isinstance(parts.kwargs["threads"], PostgresServer)
    assert parts.kwargs["threads"].url_env == "THREADS_DB"


def test_a_password_less_url_may_sit_in_the_file(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            '[persistence]\nthreads = "postgres"\n'
            'postgres_url = "postgresql://agent@db.internal:5433/threads"\n',
        )
    )
    server = config.persistence.thread_store(config.agent.data_dir)
    assert isinstance(server, PostgresServer)
    assert server.conninfo() == "postgresql://agent@db.internal:5433/threads"
    assert server.where() == "db.internal:5433/threads"


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        ('threads = "postgres"', 2, "persistence", "needs postgres_url_env"),
        ('threads = "mysql"', 3, "persistence.threads", "'sqlite' or 'postgres'"),
        (
            'postgres_url = "postgresql://agent:s3cr3t@db/threads"',
            3,
            "persistence.postgres_url",
            "a password does not belong in the file",
        ),
        (
            "postgres_url = \"host=db dbname=threads password='s3cr3t'\"",
            3,
            "persistence.postgres_url",
            "a password does not belong in the file",
        ),
        (
            'postgres_url_env = "postgresql://agent:s3cr3t@db/threads"',
            3,
            "persistence.postgres_url_env",
            "not an environment variable's name",
        ),
        (
            'postgres_url = "postgresql://agent@db/t"\npostgres_url_env = "THREADS_DB"',
            2,
            "persistence",
            "drop one of them",
        ),
        ('postgres_url = "postgresql://[db"', 3, "persistence.postgres_url", "not a Postgres"),
        ("postgres_pool_size = 0", 3, "persistence.postgres_pool_size", "greater than or equal"),
    ],
)
def test_wrong_values_are_located(
    tmp_path: Path, body: str, line: int, field: str, message: str
) -> None:
    path = _write(tmp_path, f"[agent]\n[persistence]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    assert (err.line, err.field) == (line, field), str(err)
    assert message in err.message
    assert "s3cr3t" not in str(err)


def test_the_url_is_read_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    server = PostgresServer(url_env="AGENTROUTE_TEST_THREADS_DB")
    monkeypatch.delenv("AGENTROUTE_TEST_THREADS_DB", raising=False)
    with pytest.raises(PostgresError, match=r"AGENTROUTE_TEST_THREADS_DB is not set"):
        server.conninfo()
    monkeypatch.setenv("AGENTROUTE_TEST_THREADS_DB", "postgresql://[oops")
    with pytest.raises(PostgresError, match=r"AGENTROUTE_TEST_THREADS_DB .*not a Postgres"):
        server.conninfo()
    monkeypatch.setenv("AGENTROUTE_TEST_THREADS_DB", "postgresql://a:s3cr3t@10.0.0.7/chat")
    assert server.conninfo() == "postgresql://a:s3cr3t@10.0.0.7/chat"
    assert server.where() == "10.0.0.7:5432/chat"
    assert "s3cr3t" not in repr(server)


def test_the_readme_threads_section_loads_as_written(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Chat threads on Postgres", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None
    config = load_config(_write(tmp_path, block.group(1)))
    server = config.persistence.thread_store(config.agent.data_dir)
    assert isinstance(server, PostgresServer) and server.url_env == "AGENTROUTE_POSTGRES_URL"
