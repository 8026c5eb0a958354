"""The command line as a user drives it: real processes, real servers, real SQLite threads (and
Postgres threads, for a thread resumed after a kill)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec

from .conftest import Chat, cli, thread_store_config


def test_run_json_answers_both_parts_offline(tmp_path: Path) -> None:
    proc = cli(
        "run", "What is 17 * 23, and how many kilometres are 5 miles?", "--json", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"answer", "steps", "cost_usd", "latency_s"} <= set(out)
    steps = out["steps"]
    assert all({"id", "target", "kind", "query", "ok", "result"} <= set(s) for s in steps)
    assert [s["target"] for s in steps] == ["calc.calculate", "units.convert"]
    assert all(s["ok"] for s in steps)
    assert "391" in steps[0]["result"] and "8.04672" in steps[1]["result"]
    assert (tmp_path / ".agentroute" / "threads.sqlite").exists()


def test_run_exits_1_when_nothing_answers(tmp_path: Path) -> None:
    """A script tells a declined request by the exit status: 0 is kept for an answer."""
    proc = cli("run", "What is the capital of the moon's emperor?", "--json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)  # the result is still printed in full
    assert out["unmatched"] and not any(s["ok"] for s in out["steps"])
    empty = cli("run", "  ", cwd=tmp_path)  # a usage error: no turn is run
    assert empty.returncode == 2 and empty.stderr.strip() == "error: the request is empty"
    assert "Exit status: 0 every part" in " ".join(
        cli("run", "--help", cwd=tmp_path).stdout.split()
    )


def test_chat_shows_routes_trace_and_cost(tmp_path: Path) -> None:
    chat = Chat(tmp_path)
    chat.read_until("agentroute chat")
    chat.send("What is 17 * 23, and how many kilometres are 5 miles?")
    shown = chat.read_until(", turn ")
    assert "→ calc.calculate" in shown and "→ units.convert" in shown
    assert "policy" in shown and "391" in shown and "8.04672" in shown
    chat.send("/trace")
    trace = chat.read_until("remember")
    assert "dispatch" in trace and "step s1 → calc.calculate" in trace
    chat.send("/cost")
    assert "this session $" in chat.read_until("this session")
    chat.send("/targets")
    assert "units.convert" in chat.read_until("units.convert")
    chat.send("/policy")
    assert "no policy file: read-only calls run" in chat.read_until("calls that write ask first")
    chat.send("/route units.convert")  # an argument is said to be none, not silently dropped
    assert "usage: /route (no argument; /help lists" in chat.read_until("usage:")
    out = chat.close()
    assert "resume with: agentroute chat --thread" in out
    # said once, before the first answer: what gates the calls
    said = "".join(chat.lines)
    assert said.count("(no policy file: read-only calls run, calls that write ask first)") == 1


def test_thread_resumes_after_the_process_is_killed(
    tmp_path: Path, threads: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread_store_config(tmp_path, threads, monkeypatch)
    chat = Chat(tmp_path, "--thread", "t-resume")
    chat.read_until("agentroute chat")
    chat.send("What is 6 * 7?")
    chat.read_until(", turn ")
    chat.kill()
    again = Chat(tmp_path, "--thread", "t-resume")
    again.read_until("agentroute chat")
    again.send("/history")
    shown = again.read_until("42")
    assert "resumed: 1 earlier turn" in shown and "What is 6 * 7?" in shown
    again.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_tool_server_over_streamable_http(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "agentroute_tools.units", "--http", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/mcp", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        spec = McpServerSpec(name="remote_units", url=f"http://127.0.0.1:{port}/mcp")
        with Agent(mcp=[spec]) as agent:
            result = agent.run("how many kilometres are 5 miles?")
        assert result.steps[0].target == "remote_units.convert"
        assert "8.04672" in result.answer
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_targets_lists_health(tmp_path: Path) -> None:
    proc = cli("targets", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert {"calc.calculate", "units.convert", "facts"} <= set(rows)
    assert all(r["healthy"] for r in rows.values())


def test_targets_find_ranks_what_fits_a_request(tmp_path: Path) -> None:
    proc = cli(
        "targets", "--find", "convert 3 miles to kilometres", "-k", "3", "--json", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert len(found) == 3
    assert found[0]["name"] == "units.convert", found
    assert [f["rank_score"] for f in found] == sorted(
        (f["rank_score"] for f in found), reverse=True
    )
    table = cli("targets", "--find", "what is 6 times 7", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "calc.calculate" in table.stdout and "what is 6 times 7" in table.stdout


def test_targets_lists_a_server_that_is_down(tmp_path: Path) -> None:
    """A server that cannot start has no tools; `targets` still names it, with its error."""
    (tmp_path / "agentroute.toml").write_text(
        '[mcp.broken]\ncommand = "python"\nargs = ["-m", "no_such_module_xyz"]\nmax_restarts = 0\n',
        encoding="utf-8",
    )
    proc = cli("targets", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert rows["broken"]["kind"] == "mcp_server" and not rows["broken"]["healthy"]
    assert "no_such_module_xyz" in rows["broken"]["health"]
    assert rows["calc.calculate"]["healthy"]  # the embedded servers are unaffected
    table = cli("targets", cwd=tmp_path)
    assert "broken" in table.stdout and "down" in table.stdout


def test_targets_says_an_expert_was_not_checked(tmp_path: Path) -> None:
    """An expert is not called just to list it: its health is "not checked", never "ok" (its
    endpoint here is a closed port)."""
    (tmp_path / "agentroute.toml").write_text(
        '[experts.local]\nmodel = "gemma-3-270m"\nbase_url = "http://127.0.0.1:9/v1"\n'
        'description = "small local model"\n',
        encoding="utf-8",
    )
    proc = cli("targets", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert rows["local"]["healthy"] is None and rows["calc.calculate"]["healthy"] is True
    table = cli("targets", cwd=tmp_path).stdout
    (line,) = [row for row in table.splitlines() if "local" in row and "expert" in row]
    assert "not checked" in line and " ok " not in line


def test_a_broken_policy_file_is_a_configuration_error(tmp_path: Path) -> None:
    """Exit 2 as a broken agentroute.toml, naming the file, line and column; no class name."""
    (tmp_path / "bad.policy").write_text("allow calc.*\ndeny units.convert when amount >\n")
    (tmp_path / "agentroute.toml").write_text('[policy]\nfiles = ["bad.policy"]\n')
    proc = cli("run", "What is 2 + 2?", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert proc.stderr.startswith(f"error: {tmp_path / 'bad.policy'}:2:"), proc.stderr
    assert "PolicySyntaxError" not in proc.stderr
