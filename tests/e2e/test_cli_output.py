"""What the command line prints, as a user pipes it: stdout carries only the command's output
(logs go to stderr at any level), piped answers are not wrapped, and the rendering of health
and policy decisions says each thing once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.cli._render import console, print_targets, print_update
from agentroute.embeddings import HashingEmbedder
from agentroute.observability import format_trace
from agentroute.testing import ScriptedPlanner, ScriptedTarget
from agentroute.types import Health, TargetDescriptor

REPO = Path(__file__).resolve().parents[2]
MBPP = REPO / "data" / "routerbench" / "mbpp_train.csv"


def agentroute(
    *args: str, cwd: Path, log: str = "debug", **env: str
) -> subprocess.CompletedProcess[str]:
    """The real CLI, stdout and stderr each to a pipe (as ``| python -m json.tool`` sees it)."""
    full = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    full.update(AGENTROUTE_LOG=log, AGENTROUTE_LOG_FORMAT="console", **env)
    return subprocess.run(
        [sys.executable, "-m", "agentroute", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    assert "[debug" not in proc.stdout and "[info" not in proc.stdout, proc.stdout
    return proc.stdout


def test_stdout_carries_only_the_output_at_debug_level(tmp_path: Path) -> None:
    """``minilm.loaded`` (a debug line) used to land on stdout in the memory commands, whose
    logging nobody configured (structlog's default prints to stdout)."""
    ran = agentroute("run", "What is 6 * 7?", "--json", cwd=tmp_path)
    assert json.loads(_ok(ran))["steps"][0]["target"] == "calc.calculate"
    assert "[debug" in ran.stderr  # the logs are there, on stderr

    listed = agentroute("memory", "list", cwd=tmp_path)
    lines = _ok(listed).splitlines()
    assert lines and all(line.startswith("case-") for line in lines), lines
    assert "minilm.loaded" in listed.stderr
    case_id = lines[0].split()[0]

    shown = agentroute("memory", "show", case_id, cwd=tmp_path)
    assert json.loads(_ok(shown))["id"] == case_id
    assert "minilm.loaded" in shown.stderr

    stats = _ok(agentroute("memory", "stats", cwd=tmp_path))
    assert stats.startswith("store ") and "minilm.loaded" not in stats

    assert json.loads(_ok(agentroute("targets", "--json", cwd=tmp_path)))


def test_route_explain_json_is_only_json_at_debug_level(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text(
        f'[agent]\ndata_dir = "{tmp_path / "data"}"\n\n'
        f'[experts.big]\nreplay = "{MBPP}"\nreplay_model = "gpt-4-1106-preview"\n\n'
        f'[experts.small]\nreplay = "{MBPP}"\nreplay_model = "mistralai/mistral-7b-chat"\n',
        encoding="utf-8",
    )
    proc = agentroute(
        "route",
        "explain",
        "Write a python function to reverse a string.",
        "--json",
        cwd=tmp_path,
        AGENTROUTE_CACHE_DIR=str(tmp_path / "cache"),
    )
    decision = json.loads(_ok(proc))
    assert decision["target"] in {"big", "small"}
    assert "minilm.loaded" in proc.stderr


def test_a_piped_answer_is_not_wrapped(tmp_path: Path) -> None:
    """Rich wrapped at 80 columns when stdout was not a terminal, inside the answer's lines."""
    question = "How is the kilogram defined?"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    answer = json.loads(_ok(agentroute("run", question, "--json", cwd=tmp_path / "a", log="error")))
    answer_lines = [line.rstrip() for line in answer["answer"].splitlines()]
    assert max(map(len, answer_lines)) > 100  # else the test shows nothing

    out = _ok(agentroute("run", question, "--trace", cwd=tmp_path / "b", log="error"))
    printed = [line.rstrip() for line in out.splitlines()]
    assert printed[: len(answer_lines)] == answer_lines
    summary, *trace = printed[len(answer_lines) :]
    assert re.match(r"1 step\(s\), \$\d+\.\d+, [\d.]+ s, turn \w+$", summary), summary
    assert trace and all(re.match(r"\s+\d+\.\d ms  ", line) for line in trace), trace


def test_targets_says_down_once(tmp_path: Path) -> None:
    """A server's health detail starts with its state; the table used to add its own "down"."""
    (tmp_path / "agentroute.toml").write_text(
        '[mcp.broken]\ncommand = "python"\nargs = ["-m", "no_such_module_xyz"]\nmax_restarts = 0\n',
        encoding="utf-8",
    )
    out = _ok(agentroute("targets", cwd=tmp_path, log="error", COLUMNS="400"))
    row = next(line for line in out.splitlines() if "broken" in line)
    assert row.count("down") == 1, row
    assert "no_such_module_xyz" in row


_BRACKETED_SERVER = """
from mcp.server.mcpserver import MCPServer

server = MCPServer("notes")


@server.tool()
def read_notes(path: str) -> str:
    '''Read every note below a folder [/srv/notes by default] and return their text
    as one listing, each note's title [bold]first[/bold] and its lines after it.'''
    return path


if __name__ == "__main__":
    server.run()
"""


@pytest.mark.parametrize("columns", ["80", "400"])
def test_targets_shows_a_tool_description_as_written(tmp_path: Path, columns: str) -> None:
    """A server's description is its own text, not rich markup: a ``[/srv/...]`` in it made
    ``targets`` die with MarkupError, ``[bold]`` vanished, and its line break left a stray
    fragment on a line of its own."""
    (tmp_path / "notes_server.py").write_text(_BRACKETED_SERVER, encoding="utf-8")
    (tmp_path / "agentroute.toml").write_text(
        '[mcp.notes]\ncommand = "python"\nargs = ["notes_server.py"]\n', encoding="utf-8"
    )
    out = _ok(agentroute("targets", cwd=tmp_path, log="error", COLUMNS=columns))
    flat = " ".join(out.split())
    assert "Read every note below a folder [/srv/notes by default]" in flat, out
    shown = [line for line in out.splitlines() if "[/srv/notes" in line]
    assert shown and all("…" in line for line in shown), out  # cut between words, said so
    assert not any(line.strip() in {"as", "as one", "first"} for line in out.splitlines())

    found = _ok(agentroute("targets", "--find", "[/srv] notes", cwd=tmp_path, log="error"))
    assert "[/srv] notes" in found


def test_a_tool_whose_server_is_down_reads_down_once() -> None:
    descriptor = TargetDescriptor(name="notes.read", kind="tool", server="notes")
    with console.capture() as captured:
        print_targets([descriptor], {"notes.read": Health(ok=False, detail="down; 6 restarts")})
    row = next(line for line in captured.get().splitlines() if "notes.read" in line)
    assert row.count("down") == 1 and "6 restarts" in row, row


def test_policy_lines_name_the_rule_once_and_are_not_reprinted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text("allow svc.flaky\nallow svc.backup\n", encoding="utf-8")
    agent = Agent(
        targets=[
            ScriptedTarget("svc.flaky", fail=True),
            ScriptedTarget("svc.backup", "42"),
        ],
        # Round 1 tries a failing tool, round 2 the backup: two policy rounds in one turn.
        planner=ScriptedPlanner(
            [("the answer, please", "svc.flaky")], [("the answer, please", "svc.backup")], []
        ),
        policy=policy,
        embedder=HashingEmbedder(),
    )
    with agent:
        result = agent.run("the answer, please", on_update=print_update)
    shown = [line for line in capsys.readouterr().out.splitlines() if "policy" in line]
    assert [line.split()[1] for line in shown] == ["s1", "s2"], shown
    assert all(line.count("p.policy:") == 1 for line in shown), shown

    traced = [line for line in format_trace(result.trace) if " policy " in line]
    assert len(traced) == 2
    assert all(line.count("p.policy:") == 1 for line in traced), traced


def test_policy_check_says_how_to_give_the_tools(tmp_path: Path) -> None:
    """Without --schemas, an unknown tool said only "unknown tool"; the hint names both ways
    to give the tools, and each works."""
    policy = tmp_path / "notes.policy"
    policy.write_text("allow notes.convert\n", encoding="utf-8")
    proc = agentroute("policy", "check", str(policy), cwd=tmp_path, log="error")
    assert proc.returncode == 1, proc.stdout
    assert "unknown tool 'notes.convert'" in proc.stderr
    assert "embedded default configuration" in proc.stderr and "calc.calculate" in proc.stderr
    assert "agentroute.toml" in proc.stderr and "[mcp.<server>]" in proc.stderr
    assert "--schemas FILE" in proc.stderr

    schemas = tmp_path / "notes.schemas.json"
    schemas.write_text(json.dumps({"notes.convert": {"type": "object"}}), encoding="utf-8")
    given = agentroute("policy", "check", str(policy), "--schemas", str(schemas), cwd=tmp_path)
    assert _ok(given).startswith("ok: 1 rules")

    (tmp_path / "agentroute.toml").write_text(
        '[mcp.notes]\ncommand = "python"\nargs = ["-m", "agentroute_tools.units"]\n',
        encoding="utf-8",
    )
    configured = agentroute("policy", "check", str(policy), cwd=tmp_path, log="error")
    assert _ok(configured).startswith("ok: 1 rules"), configured.stderr


def test_policy_hint_names_the_schemas_file_it_checked_against(tmp_path: Path) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text("allow notes.convert\n", encoding="utf-8")
    schemas = tmp_path / "other.json"
    schemas.write_text(json.dumps({"other.tool": {"type": "object"}}), encoding="utf-8")
    proc = agentroute("policy", "check", str(policy), "--schemas", str(schemas), cwd=tmp_path)
    assert proc.returncode == 1
    assert f"checked against the tools of {schemas}: other.tool" in proc.stderr
