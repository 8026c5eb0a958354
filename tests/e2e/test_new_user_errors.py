"""A new user's mistakes through the real CLI: each names the file, line and setting to fix
and exits 2 (a usage or configuration error), with no traceback and nothing on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Chat, cli


def _config_error(proc: object, where: str) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)  # type: ignore[attr-defined]
    assert proc.stdout == ""  # type: ignore[attr-defined]
    err: str = proc.stderr  # type: ignore[attr-defined]
    assert where in err and "Traceback" not in err, err
    return err


def test_an_expert_model_that_cannot_be_made_is_the_files_error(tmp_path: Path) -> None:
    """It was 'error: ValueError: model ...: no API key' with exit 1, naming no setting."""
    (tmp_path / "agentroute.toml").write_text(
        '[agent]\nname = "x"\n\n[experts.gpt]\nmodel = "openai:gpt-4o-mini"\n'
        'api_key_env = "AGENTROUTE_TEST_UNSET_KEY"\n'
    )
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:5")
    assert "[experts.gpt.model]" in err and "AGENTROUTE_TEST_UNSET_KEY" in err
    _config_error(cli("serve", "expert", "gpt", cwd=tmp_path), "[experts.gpt.model]")
    # once, before the workers start: each worker's start-up printed a traceback, exit 3
    _config_error(cli("serve", "api", "--port", "8799", cwd=tmp_path), "[experts.gpt.model]")


def test_an_unknown_provider_and_planner_model_are_the_files_errors(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text('[experts.gpt]\nmodel = "nosuchprovider:foo"\n')
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:2")
    assert "[experts.gpt.model]" in err and "unknown provider 'nosuchprovider'" in err
    (tmp_path / "agentroute.toml").write_text('[planner]\nkind = "llm"\nmodel = "nosuch:x"\n')
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:3")
    assert "[planner.model]" in err


def test_a_missing_folder_is_a_usage_error_and_a_file_not_utf8_is_skipped(tmp_path: Path) -> None:
    """``kb add`` of a missing folder, and ``kb ingest``/``kb status`` of a base whose file
    broke, said 'error: DocumentFileError: ...' and exited 1, naming no setting."""
    (tmp_path / "agentroute.toml").write_text("# ours\n[agent]\n")
    added = cli("kb", "add", "notes", "nowhere/", cwd=tmp_path)
    assert added.returncode == 2, added.stderr
    assert "nowhere: no such document file" in added.stderr and "not added" in added.stderr
    assert "DocumentFileError" not in added.stderr
    assert (tmp_path / "agentroute.toml").read_text() == "# ours\n[agent]\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tea.md").write_text("# Tea\nSteep green tea for three minutes.\n")
    assert cli("kb", "add", "notes", "docs", cwd=tmp_path).returncode == 0
    (tmp_path / "docs" / "latin.txt").write_bytes(b"# Menu\n\ncaf\xe9 au lait\n")
    said = "latin.txt: not UTF-8 text (byte 0xe9 on line 3): save it as UTF-8"  # not the codec's
    for command in (("kb", "ingest"), ("kb", "status")):  # the rest of the base is kept
        proc = cli(*command, cwd=tmp_path)
        assert proc.returncode == 0 and said in " ".join(proc.stdout.split()), proc.stdout
    ran = cli("run", "How long do I steep green tea?", cwd=tmp_path, log=None)  # not stopped
    assert ran.returncode == 0 and "three minutes" in ran.stdout, ran.stdout + ran.stderr
    assert "knowledge.file_skipped" in ran.stderr and said in ran.stderr, ran.stderr


def test_kb_status_says_a_base_is_up_to_date(tmp_path: Path) -> None:
    """It said 'would change (kb ingest applies it)' with every count 0 and '0 chunk(s)
    embedded in 0.00 s', though a dry run embeds nothing."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tea.md").write_text("# Tea\nSteep green tea for three minutes.\n")
    assert cli("kb", "add", "notes", "docs", cwd=tmp_path).returncode == 0
    same = cli("kb", "status", cwd=tmp_path)
    assert same.returncode == 0 and same.stdout == "notes is up to date: 1 file(s) unchanged\n"
    (tmp_path / "docs" / "tea.md").write_text("# Tea\nSteep green tea for two minutes.\n")
    changed = " ".join(cli("kb", "status", cwd=tmp_path).stdout.split())
    assert changed.startswith("notes would change (kb ingest applies it): 1 file(s) to read")
    assert "1 updated" in changed and "embedded" not in changed


