"""Knowledge bases on a Chroma server (issue 15 item 6, issue 18's ``[persistence]``), end to end:
the ``kb`` commands on either store through the same ``store`` parameter, a real Agent answering
from a base that lives on a real ``chroma run``, and a server lost under a running agent, which
fails the step naming the server and answers again once it is back."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from tests.chroma_server import ChromaProcess, free_port
from tests.e2e.conftest import cli

FROB = (
    "# Restarting the frobnicator\nTo restart the frobnicator service, run systemctl restart "
    "frobnicator and then check the log in /var/log/frob.log.\n"
)
QUUX = (
    "# Rotating the quux keys\nThe quux signing keys are rotated every 90 days with the "
    "command quuxctl rotate --all.\n"
)


def _persistence(url: str | None) -> str:
    if url is None:
        return ""
    return f'[persistence]\nchroma_url = "{url}"\nchroma_database = "e2e-{uuid.uuid4().hex[:12]}"\n'


def _project(root: Path, persistence: str, *, builtin: bool = True) -> Path:
    ops = root / "docs" / "ops"
    ops.mkdir(parents=True)
    (ops / "frobnicator.md").write_text(FROB)
    (ops / "quux.md").write_text(QUUX)
    agent = '[agent]\nname = "ops"\n' + ("" if builtin else "builtin_targets = false\n")
    (root / "agentroute.toml").write_text(f"# our team\n{agent}{persistence}")
    return root


@pytest.fixture(params=["embedded", "server"])
def store_url(request: pytest.FixtureRequest) -> str | None:
    """``None``: embedded chromadb in the data directory; else the session's Chroma server."""
    return None if request.param == "embedded" else request.getfixturevalue("chroma_server_url")


def _json(*args: str, cwd: Path) -> list[dict[str, object]]:
    out = cli(*args, "--json", cwd=cwd)
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout))


def test_the_kb_commands_on_either_store(store_url: str | None, tmp_path: Path) -> None:
    root = _project(tmp_path, _persistence(store_url), builtin=False)
    added = cli("kb", "add", "runbooks", "docs", "-d", "The ops team's runbooks.", cwd=root)
    assert added.returncode == 0, added.stderr
    assert "2 document(s) added" in " ".join(added.stdout.split())
    assert [(r["name"], r["passages"]) for r in _json("kb", "list", cwd=root)] == [("runbooks", 2)]
    on_disk = (root / ".agentroute" / "knowledge" / "runbooks").exists()
    assert on_disk == (store_url is None)

    (root / "docs" / "ops" / "quux.md").unlink()
    (root / "docs" / "ops" / "frobnicator.md").write_text(FROB.replace("systemctl", "frobctl"))
    (status,) = _json("kb", "status", cwd=root)
    assert (status["files_removed"], status["documents_updated"]) == (1, 1)
    ingested = cli("kb", "ingest", cwd=root)
    assert ingested.returncode == 0, ingested.stderr
    assert "1 chunk(s) embedded" in " ".join(ingested.stdout.split())
    (again,) = _json("kb", "status", cwd=root)
    assert (again["files_read"], again["files_unchanged"]) == (0, 1)
    assert _json("kb", "list", cwd=root)[0]["passages"] == 1

    removed = cli("kb", "rm", "runbooks", cwd=root)
    assert removed.returncode == 0, removed.stderr
    assert _json("kb", "list", cwd=root) == []
    # added again under the same name: nothing of the removed base is left in the store
    readded = cli("kb", "add", "runbooks", "docs", cwd=root)
    assert readded.returncode == 0, readded.stderr
    assert "1 document(s) added" in " ".join(readded.stdout.split())


def test_a_server_that_is_down_is_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    base = '[knowledge.runbooks]\ndocuments = ["docs"]\n'
    root = _project(tmp_path, f'[persistence]\nchroma_url = "{url}"\n{base}')
    commands = [("kb", "ingest"), ("kb", "list"), ("kb", "rm", "runbooks"), ("run", "quux keys?")]
    for command in commands:  # the file's setting to fix, at its line: a configuration error
        out = cli(*command, cwd=root)
        assert out.returncode == 2, (command, out.stdout, out.stderr)
        assert out.stdout == "" and "agentroute.toml:5 [persistence.chroma_url]: " in out.stderr
        assert f"the Chroma server at {url} cannot be reached" in out.stderr
        assert "chroma run" in out.stderr and "Traceback" not in out.stderr
    assert "[knowledge.runbooks]" in (root / "agentroute.toml").read_text()  # rm did nothing


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ChromaProcess]:
    server = ChromaProcess(tmp_path / "server").start()
    try:
        yield server
    finally:
        server.stop()


def test_an_agent_answers_from_a_base_on_the_server(
    own_server: ChromaProcess, tmp_path: Path
) -> None:
    root = _project(tmp_path / "project", _persistence(own_server.url), builtin=False)
    with (root / "agentroute.toml").open("a") as toml:
        toml.write('\n[knowledge.runbooks]\ndocuments = ["docs"]\n')
        # what the planner routes by while the server cannot be probed
        toml.write('description = "Runbooks: restarting the frobnicator service, rotating '
                   'the quux keys."\n')  # fmt: skip
    with Agent.from_config(root / "agentroute.toml") as agent:
        result = agent.run("How often are the quux keys rotated?")
        assert [s.target for s in result.steps] == ["runbooks"], result.answer
        assert result.steps[0].ok and "90 days" in result.answer
        assert not (root / ".agentroute" / "knowledge" / "runbooks").exists()

        own_server.stop()
        lost = agent.run("How do I restart the frobnicator service?")
        assert "systemctl restart" not in lost.answer
        failed = [s for s in lost.steps if s.target == "runbooks"]
        assert failed and not failed[0].ok, lost.answer
        assert own_server.url in (failed[0].error or "")
        assert own_server.url in lost.answer, lost.answer

        own_server.start()  # the same agent, the server back: answered again
        back = agent.run("How do I restart the frobnicator service?")
        assert back.steps[0].ok and "systemctl restart frobnicator" in back.answer
