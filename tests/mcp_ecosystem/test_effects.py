"""Side effects on the official git server: a request to read never plans a tool that writes.

Measured before: "show me the last 5 commits" and "what changed recently in the repo" were
both planned to ``git.git_commit`` first, and every git tool failed "no path value found"
although the server was started with ``--repository``. The git server annotates its tools
(``readOnlyHint``/``destructiveHint``); the planner, the shortlist and the trace use them,
and ``--repository`` becomes the default ``repo_path``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mcp_types
import pytest

from agentroute import Agent
from agentroute.cli._render import print_update
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpHub, McpServerSpec
from agentroute.mcp._target import tool_effect_of
from agentroute.planning import SemanticPlanner
from agentroute.targets._index import TargetIndex
from agentroute.turn._shortlist import shortlist
from agentroute.types import PlanningContext

# Requests to read, each with the tools that answer it (written before running the planner).
READS = [
    ("show me the last 5 commits", {"git.git_log"}, "Add the app entry point"),
    ("what changed recently in the repo",
     {"git.git_log", "git.git_diff", "git.git_diff_unstaged", "git.git_diff_staged",
      "git.git_show", "git.git_status"}, None),
    # git_branch requires a branch_type (local/remote/all) this request does not name: the
    # broadest option ("all") is taken.
    ("list the branches", {"git.git_branch"}, "main"),
    ("what's the status of the repo", {"git.git_status"}, "notes-untracked.txt"),
]  # fmt: skip
WRITERS = {"git.git_commit", "git.git_add", "git.git_reset", "git.git_create_branch",
           "git.git_checkout"}  # fmt: skip
WRITE_REQUEST = "commit the staged changes with message 'x'"


async def test_reads_plan_reading_tools_and_run_on_the_served_repository(
    git_spec: McpServerSpec,
) -> None:
    async with McpHub([git_spec]) as hub:
        targets = {t.name: t for t in hub.targets()}
        descriptors = {n: t.descriptor for n, t in targets.items()}
        assert {n for n, d in descriptors.items() if d.writes} == WRITERS
        index = TargetIndex(default_embedder())
        index.add(descriptors.values())
        planner = SemanticPlanner(index)
        for request, expected, evidence in READS:
            plan = await planner.plan(
                PlanningContext(request=request, targets=list(descriptors.values()))
            )
            assert len(plan.steps) == 1, (request, plan.reasoning)
            step = plan.steps[0]
            route = plan.routes[step.id]
            offered = {step.target, *(a.target for a in route.alternatives)}
            assert not offered & WRITERS, (request, plan.reasoning)
            assert step.target in expected, (request, plan.reasoning)
            assert "writes" not in route.reason
            listed = shortlist(index, request, descriptors, limit=3)
            assert not {d.name for d in listed} & WRITERS, request
            # --repository gave repo_path: the read runs without a path in the request.
            obs = await targets[step.target].invoke("s1", step.query, None, timeout=20)
            assert "path" not in (obs.error or ""), (request, step.target, obs.error)
            assert obs.ok, (request, step.target, obs.error)
            if evidence is not None:
                assert evidence in obs.result, (request, obs.result[:300])

        plan = await planner.plan(
            PlanningContext(request=WRITE_REQUEST, targets=list(descriptors.values()))
        )
        assert [s.target for s in plan.steps] == ["git.git_commit"], plan.reasoning
        assert "writes: git.git_commit" in plan.routes[plan.steps[0].id].reason


def test_the_turn_says_a_plan_writes(git_spec: McpServerSpec, repo: Path) -> None:
    (repo / "app.py").write_text("print('bye')\n")
    subprocess.run(["git", "add", "app.py"], cwd=repo, check=True)
    with Agent(mcp=[git_spec], max_rounds=1, warm_spares=False) as agent:
        result = agent.run(WRITE_REQUEST)
        plan_events = [e for e in result.trace if e.kind == "plan"]
        assert plan_events[0].data["writes"] == {"s1": "git.git_commit (write)"}, result.trace
        # no policy file: the write waits for a human's yes
        assert result.pending_approval is not None
        assert result.pending_approval["call"]["target"] == "git.git_commit"
        result = agent.resume(result.thread, True)
        assert result.steps[0].ok, result.steps[0].error

        result = agent.run("show me the last 5 commits")
        assert [s.target for s in result.steps] == ["git.git_log"]
        assert [e.data["writes"] for e in result.trace if e.kind == "plan"] == [{}]
        assert result.steps[0].ok and "Add the app entry point" in result.steps[0].result


def test_explicit_defaults_win_over_the_command_line(repo: Path) -> None:
    spec = McpServerSpec(
        name="git",
        command=sys.executable,
        args=["-m", "mcp_server_git", "-r", str(repo)],
        defaults={"repo_path": "/elsewhere"},
    )
    assert spec.argument_defaults() == {"repo_path": "/elsewhere"}
    assert spec.model_copy(update={"defaults": {}}).argument_defaults() == {"repo_path": str(repo)}
    other = McpServerSpec(name="x", command="mcp-other", args=["--repository", "/r"])
    assert other.argument_defaults() == {}


def test_annotations_decide_before_the_tool_name() -> None:
    def tool(name: str, **hints: bool) -> mcp_types.Tool:
        annotations = mcp_types.ToolAnnotations(**hints) if hints else None
        return mcp_types.Tool(name=name, input_schema={"type": "object"}, annotations=annotations)

    assert tool_effect_of(tool("commit_log", read_only_hint=True)) == "read"
    assert tool_effect_of(tool("fetch_all", read_only_hint=False)) == "destructive"
    assert tool_effect_of(tool("sync", read_only_hint=False, destructive_hint=False)) == "write"
    assert tool_effect_of(tool("git_commit")) == "write"
    assert tool_effect_of(tool("delete_file")) == "destructive"
    assert tool_effect_of(tool("create_issue", destructive_hint=True)) == "destructive"
    assert tool_effect_of(tool("get_weather")) == "read"
    assert tool_effect_of(tool("frobnicate")) is None


def test_chat_says_a_plan_writes_and_a_read_writes_nothing(
    git_spec: McpServerSpec, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What chat prints as the turn runs (`cli._render.print_update`, through the real turn
    graph and the git server started with ``--repository``): the step that writes is named as
    such before it runs; a read names none."""
    (repo / "app.py").write_text("print('bye')\n")
    subprocess.run(["git", "add", "app.py"], cwd=repo, check=True)
    with Agent(mcp=[git_spec], max_rounds=1, warm_spares=False) as agent:
        agent.run("show me the last 5 commits", on_update=print_update)
        read = capsys.readouterr().out
        assert "git.git_log" in read, read
        assert "writes" not in read, read

        result = agent.run(WRITE_REQUEST, on_update=print_update)
        assert result.pending_approval is not None  # no policy file: a human says yes first
        result = agent.resume(result.thread, True, on_update=print_update)
        said = capsys.readouterr().out
    assert "s1 writes: git.git_commit (write)" in said, said
    assert result.steps[0].ok, result.steps[0].error  # repo_path came from --repository


