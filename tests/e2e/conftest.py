"""End-to-end fixtures: the embedded default agent with its real MCP servers, chromadb and SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from agentroute import Agent

REPO = Path(__file__).resolve().parents[2]
MISBEHAVING = REPO / "tests" / "mcp" / "misbehaving_server.py"


@pytest.fixture(scope="module")
def default_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    agent = Agent.default(tmp_path_factory.mktemp("default"))
    with agent:
        yield agent


def cli(
    *args: str, cwd: Path, timeout: float = 180, log: str | None = "error"
) -> subprocess.CompletedProcess[str]:
    """``agentroute ARGS`` as a process; ``log=None`` logs as a user's run does (warnings)."""
    env = {k: v for k, v in os.environ.items() if k != "AGENTROUTE_LOG"}
    if log is not None:
        env["AGENTROUTE_LOG"] = log
    return subprocess.run(
        [sys.executable, "-m", "agentroute", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Chat:
    """``agentroute chat`` as a real process, fed line by line."""

    def __init__(self, cwd: Path, *args: str) -> None:
        env = {**os.environ, "AGENTROUTE_LOG": "error", "COLUMNS": "200"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentroute", "chat", *args],
            cwd=cwd,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.lines: list[str] = []

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read_until(self, needle: str, timeout: float = 180) -> str:
        """Lines up to the first containing ``needle`` (a wait bound, not a speed check)."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            self.lines.append(line)
            if needle in line:
                return "".join(seen)
        raise AssertionError(f"{needle!r} never appeared; got:\n{''.join(seen)}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def close(self) -> str:
        self.send("/quit")
        out, _ = self.proc.communicate(timeout=60)
        self.lines.append(out)
        return out


def thread_store_config(cwd: Path, threads: str | Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI started in ``cwd`` keeps its threads where ``threads`` says, as a user would
    configure it: a Postgres URL becomes ``[persistence] threads = "postgres"`` with the URL in
    an environment variable; a SQLite file is the default (the data directory's)."""
    if isinstance(threads, str):
        monkeypatch.setenv("AGENTROUTE_THREADS_URL", threads)
        (cwd / "agentroute.toml").write_text(
            '[persistence]\nthreads = "postgres"\npostgres_url_env = "AGENTROUTE_THREADS_URL"\n'
        )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def thread_agent(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Agent]:
    """The embedded default agent with its threads in the data directory's SQLite file, then
    on a Postgres database of the module's own."""
    data_dir = tmp_path_factory.mktemp("default")
    if request.param == "sqlite":
        agent = Agent.default(data_dir)
    else:
        from tests.postgres_server import database_for_test

        url = database_for_test(request.getfixturevalue("postgres_url"))
        agent = Agent.default(data_dir, threads=url)
    with agent:
        yield agent


def routerbench(name: str) -> Path:
    """A RouterBench outcome file: under ``$AGENTROUTE_ROUTERBENCH``, else data/routerbench."""
    env = os.environ.get("AGENTROUTE_ROUTERBENCH")
    return (Path(env) if env else REPO / "data" / "routerbench") / name


def replay_config(
    tmp_path: Path, experts: Mapping[str, str], settings: Mapping[str, str] | None = None
) -> Path:
    """``agentroute.toml`` in ``tmp_path``: each of ``experts`` replaying the ARC answers of
    the RouterBench model it maps to (``settings``: more lines of an expert's table), no
    built-in targets, no memory, routed on the ``outcomes.jsonl`` written beside it."""
    replay = routerbench("arc_challenge_train.csv")
    tables = "".join(
        f'[experts.{key}]\nreplay = "{replay}"\nreplay_model = "{model}"\n'
        f"{(settings or {}).get(key, '')}\n"
        for key, model in experts.items()
    )
    (tmp_path / "agentroute.toml").write_text(
        f"""[agent]
builtin_targets = false
max_rounds = 1
data_dir = "{tmp_path / "data"}"

[memory]
enabled = false

{tables}[routing]
outcomes = ["outcomes.jsonl"]
"""
    )
    return tmp_path / "agentroute.toml"
