"""An agent whose case bank and knowledge base live in PostgreSQL with pgvector (issue 18),
end to end through the real graph: a turn answered from a base ingested into pgvector, its case
remembered there, and a second agent open at the same time (a second process's view: no lock
held) recalling that case and reusing it. Nothing of either goes into the data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute._postgres import PostgresServer
from agentroute.embeddings import default_embedder
from agentroute.memory._pgvector import PgVectorCaseStore
from tests.e2e.conftest import cli

ENV = "AGENTROUTE_TEST_E2E_PG"
QUUX = (
    "# Rotating the quux keys\nThe quux signing keys are rotated every 90 days with the "
    "command quuxctl rotate --all.\n"
)
FROB = (
    "# Restarting the frobnicator\nTo restart the frobnicator service, run systemctl restart "
    "frobnicator and then check the log in /var/log/frob.log.\n"
)
QUESTION = "How often are the quux keys rotated?"


def _project(root: Path) -> Path:
    ops = root / "docs" / "ops"
    ops.mkdir(parents=True)
    (ops / "quux.md").write_text(QUUX)
    (ops / "frobnicator.md").write_text(FROB)
    (root / "agentroute.toml").write_text(
        '[agent]\nname = "ops"\nbuiltin_targets = false\n\n'
        f'[persistence]\nvectors = "pgvector"\npostgres_url_env = "{ENV}"\n\n'
        '[knowledge.runbooks]\ndocuments = ["docs"]\n'
        'description = "Runbooks: restarting the frobnicator service, rotating the quux keys."\n'
    )
    return root


def test_an_agent_answers_remembers_and_recalls_on_pgvector(
    pgvector_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, pgvector_db)
    root = _project(tmp_path)
    config = root / "agentroute.toml"
    with Agent.from_config(config) as first, Agent.from_config(config) as second:
        answered = first.run(QUESTION)
        assert [s.target for s in answered.steps] == ["runbooks"], answered.answer
        assert answered.steps[0].ok and "90 days" in answered.answer

        again = second.run(QUESTION)  # the other agent, the bank written by the first
        assert again.memory and again.memory[0].task == QUESTION, again.memory
        assert again.steps[0].ok and "90 days" in again.answer
    data = root / ".agentroute"
    assert not (data / "memory").exists() and not (data / "knowledge" / "runbooks").exists()
    server = PostgresServer(url=pgvector_db)
    with PgVectorCaseStore(server, default_embedder()) as store:
        cases = list(store.cases(namespace="ops"))
        (case,) = cases  # the second agent's identical success refreshed the first's case
        assert case.task == QUESTION and case.plan and case.plan.steps[0].target == "runbooks"
        assert case.recall.times_recalled >= 1


def test_the_memory_commands_work_on_the_bank_in_pgvector(
    pgvector_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``agentroute memory`` opens the configured agent's bank where ``[persistence]`` keeps
    it: the cases a run wrote to pgvector are listed, shown and forgotten there (the data
    directory holds no bank to find)."""
    monkeypatch.setenv(ENV, pgvector_db)
    root = _project(tmp_path)
    ran = cli("run", QUESTION, cwd=root)
    assert ran.returncode == 0 and "90 days" in ran.stdout, ran.stdout + ran.stderr
    listed = cli("memory", "list", cwd=root)
    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    assert QUESTION[:60] in line and "[ops]" in line
    case_id = line.split()[0]
    stats = cli("memory", "stats", cwd=root)
    assert stats.returncode == 0 and "pgvector at " in stats.stdout, stats.stdout + stats.stderr
    assert "[ops] 1 cases" in stats.stdout
    shown = cli("memory", "show", case_id, cwd=root)
    assert shown.returncode == 0 and json.loads(shown.stdout)["task"] == QUESTION
    assert cli("memory", "forget", case_id, cwd=root).returncode == 0
    assert cli("memory", "list", cwd=root).stdout == ""
    reindex = cli("memory", "reindex", cwd=root)
    assert reindex.returncode == 1 and "pgvector at " in reindex.stderr, reindex.stderr
    assert not (root / ".agentroute" / "memory").exists()


def test_the_kb_commands_on_pgvector(
    pgvector_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, pgvector_db)
    root = _project(tmp_path)
    first = cli("kb", "ingest", cwd=root)
    assert first.returncode == 0, first.stderr
    assert "2 chunk(s) embedded" in " ".join(first.stdout.split())
    (root / "docs" / "ops" / "quux.md").write_text(QUUX.replace("90", "60"))
    (root / "docs" / "ops" / "frobnicator.md").unlink()
    status = cli("kb", "status", "--json", cwd=root)
    assert status.returncode == 0, status.stderr
    (report,) = json.loads(status.stdout)
    assert (report["files_removed"], report["documents_updated"]) == (1, 1)
    ingested = cli("kb", "ingest", cwd=root)
    assert ingested.returncode == 0, ingested.stderr
    assert "1 chunk(s) embedded" in " ".join(ingested.stdout.split())
    listed = cli("kb", "list", "--json", cwd=root)
    assert [(r["name"], r["passages"]) for r in json.loads(listed.stdout)] == [("runbooks", 1)]
    ran = cli("run", QUESTION, cwd=root)
    assert ran.returncode == 0 and "60 days" in ran.stdout, ran.stdout + ran.stderr


def test_a_database_that_is_down_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.pgvector_server import free_port

    monkeypatch.setenv(ENV, f"postgresql://postgres:s3cr3t@127.0.0.1:{free_port()}/nowhere")
    root = _project(tmp_path)
    for command in (("kb", "ingest"), ("run", QUESTION)):
        out = cli(*command, cwd=root)
        assert out.returncode == 2, (command, out.stdout, out.stderr)
        assert "agentroute.toml:" in out.stderr and "[persistence.postgres_url_env]" in out.stderr
        assert "the Postgres server at 127.0.0.1:" in out.stderr
        assert f"/nowhere ([persistence] postgres_url_env = {ENV})" in out.stderr
        assert "s3cr3t" not in out.stderr + out.stdout  # the address, never the password
        assert "cannot be reached" in out.stderr and "Traceback" not in out.stderr
    monkeypatch.delenv(ENV)
    out = cli("run", QUESTION, cwd=root)
    assert out.returncode == 2 and f"the environment variable {ENV}" in out.stderr, out.stderr


def test_a_database_lost_under_a_running_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped mid-session: the turn still answers what needs no database (calc), the base's
    step fails naming the server, the error log says memory was unavailable; once the server
    is back the same agent recalls and answers from the base again."""
    from tests.pgvector_server import PgVectorProcess, database_for_test

    own = PgVectorProcess().start()
    try:
        monkeypatch.setenv(ENV, database_for_test(own.url))
        root = _project(tmp_path)
        config = root / "agentroute.toml"
        config.write_text(config.read_text().replace("builtin_targets = false\n", ""))
        with Agent.from_config(config) as agent:
            assert agent.run(QUESTION).steps[0].ok
            own.stop()
            lost = agent.run("What is 17 * 23? How do I restart the frobnicator service?")
            assert "391" in lost.answer and "systemctl" not in lost.answer, lost.answer
            failed = [s for s in lost.steps if s.target == "runbooks"]
            assert (
                failed
                and not failed[0].ok
                and "Postgres server at 127.0.0.1:" in (failed[0].error or "")
            )
            assert not lost.memory
            own.start()
            back = agent.run(QUESTION)
            assert back.memory and back.memory[0].task == QUESTION
            assert back.steps[0].ok and "90 days" in back.answer
    finally:
        own.remove()
