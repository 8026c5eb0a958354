"""Warm spare tool servers: kept by a long-lived agent, never started by a one-shot run.

Server processes are counted from /proc (children whose command line runs one of the
project's tool servers), not from anything the agent says about itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from agentroute import Agent
from agentroute.build import BUILTIN_MCP, builtin_mcp_specs
from agentroute.testing import ScriptedPlanner


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


def test_one_shot_run_starts_no_spare_server(tmp_path: Path) -> None:
    env = {**os.environ, "AGENTROUTE_LOG": "error"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentroute", "run", "What is 17 * 23?"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: dict[int, str] = {}
    try:
        while proc.poll() is None:  # every server lives from start-up until the run closes
            seen.update(tool_servers(proc.pid))
            time.sleep(0.01)
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "391" in out
    # One process per built-in server (calc, units); a spare would make it two each.
    assert Counter(seen.values()) == Counter(BUILTIN_MCP.values()), seen


def test_a_long_lived_agent_keeps_its_spares_and_warm_spares_false_starts_none() -> None:
    before = set(tool_servers(os.getpid()))
    # These tests are about the processes an agent starts: an empty script, never asked to plan.
    with Agent(mcp=builtin_mcp_specs(), planner=ScriptedPlanner(), checkpoint=False):
        started = {p: m for p, m in tool_servers(os.getpid()).items() if p not in before}
    # The spares are spawned before a server reports ready, so they are all there by now.
    assert Counter(started.values()) == Counter(2 * list(BUILTIN_MCP.values())), started

    before = set(tool_servers(os.getpid()))
    with Agent(
        mcp=builtin_mcp_specs(), planner=ScriptedPlanner(), checkpoint=False, warm_spares=False
    ):
        started = {p: m for p, m in tool_servers(os.getpid()).items() if p not in before}
    assert Counter(started.values()) == Counter(BUILTIN_MCP.values()), started
