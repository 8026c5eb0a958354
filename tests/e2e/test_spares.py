"""Processes an agent starts: none for the project's own tool servers (they run in-process),
and for servers run as processes, warm spares kept by a long-lived agent only.

Processes are counted from /proc (children of the process, and those whose command line runs
one of the project's tool servers), not from anything the agent says about itself.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from agentroute import Agent
from agentroute.build import BUILTIN_MCP
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedPlanner

README_QUESTION = "What is 17 * 23, and how many kilometres are 5 miles?"


def children(pid: int) -> set[int]:
    """Live child processes of ``pid``, as the kernel lists them."""
    found: set[int] = set()
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.update(int(p) for p in listing.read_text().split())
        except OSError:
            continue  # the thread ended while we looked
    return found


def as_processes(warm_spare: bool = False) -> list[McpServerSpec]:
    """The built-in servers, configured to run as subprocesses."""
    return [
        McpServerSpec(name=name, module=module, in_process=False, warm_spare=warm_spare)
        for name, module in BUILTIN_MCP.items()
    ]


def tool_servers(parent: int) -> dict[int, str]:
    """Live children of ``parent`` running a built-in tool server: pid → module."""
    found: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != parent or fields[0] == "Z":
                continue
            argv = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue  # it exited while we looked
        modules = [a.decode() for a in argv if a.decode() in BUILTIN_MCP.values()]
        if modules:
            found[int(stat.parent.name)] = modules[0]
    return found


def test_the_default_agent_answers_in_process_and_starts_no_process(tmp_path: Path) -> None:
    before = children(os.getpid())
    with Agent.default(tmp_path) as agent:
        result = agent.run(README_QUESTION)
        started = children(os.getpid()) - before  # the servers live until the agent closes
        servers = agent.servers()
    assert started == set()
    assert {s.target for s in result.steps} == {"calc.calculate", "units.convert"}
    assert all(s.ok for s in result.steps), [s.error for s in result.steps]
    assert "391" in result.answer and "8.04672" in result.answer
    assert set(servers) == set(BUILTIN_MCP) and all(h.ok for h in servers.values())


def test_one_shot_run_starts_no_process_and_exits_with_its_data_stored(tmp_path: Path) -> None:
    env = {**os.environ, "AGENTROUTE_LOG": "error"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentroute", "run", "What is 17 * 23?", "--thread", "t-exit"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: set[int] = set()
    try:
        while proc.poll() is None:  # a tool server would live from start-up until the run closes
            seen.update(children(proc.pid))
            time.sleep(0.01)
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "391" in out
    assert seen == set()
    # The quick exit loses nothing: the thread's checkpoint is committed, the case written.
    with sqlite3.connect(tmp_path / ".agentroute" / "threads.sqlite") as db:
        (rows,) = db.execute(
            "SELECT count(*) FROM checkpoints WHERE thread_id = 't-exit'"
        ).fetchone()
    assert rows > 0
    listed = subprocess.run(
        [sys.executable, "-m", "agentroute", "memory", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert listed.returncode == 0, listed.stderr
    assert len([line for line in listed.stdout.splitlines() if line.startswith("case-")]) == 1


def test_a_long_lived_agent_keeps_its_spares_and_warm_spares_false_starts_none() -> None:
    before = set(tool_servers(os.getpid()))
    # These tests are about the processes an agent starts: an empty script, never asked to plan.
    with Agent(mcp=as_processes(warm_spare=True), planner=ScriptedPlanner(), checkpoint=False):
        started = {p: m for p, m in tool_servers(os.getpid()).items() if p not in before}
    # The spares are spawned before a server reports ready, so they are all there by now.
    assert Counter(started.values()) == Counter(2 * list(BUILTIN_MCP.values())), started

    before = set(tool_servers(os.getpid()))
    with Agent(
        mcp=as_processes(warm_spare=True),
        planner=ScriptedPlanner(),
        checkpoint=False,
        warm_spares=False,
    ):
        started = {p: m for p, m in tool_servers(os.getpid()).items() if p not in before}
    assert Counter(started.values()) == Counter(BUILTIN_MCP.values()), started


def test_a_configuration_runs_a_built_in_server_as_a_process(tmp_path: Path) -> None:
    config = tmp_path / "agentroute.toml"
    config.write_text(
        f'[agent]\ndata_dir = "{tmp_path / "data"}"\n\n'
        '[mcp.calc]\nmodule = "agentroute_tools.calc"\nin_process = false\n',
        encoding="utf-8",
    )
    before = set(tool_servers(os.getpid()))
    with Agent.from_config(config) as agent:  # replaces the built-in calc: no second "calc"
        started = {p: m for p, m in tool_servers(os.getpid()).items() if p not in before}
        result = agent.run("What is 17 * 23?")
        servers = agent.servers()
    assert list(started.values()) == ["agentroute_tools.calc"]
    assert set(servers) == set(BUILTIN_MCP)
    assert result.steps[0].target == "calc.calculate" and "391" in result.answer
