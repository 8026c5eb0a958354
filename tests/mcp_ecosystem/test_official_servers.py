"""The official MCP servers, installed from PyPI and npm, driven through McpHub.

Each test spawns the real server over stdio, discovers its tools with list_tools, fills the
arguments from a natural-language request with argfill (no LLM), calls the tool and checks
the result for real content.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agentroute.config import load_config
from agentroute.mcp import McpHub, McpServerSpec, McpToolTarget
from agentroute.text import fill_arguments, validate_arguments
from agentroute.types import Observation


async def ask(target: McpToolTarget, query: str) -> tuple[dict[str, Any], Observation]:
    """Fill the arguments from ``query``, validate them against the schema, call the tool."""
    schema = target.descriptor.input_schema or {}
    args = fill_arguments(query, schema, tool=target.tool)
    assert validate_arguments(args, schema) == []
    return args, await target.invoke("s1", query, args, timeout=20)


def by_name(hub: McpHub) -> dict[str, McpToolTarget]:
    return {t.name: t for t in hub.targets()}


async def test_time_server(time_spec: McpServerSpec) -> None:
    async with McpHub([time_spec]) as hub:
        tools = by_name(hub)
        assert {"time.get_current_time", "time.convert_time"} <= set(tools)

        args, obs = await ask(tools["time.get_current_time"], "What time is it in Tokyo?")
        assert args == {"timezone": "Asia/Tokyo"}
        assert obs.ok, obs.error
        reported = json.loads(obs.result)
        assert reported["timezone"] == "Asia/Tokyo"
        when = dt.datetime.fromisoformat(reported["datetime"])
        assert when.utcoffset() == dt.timedelta(hours=9)
        assert abs(when - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)

        args, obs = await ask(tools["time.convert_time"], "Convert 5 pm New York time to Tokyo")
        assert args == {
            "source_timezone": "America/New_York",
            "time": "17:00",
            "target_timezone": "Asia/Tokyo",
        }
        assert obs.ok, obs.error
        converted = json.loads(obs.result)
        source = dt.datetime.fromisoformat(converted["source"]["datetime"])
        target = dt.datetime.fromisoformat(converted["target"]["datetime"])
        assert (source.hour, source.minute) == (17, 0)
        assert target == source.astimezone(ZoneInfo("Asia/Tokyo"))


async def test_git_server(git_spec: McpServerSpec, repo: Path) -> None:
    async with McpHub([git_spec]) as hub:
        tools = by_name(hub)
        assert {"git.git_status", "git.git_log", "git.git_create_branch"} <= set(tools)

        args, obs = await ask(tools["git.git_status"], f"git status of {repo}")
        assert args == {"repo_path": str(repo)}
        assert obs.ok, obs.error
        assert "notes-untracked.txt" in obs.result and "main" in obs.result

        args, obs = await ask(tools["git.git_log"], f"show the last 1 commits of {repo}")
        assert args == {"repo_path": str(repo), "max_count": 1}
        assert obs.ok, obs.error
        assert "Add the app entry point" in obs.result and "Add the readme" not in obs.result

        args, obs = await ask(
            tools["git.git_create_branch"], f"create a branch called feature-x in {repo}"
        )
        assert args == {"repo_path": str(repo), "branch_name": "feature-x"}
        assert obs.ok, obs.error
        branches = subprocess.run(
            ["git", "branch", "--list"], cwd=repo, capture_output=True, text=True, check=True
        )
        assert "feature-x" in branches.stdout


async def test_filesystem_server(filesystem_spec: McpServerSpec, files: Path) -> None:
    async with McpHub([filesystem_spec]) as hub:
        tools = by_name(hub)
        assert {"filesystem.read_text_file", "filesystem.list_directory"} <= set(tools)
        notes = files / "notes.txt"

        args, obs = await ask(tools["filesystem.read_text_file"], f"read the file {notes}")
        assert args == {"path": str(notes)}
        assert obs.ok, obs.error
        assert obs.result == notes.read_text()

        args, obs = await ask(
            tools["filesystem.read_text_file"], f"show the first 2 lines of {notes}"
        )
        assert args == {"path": str(notes), "head": 2}
        assert obs.ok, obs.error
        assert obs.result.splitlines() == ["alpha line", "beta line"]

        _, obs = await ask(tools["filesystem.list_directory"], f"list the folder {files}")
        assert obs.ok, obs.error
        assert "[FILE] notes.txt" in obs.result and "[DIR] docs" in obs.result

        out = files / "out.txt"
        args, obs = await ask(
            tools["filesystem.write_file"], f"write 'hello from agentroute' to {out}"
        )
        assert args == {"path": str(out), "content": "hello from agentroute"}
        assert obs.ok, obs.error
        assert out.read_text() == "hello from agentroute"

        # Outside the allowed directory: the server refuses, the call degrades, nothing raises.
        _, obs = await ask(tools["filesystem.read_text_file"], "read the file /etc/hostname")
        assert not obs.ok and obs.error and "/etc/hostname" in obs.error


async def test_everything_server(everything_spec: McpServerSpec) -> None:
    async with McpHub([everything_spec]) as hub:
        tools = by_name(hub)
        assert {"everything.echo", "everything.get-sum"} <= set(tools)

        args, obs = await ask(tools["everything.echo"], "echo 'hello from agentroute'")
        assert args == {"message": "hello from agentroute"}
        assert obs.ok, obs.error
        assert obs.result == "Echo: hello from agentroute"

        args, obs = await ask(tools["everything.get-sum"], "What is 3 plus 4.5?")
        assert args == {"a": 3, "b": 4.5}
        assert obs.ok, obs.error
        assert "7.5" in obs.result

        args, obs = await ask(tools["everything.get-structured-content"], "weather in chicago")
        assert args == {"location": "Chicago"}
        assert obs.ok, obs.error
        assert isinstance(obs.data, dict) and "temperature" in obs.data


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = set().union(*(_children(p) for p in frontier)) - found
        found |= frontier
    return found


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


README_CONFIG = """
[mcp.time]                  # pip install mcp-server-time
command = "{python}"
args = ["-m", "mcp_server_time", "--local-timezone", "UTC"]