def test_targets_reads_whole_in_an_80_column_terminal(tmp_path: Path) -> None:
    """At 80 columns the table left each description two characters a line."""
    proc = cli("targets", cwd=tmp_path)  # piped: rich lays it out for 80 columns
    assert proc.returncode == 0, proc.stderr
    assert "calc.calculate: Exact arithmetic calculator" in proc.stdout, proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    assert "price" not in proc.stdout  # no expert has a price to show


def test_a_server_command_that_does_not_exist_is_warned_about_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each of the five restarts of a missing command logged the same warning again: a
    one-shot run printed seven lines on stderr for one typo in [mcp.NAME] command."""
    import time

    import structlog
    from structlog.testing import capture_logs

    from agentroute import Agent
    from agentroute.mcp import McpServerSpec
    from agentroute.observability import configure_logging

    monkeypatch.setenv("AGENTROUTE_LOG", "info")  # the repeats are still logged, at info
    saved = structlog.get_config()
    configure_logging()  # at info whatever an earlier test configured (the env wins)
    typo = McpServerSpec(name="typo", command="definitely-not-a-command-agentroute", max_restarts=3)
    try:
        with capture_logs() as logs, Agent(mcp=[typo], checkpoint=False, warm_spares=False) as a:
            server = a._hub.servers["typo"]
            deadline = time.monotonic() + 60  # a bound on waiting, not a speed check
            while server.state != "down" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert server.state == "down"
    finally:
        structlog.configure(**saved)
    failed = [e for e in logs if e["event"] == "mcp.server.failed"]
    assert len(failed) == 4  # the first start and three restarts, each still logged
    assert [e["log_level"] for e in failed] == ["warning", "info", "info", "info"]
    assert "definitely-not-a-command-agentroute" in failed[0]["error"]
    assert [e["log_level"] for e in logs if e["event"] == "mcp.server.down"] == ["warning"]


def test_adding_a_base_twice_and_importing_a_missing_file_are_usage_errors(
    tmp_path: Path,
) -> None:
    """The second ``kb add`` named '[home]' at no line; ``memory import`` of a file that is
    not there exited 1, as for a turn not answered."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tea.md").write_text("# Tea\nSteep green tea for three minutes.\n")
    assert cli("kb", "add", "home", "docs", cwd=tmp_path).returncode == 0
    err = _config_error(cli("kb", "add", "home", "docs", cwd=tmp_path), "agentroute.toml:1")
    assert "[knowledge.home]: a knowledge base 'home' is already configured" in err
    missing = cli("memory", "import", "nowhere.jsonl", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file: nowhere.jsonl" in missing.stderr


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        (
            'allow calc.calculate when expression matchs "x"',
            ":2:38: unexpected 'matchs'; did you mean 'matches'?",
        ),
        ("alow calc.calculate", ":2:1: unexpected 'alow'; did you mean 'allow'?"),
        (
            'allow calc.calculate when expression = "x"',
            ":2:38: unexpected '='; expected one of: allow, and,",
        ),
        (
            'allow calc.calculate when (expression == "x"',
            ":2:45: unexpected end of file; expected one of: )",
        ),
    ],
)
def test_a_policy_typo_is_said_as_written(tmp_path: Path, rule: str, said: str) -> None:
    """The parser listed the first eight of its token names ('ALLOW, AND, ASK, COLON, ...'):
    a misspelt keyword was never named, and '==' or ')' was spelled 'EQ', 'RPAR'."""
    (tmp_path / "b.policy").write_text(f"default deny\n{rule}\n", encoding="utf-8")
    proc = cli("policy", "check", "b.policy", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == "", (proc.stdout, proc.stderr)  # check failed
    assert f"b.policy{said}" in proc.stderr, proc.stderr
    if "one of: allow" in said:
        assert ", ==, " in proc.stderr and "RPAR" not in proc.stderr


def test_a_schemas_file_that_is_not_json_names_itself(tmp_path: Path) -> None:
    """It was 'error: JSONDecodeError: Expecting value: line 1 column 1 (char 0)', exit 1."""
    (tmp_path / "b.policy").write_text("default deny\n", encoding="utf-8")
    (tmp_path / "tools.json").write_text('{"calc.calculate": {}\n', encoding="utf-8")
    proc = cli("policy", "check", "b.policy", "--schemas", "tools.json", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == "", (proc.stdout, proc.stderr)
    assert proc.stderr.startswith("error: --schemas tools.json:2: invalid JSON:"), proc.stderr


def test_a_server_command_that_does_not_exist_is_said_once_in_a_run(tmp_path: Path) -> None:
    """The server warned of its failure and the hub warned again that it failed to start:
    one typo in [mcp.NAME] command, the same error twice on stderr."""
    (tmp_path / "agentroute.toml").write_text(
        '[mcp.ghost]\ncommand = "definitely-not-a-command-agentroute"\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "AGENTROUTE_LOG"}  # as a user runs it
    proc = subprocess.run(
        [sys.executable, "-m", "agentroute", "run", "What is 2 + 2?"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0 and "2 + 2 = 4" in proc.stdout, (proc.stdout, proc.stderr)
    assert proc.stderr.count("definitely-not-a-command-agentroute") == 1, proc.stderr


def _unreadable(path: Path) -> None:
    """``path`` made a file its reader may not read: mode 000, or, for root (who reads any
    mode), a link to a write-only kernel setting, which root may not read either."""
    path.write_text("# Secret\nNot for this reader.\n")
    path.chmod(0)
    if os.access(path, os.R_OK):
        path.unlink()
        path.symlink_to("/proc/sys/vm/drop_caches")


def test_an_unreadable_file_in_a_base_is_skipped_and_said(tmp_path: Path) -> None:
    """One file without read permission stopped every ``run`` and ``chat`` with 'error:
    PermissionError: ...' (exit 1), and ``kb status``/``kb ingest`` too."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tea.md").write_text("# Tea\nSteep green tea for three minutes.\n")
    assert cli("kb", "add", "notes", "docs", cwd=tmp_path).returncode == 0
    _unreadable(tmp_path / "docs" / "secret.md")
    proc = cli("run", "How long should green tea steep?", cwd=tmp_path, log=None)
    assert proc.returncode == 0 and "three minutes" in proc.stdout, (proc.stdout, proc.stderr)
    assert "knowledge.file_skipped" in proc.stderr and "Permission denied" in proc.stderr
    assert "secret" not in proc.stdout
    status = cli("kb", "status", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    said = " ".join(status.stdout.split())
    assert "notes: skipped, cannot read" in said and "Permission denied" in said, said
    ingested = cli("kb", "ingest", cwd=tmp_path)
    assert ingested.returncode == 0 and "cannot read" in ingested.stdout, ingested.stderr
    before = (tmp_path / "agentroute.toml").read_text()
    alone = cli("kb", "add", "secrets", "docs/secret.md", cwd=tmp_path)  # nothing to serve
    assert alone.returncode == 2 and "no document could be read" in alone.stderr, alone.stderr
    assert (tmp_path / "agentroute.toml").read_text() == before


def _as_a_user(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with its default log level (the warnings a user sees)."""
    env = {k: v for k, v in os.environ.items() if k != "AGENTROUTE_LOG"}
    return subprocess.run(
        [sys.executable, "-m", "agentroute", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_renaming_the_agent_says_its_old_cases_are_not_recalled(tmp_path: Path) -> None:
    """A new ``[agent] name`` silently started from an empty memory: the cases of the old
    name stayed on disk, never recalled, and nothing said so."""
    config = tmp_path / "agentroute.toml"
    config.write_text('[agent]\nname = "ops"\n')
    first = _as_a_user("run", "What is 17 * 23?", cwd=tmp_path)
    assert first.returncode == 0 and "memory.other_agent_names" not in first.stderr, first.stderr
    config.write_text('[agent]\nname = "helpdesk"\n')
    renamed = _as_a_user("run", "What is 17 * 23?", cwd=tmp_path)
    assert renamed.returncode == 0 and "391" in renamed.stdout, renamed.stderr
    assert "memory.other_agent_names" in renamed.stderr and "'ops'" in renamed.stderr
    assert "memory.other_agent_names" not in renamed.stdout
    assert "-n ops && agentroute memory import cases.jsonl -n helpdesk" in renamed.stderr
    stats = cli("memory", "stats", cwd=tmp_path)  # nothing moved or deleted
    assert "[ops] 1 cases" in stats.stdout and "[helpdesk] 1 cases" in stats.stdout, stats.stdout


def test_a_policy_is_checked_beside_a_broken_configuration(tmp_path: Path) -> None:
    """``policy check FILE`` exited 2 on the folder's broken agentroute.toml, though a policy
    file is checked on its own; the file's error is now a warning beside the check."""
    (tmp_path / "agentroute.toml").write_text("[agent\n")
    (tmp_path / "p.policy").write_text('default deny\nallow calc.calculate when query == "x"\n')
    for command in ("check", "lint"):
        proc = cli("policy", command, "p.policy", cwd=tmp_path)
        assert proc.returncode == 0 and proc.stdout.startswith("ok: 1 rules"), proc.stderr
        assert "agentroute.toml:1: invalid TOML" in proc.stderr
    (tmp_path / "p.policy").write_text("default deny\nalow calc.calculate\n")
    typo = cli("policy", "check", "p.policy", cwd=tmp_path)
    assert typo.returncode == 1 and "p.policy:2:1: unexpected 'alow'" in typo.stderr
    missing = cli("policy", "check", "nowhere.policy", cwd=tmp_path)  # was '[Errno 2] ...'
    assert missing.returncode == 2 and missing.stdout == "", missing.stdout
    assert missing.stderr.endswith("\nerror: nowhere.policy: No such file or directory\n")


def test_a_data_directory_that_cannot_be_made_is_the_settings_error(tmp_path: Path) -> None:
    """It was 'error: FileNotFoundError: ... /knowledge' (exit 1) from whichever store opened
    first, naming neither the setting nor ``--data-dir``."""
    (tmp_path / "taken").write_text("a file where a folder should be\n")
    (tmp_path / "agentroute.toml").write_text('[agent]\nname = "x"\ndata_dir = "taken/data"\n')
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:3")
    assert "[agent.data_dir]: cannot create the data directory" in err and "taken" in err
    (tmp_path / "agentroute.toml").write_text('[agent]\nname = "x"\n')
    given = cli("run", "--data-dir", "taken/data", "What is 2 + 2?", cwd=tmp_path)
    err = _config_error(given, "taken/data: cannot create the data directory")
    assert "agentroute.toml" not in err


def test_a_data_directory_that_cannot_be_written_is_the_settings_error(tmp_path: Path) -> None:
    """A data directory that is there but read-only (a read-only mount, another user's) was
    'error: FileNotFoundError: ... /knowledge' or 'OSError: [Errno 30] ...' (exit 1) from
    whichever store opened first. ``/proc/1`` is a folder no one may write into."""
    (tmp_path / "agentroute.toml").write_text('[agent]\nname = "x"\ndata_dir = "/proc/1"\n')
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:3")
    assert "[agent.data_dir]: the data directory /proc/1 is not writable" in err
    (tmp_path / "agentroute.toml").write_text('[agent]\nname = "x"\n')
    given = cli("run", "--data-dir", "/proc/1", "What is 2 + 2?", cwd=tmp_path)
    assert "/proc/1: the data directory is not writable" in _config_error(given, "/proc/1")


def test_a_chat_whose_policy_is_broken_exits_as_run_does(tmp_path: Path) -> None:
    """``chat`` printed the policy's error on stdout and exited 0; ``run`` exits 2."""
    (tmp_path / "p.policy").write_text("default deny\nallow calc.calculate when\n")
    (tmp_path / "agentroute.toml").write_text('[policy]\nfiles = ["p.policy"]\n')
    proc = subprocess.run(
        [sys.executable, "-m", "agentroute", "chat"],
        cwd=tmp_path,
        input="What is 2 + 2?\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "p.policy:2:26: unexpected end of file" in proc.stderr
    assert "error" not in proc.stdout and "Traceback" not in proc.stderr


def test_a_request_with_bytes_that_are_not_utf8_is_still_answered(tmp_path: Path) -> None:
    """A Latin-1 'é' typed in a UTF-8 session reached the tokenizer as a lone surrogate: the
    turn failed with 'TypeError: TextEncodeInput must be Union[...]', in run and in chat."""
    request = os.fsdecode(b"how many km are 3 miles \xe9")  # as argv carries it
    proc = cli("run", request, cwd=tmp_path)
    assert proc.returncode == 0 and "3 mi = 4.828032 km" in proc.stdout, proc.stderr
    chat = subprocess.run(
        [sys.executable, "-m", "agentroute", "chat"],
        cwd=tmp_path,
        input=b"how many km are 5 miles \xff\n",
        capture_output=True,
        timeout=180,
    )
    out = chat.stdout.decode()
    assert chat.returncode == 0 and "5 mi = 8.04672 km" in out, (out, chat.stderr)
    assert "that turn failed" not in out


def test_a_thread_store_that_is_not_sqlite_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    """It said 'error: DatabaseError: file is not a database', naming no file."""
    store = tmp_path / ".agentroute" / "threads.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"not a database")
    proc = cli("run", "What is 2 + 2?", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout
    assert f"the thread store {Path('.agentroute') / 'threads.sqlite'}: file is not a database" in (
        proc.stderr
    ), proc.stderr
    assert store.read_bytes() == b"not a database"


def test_a_thread_store_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    """It said 'error: OperationalError: unable to open database file', naming no file (and a
    full disk said 'disk I/O error ... move it aside', as if the file were broken)."""
    store = tmp_path / ".agentroute" / "threads.sqlite"
    store.mkdir(parents=True)  # a folder where the file should be
    proc = cli("run", "What is 2 + 2?", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout
    said = f"the thread store {Path('.agentroute') / 'threads.sqlite'} cannot be opened or written"
    assert said in proc.stderr and "unable to open database file" in proc.stderr, proc.stderr
    assert "disk is not full" in proc.stderr and "move it aside" not in proc.stderr


def test_chat_answers_a_new_users_first_commands(tmp_path: Path) -> None:
    """'help' without the slash was planned as a request ('No suitable target'); a misspelt
    command named no command; /history and /route before any turn printed nothing."""
    chat = Chat(tmp_path)
    chat.read_until("agentroute chat")
    chat.send("/history")
    assert "no turns yet in thread" in chat.read_until("no turns yet")
    chat.send("/route")
    assert "no turn yet" in chat.read_until("no turn yet")
    chat.send("help")
    assert "/trace" in chat.read_until("/quit ")
    chat.send("/trce")
    assert "did you mean /trace?" in chat.read_until("unknown command")
    out = chat.close()
    assert "No suitable target" not in "".join(chat.lines) + out


def test_targets_find_of_an_empty_request_is_a_usage_error(tmp_path: Path) -> None:
    """It ranked every target for '' (cosines of nothing), exit 0, as if it had an answer."""
    proc = cli("targets", "--find", " ", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout
    assert proc.stderr == "error: the request to --find is empty\n"


@pytest.mark.parametrize("store", ["threads", "vectors"])
def test_a_postgres_server_that_is_down_is_the_settings_error(tmp_path: Path, store: str) -> None:
    """It was 'error: PostgresError: ...' with exit 1, naming neither the file nor its line."""
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kind = 'threads = "postgres"' if store == "threads" else 'vectors = "pgvector"'
    (tmp_path / "agentroute.toml").write_text(
        f'[agent]\nname = "pg"\n\n[persistence]\n{kind}\npostgres_url_env = "NU_PG_URL"\n'
    )
    env = {**os.environ, "NU_PG_URL": f"postgresql://agent@127.0.0.1:{port}/agentroute"}
    out = subprocess.run(
        [sys.executable, "-m", "agentroute", "run", "What is 6 * 7?"],
        cwd=tmp_path,
        env={**env, "AGENTROUTE_LOG": "error"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    err = _config_error(out, "agentroute.toml:6 [persistence.postgres_url_env]: ")
    assert f"the Postgres server at 127.0.0.1:{port}/agentroute" in err and "start it" in err


def test_a_rule_for_a_misspelt_tool_names_the_tool_meant(tmp_path: Path) -> None:
    """A rule for a tool the configuration lacks stopped the run at its line, but named no tool
    it might have meant; a name near none stays as it was said."""
    (tmp_path / "p.policy").write_text(
        'default allow\ndeny calc.calcluate when expression matches r".*"\nallow zzz.qqq\n'
    )
    (tmp_path / "agentroute.toml").write_text('[policy]\nfiles = ["p.policy"]\n')
    err = _config_error(cli("run", "What is 17 * 23?", cwd=tmp_path), "p.policy:2:1: ")
    meant = "unknown tool 'calc.calcluate': no tool of the configuration matches it; did you mean"
    assert f"{meant} 'calc.calculate'?" in err
    assert "unknown tool 'zzz.qqq': no tool of the configuration matches it" in err
    assert "did you mean" not in err.split("zzz.qqq")[1]


def test_output_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    """``memory export - | head`` said 'error: the case bank on ...: [Errno 32] Broken pipe'
    (a reader that has seen enough is not an error of the bank's)."""
    import json

    first = cli("run", "What is 17 * 23?", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    exported = cli("memory", "export", "cases.jsonl", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    case = json.loads((tmp_path / "cases.jsonl").read_text().splitlines()[0])
    many = [json.dumps({**case, "id": f"case-{i:020x}"}) for i in range(400)]  # > a pipe's buffer
    (tmp_path / "many.jsonl").write_text("\n".join(many) + "\n")
    imported = cli("memory", "import", "many.jsonl", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentroute", "memory", "export", "-"],
        cwd=tmp_path,
        env={**os.environ, "AGENTROUTE_LOG": "error"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith("{")  # head -n 1
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert "Broken pipe" not in err and "error" not in err and "Traceback" not in err, err


def test_a_memory_search_that_recalls_nothing_says_so(tmp_path: Path) -> None:
    """It printed nothing and exited 0: a newcomer could not tell an empty recall from a
    command that did nothing."""
    assert cli("run", "What is 17 * 23?", cwd=tmp_path).returncode == 0
    found = cli("memory", "search", "What is 17 * 23?", cwd=tmp_path)
    assert found.returncode == 0 and "What is 17 * 23?" in found.stdout, found.stderr
    none = cli("memory", "search", "who painted the ceiling of the sistine chapel", cwd=tmp_path)
    assert none.returncode == 0 and none.stdout == "", none.stdout
    assert "would be recalled for 'who painted" in none.stderr and "memory list" in none.stderr


def test_a_policy_is_checked_against_the_configuration_named_with_config(tmp_path: Path) -> None:
    """The policy commands read the tool schemas of the agentroute.toml found in . or a parent
    only: a team keeping its configuration elsewhere could not check against it (the embedded
    default's calc server has no ``maths`` server, so its tools were 'unknown')."""
    team = tmp_path / "team"
    team.mkdir()
    (team / "agentroute.toml").write_text(
        f'[mcp.maths]\ncommand = "{Path(sys.executable).as_posix()}"\n'
        'args = ["-m", "agentroute_tools.calc"]\n'
    )
    (tmp_path / "p.policy").write_text("default deny\nallow maths.calculate\n")
    alone = cli("policy", "check", "p.policy", cwd=tmp_path)
    assert alone.returncode == 1 and "unknown tool 'maths.calculate'" in alone.stderr, alone.stderr
    assert "embedded default" in alone.stderr
    named = cli("policy", "check", "p.policy", "--config", "team/agentroute.toml", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert named.stdout.startswith("ok: 1 rules") and "tool schemas" in named.stdout
    explained = cli(
        "policy", "explain", "p.policy", "-c", "team/agentroute.toml",
        "--call", 'maths.calculate {"query": "1+1"}', cwd=tmp_path,
    )  # fmt: skip
    assert explained.returncode == 0 and explained.stdout.startswith("ALLOW"), explained.stderr
