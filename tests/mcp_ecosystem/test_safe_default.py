"""With no policy file, a tool that writes waits for a human; read-only tools run: through the
real graph, on the official filesystem server's own annotations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agentroute import Agent
from agentroute.mcp import McpServerSpec

WRITE = "write the text 'hello there' to the file notes2.txt"


def test_a_write_without_a_policy_waits_and_a_refusal_writes_nothing(
    filesystem_spec: McpServerSpec, files: Path
) -> None:
    with Agent(mcp=[filesystem_spec]) as agent:
        result = agent.run(WRITE, thread="t1")
        assert result.pending_approval is not None, result.answer
        call = result.pending_approval["call"]
        decision = result.pending_approval["decision"]
        assert call["target"] == "filesystem.write_file"
        assert decision["effect"] == "ask" and decision["rule"] is None
        assert "a human decides" in decision["reason"]
        assert not (files / "notes2.txt").exists()  # nothing ran while it waited

        refused = agent.resume("t1", False)
        assert refused.pending_approval is None
        assert not (files / "notes2.txt").exists()
        step = refused.steps[0]
        assert step.policy is not None and step.policy.effect == "deny"
        assert "human refused" in step.policy.reason


def test_a_human_yes_runs_the_write(filesystem_spec: McpServerSpec, files: Path) -> None:
    with Agent(mcp=[filesystem_spec]) as agent:
        result = agent.run(WRITE, thread="t2")
        assert result.pending_approval is not None
        done = agent.resume("t2", True)
        assert done.pending_approval is None
        assert (files / "notes2.txt").read_text() == "hello there"
        assert "human approved" in (done.steps[0].policy.reason if done.steps[0].policy else "")


def test_a_read_runs_unasked_and_says_which_default_allowed_it(
    filesystem_spec: McpServerSpec, files: Path
) -> None:
    with Agent(mcp=[filesystem_spec]) as agent:
        result = agent.run("show me what is in notes.txt", thread="t3")
        assert result.pending_approval is None
        assert "beta line" in result.answer
        policy = result.steps[0].policy
        assert policy is not None and policy.effect == "allow"
        assert "read-only" in policy.reason


def test_a_policy_that_allows_the_write_lets_it_run_unasked(
    filesystem_spec: McpServerSpec, files: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "fs.policy"
    policy.write_text("allow filesystem.*\n")
    with Agent(mcp=[filesystem_spec], policy=policy) as agent:
        result = agent.run(WRITE, thread="t4")
        assert result.pending_approval is None
        assert (files / "notes2.txt").read_text() == "hello there"


def _run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentroute", "run", *args],
        cwd=cwd,
        env={**os.environ, "AGENTROUTE_LOG": "error"},
        stdin=subprocess.DEVNULL,  # no one at a terminal to ask
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_run_without_a_terminal_refuses_and_yes_approves(
    filesystem_spec: McpServerSpec, files: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    args = ", ".join(json.dumps(a) for a in filesystem_spec.args)
    (work / "agentroute.toml").write_text(
        f'[mcp.filesystem]\ncommand = "{filesystem_spec.command}"\nargs = [{args}]\n'
    )
    refused = _run_cli(work, WRITE)
    assert refused.returncode == 1, refused.stderr  # the refused call left it unanswered
    assert "Approval needed (the default without a policy)" in refused.stderr
    assert "refused: no terminal to ask" in refused.stderr
    assert "Approval needed" not in refused.stdout  # stdout carries only the answer
    assert not (files / "notes2.txt").exists()

    approved = _run_cli(work, WRITE, "--yes")
    assert approved.returncode == 0, approved.stderr
    assert "approved (--yes)" in approved.stderr
    assert (files / "notes2.txt").read_text() == "hello there"
