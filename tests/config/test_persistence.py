"""``[persistence]``: where the knowledge bases' collections live (embedded, or a Chroma server);
every wrong value names the file, line and field, and a secret is never taken from the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentroute import ConfigError, load_config
from agentroute._chroma_client import ChromaServer, ChromaServerError


def test_embedded_is_the_default(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "[agent]\nname = 'x'\n"))
    assert config.persistence.chroma_server() is None
    explicit = load_config(_write(tmp_path, "[persistence]\nchroma = 'embedded'\n"))
    assert explicit.persistence.chroma_server() is None


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agentroute.toml"
    path.write_text(text)
    return path


def test_a_url_puts_the_bases_on_that_server(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            '[persistence]\nchroma_url = "http://10.1.2.3:8123/"\nchroma_database = "team"\n'
            'chroma_token_env = "CHROMA_TOKEN"\n',
        )
    )
    assert config.persistence.chroma_server() == ChromaServer(
        url="http://10.1.2.3:8123", database="team", token_env="CHROMA_TOKEN"
    )
    assert load_config(
        _write(
            tmp_path, '[persistence]\nchroma = "server"\nchroma_url = "https://chroma.example"\n'
        )
    ).persistence.chroma_server() == ChromaServer(url="https://chroma.example")


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        (
            'chroma_url = "localhost:8000"',
            3,
            "persistence.chroma_url",
            "write it as http://host:port",
        ),
        ('chroma_url = "http://h:8000/api"', 3, "persistence.chroma_url", "has no path"),
        ('chroma_url = "http://h:99999"', 3, "persistence.chroma_url", "not a URL"),
        ('chroma = "server"', 2, "persistence", "needs chroma_url"),
        ('chroma = "embedded"\nchroma_url = "http://h:1"', 2, "persistence", "drop one"),
        ('chroma = "remote"', 3, "persistence.chroma", "'embedded' or 'server'"),
        (
            'chroma_url = "http://h:1"\nchroma_token = "s3cr3t"',
            4,
            "persistence.chroma_token",
            "does not belong in the file",
        ),
        (
            'chroma_token_env = "Bearer abc.def"',
            3,
            "persistence.chroma_token_env",
            "not an environment variable's name",
        ),
        ('chroma_database = ""', 3, "persistence.chroma_database", "at least 1 character"),
        ("chroma_timeout_s = 0", 3, "persistence.chroma_timeout_s", "greater than 0"),
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


def test_the_token_is_read_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    server = ChromaServer(url="http://127.0.0.1:8000", token_env="AGENTROUTE_TEST_TOKEN")
    monkeypatch.delenv("AGENTROUTE_TEST_TOKEN", raising=False)
    with pytest.raises(ChromaServerError, match=r"AGENTROUTE_TEST_TOKEN .* is not set"):
        server.headers()
    monkeypatch.setenv("AGENTROUTE_TEST_TOKEN", "abc")
    assert server.headers() == {"Authorization": "Bearer abc"}


def test_the_readme_server_section_loads_as_written(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Knowledge bases on a Chroma server", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None
    config = load_config(_write(tmp_path, block.group(1)))
    assert config.persistence.chroma_server() == ChromaServer(
        url="http://127.0.0.1:8000", database="ops-team", token_env="CHROMA_TOKEN"
    )


def test_the_readme_pgvector_section_loads_as_written(tmp_path: Path) -> None:
    from agentroute._postgres import PostgresServer

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Cases and knowledge on PostgreSQL with pgvector", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None
    config = load_config(_write(tmp_path, block.group(1)))
    server = PostgresServer(
        url_env="AGENTROUTE_POSTGRES_URL",
        setting="[persistence] postgres_url_env = AGENTROUTE_POSTGRES_URL",
    )
    assert config.persistence.vector_server() == server
    assert config.persistence.postgres_server() == server  # one address, threads' too


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('vectors = "pgvector"\n', "needs postgres_url_env"),
        (
            'vectors = "pgvector"\npostgres_url_env = "postgresql://u:pw@h/db"\n',
            "not an environment",
        ),
        ('postgres_url = "postgresql://u:pw@h/db"\n', "does not belong in the file"),
        (
            'vectors = "pgvector"\npostgres_url_env = "PG"\nchroma_url = "http://127.0.0.1:8000"\n',
            "drop one of them",
        ),
        ('vectors = "qdrant"\n', "vectors"),
    ],
)
def test_a_wrong_pgvector_setting_is_named(tmp_path: Path, body: str, says: str) -> None:
    from agentroute.config import ConfigError

    with pytest.raises(ConfigError, match=says) as err:
        load_config(_write(tmp_path, "[persistence]\n" + body))
    assert "pw@" not in str(err.value)


def test_the_dsn_is_read_from_the_named_variable_and_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from agentroute._pgvector_client import display
    from agentroute._postgres import PostgresError, PostgresServer

    server = PostgresServer(url_env="AGENTROUTE_TEST_PG")
    monkeypatch.delenv("AGENTROUTE_TEST_PG", raising=False)
    with pytest.raises(PostgresError, match=r"AGENTROUTE_TEST_PG is not set \(\[persistence\]"):
        server.conninfo()
    monkeypatch.setenv("AGENTROUTE_TEST_PG", "postgresql://me:s3cr3t@db.example:6543/ops")
    assert server.conninfo().endswith("@db.example:6543/ops")
    assert server.where() == "db.example:6543/ops"
    assert display(server) == "postgresql://db.example:6543/ops"
    assert "s3cr3t" not in repr(server)