def test_an_act_no_writer_performs_is_declined_and_changes_nothing(
    git_spec: McpServerSpec, filesystem_spec: McpServerSpec, files: Path, repo: Path
) -> None:
    """Measured before (blind13_route): "delete notes.txt" was planned to the filesystem's
    edit tool and, after its arguments failed, overwritten with the request's own words by
    ``write_file``; "push my commits to github" was planned to ``git_commit``. A writing tool
    serves a request only when its own words name the act (`text.offers_verb`): neither
    server deletes a file or pushes, so both are declined and nothing changes. Acts the
    servers do name, in other words than their tools' ("make a new branch", "save ... in"),
    still go to them."""
    before = (files / "notes.txt").read_text()
    head = subprocess.run(["git", "log", "--oneline"], cwd=repo, capture_output=True, text=True)
    with Agent(mcp=[git_spec, filesystem_spec], max_rounds=2, warm_spares=False) as agent:
        for request in ("delete notes.txt", "push my commits to github"):
            result = agent.run(request)
            assert result.steps == [], (request, [s.target for s in result.steps])
            assert result.pending_approval is None, request
            plan = next(e for e in result.trace if e.kind == "plan")
            assert "no target does" in str(plan.data), (request, plan.data)
        branch = agent.run("make a new branch called release-2")
        assert branch.pending_approval is not None
        assert branch.pending_approval["call"]["target"] == "git.git_create_branch"
        saved = agent.run("save the text 'buy milk' in shopping.txt")
        assert saved.pending_approval is not None
        assert saved.pending_approval["call"]["target"] == "filesystem.write_file"
    assert (files / "notes.txt").read_text() == before
    after = subprocess.run(["git", "log", "--oneline"], cwd=repo, capture_output=True, text=True)
    assert after.stdout == head.stdout


def test_targets_shows_which_tools_write(git_spec: McpServerSpec, tmp_path: Path) -> None:
    """``agentroute targets`` says what each tool may do: a newcomer sees which ask first."""
    args = ", ".join(f'"{a}"' for a in git_spec.args)
    (tmp_path / "agentroute.toml").write_text(
        f'[mcp.git]\ncommand = "{git_spec.command}"\nargs = [{args}]\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "agentroute", "targets"],
        cwd=tmp_path,
        env={**os.environ, "AGENTROUTE_LOG": "error", "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("│")[1].strip(): line for line in proc.stdout.splitlines() if "│" in line}
    assert "effect" in proc.stdout
    assert "destructive" in rows["git.git_reset"] and "read-only" in rows["git.git_log"]
    assert "writes" in rows["git.git_add"] or "destructive" in rows["git.git_add"]