[mcp.git]                   # pip install mcp-server-git
command = "{python}"
args = ["-m", "mcp_server_git", "--repository", "{repo}"]

[mcp.fs]                    # npm install @modelcontextprotocol/server-filesystem
command = "npx"
args = ["--no-install", "mcp-server-filesystem", "{files}"]
cwd = "{node}"              # the folder holding node_modules; --no-install: never download

[mcp.everything]            # npm install @modelcontextprotocol/server-everything
command = "npx"
args = ["--no-install", "mcp-server-everything", "stdio"]
cwd = "{node}"
"""


async def test_readme_configuration_starts_all_four_and_leaves_no_process(
    tmp_path: Path, repo: Path, files: Path, everything_spec: McpServerSpec
) -> None:
    """The README's [mcp.*] tables, loaded by load_config, start the four official servers."""
    node = Path(everything_spec.args[0]).parents[4]  # .ci/node, beside node_modules
    toml = tmp_path / "agentroute.toml"
    toml.write_text(README_CONFIG.format(python=sys.executable, repo=repo, files=files, node=node))
    config = load_config(toml)
    specs = [McpServerSpec.model_validate({"name": n, **raw}) for n, raw in config.mcp.items()]
    before = _children(os.getpid())
    hub = McpHub(specs)
    await hub.start()
    try:
        assert hub.start_errors == {}
        assert all(h.ok for h in hub.health().values()), hub.health()
        tools = by_name(hub)
        assert {t.descriptor.server for t in tools.values()} == {"time", "git", "fs", "everything"}
        _, obs = await ask(tools["fs.list_allowed_directories"], "which directories may I use?")
        assert obs.ok and str(files) in obs.result
        _, obs = await ask(tools["everything.echo"], "echo 'configured'")
        assert obs.ok and obs.result == "Echo: configured"
        pids = {s.pid for s in hub.servers.values()}
        assert None not in pids and len(pids) == 4
        tree = _descendants(os.getpid()) - before  # npx runs node as a grandchild
        assert pids < tree
    finally:
        await hub.aclose()
    assert _children(os.getpid()) <= before
    assert not {pid for pid in tree if Path(f"/proc/{pid}").exists()}, "orphaned server processes"
