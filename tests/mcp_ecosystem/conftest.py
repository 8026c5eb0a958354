"""Official MCP servers from the registries as McpServerSpecs (installed by .ci/install_ecosystem.sh).

The specs here are the ones the README shows; a server that is not installed fails its tests
with the command to run, never skips them.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from agentroute.mcp import McpServerSpec

NODE_MODULES = Path(__file__).resolve().parents[2] / ".ci" / "node" / "node_modules"
INSTALL = "bash .ci/install_ecosystem.sh"


def _npm_server(package: str) -> str:
    script = NODE_MODULES / "@modelcontextprotocol" / package / "dist" / "index.js"
    if not script.is_file():
        pytest.fail(
            f"@modelcontextprotocol/{package} is not installed at {script}: run `{INSTALL}`"
        )
    return str(script)


def _python_server(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed in {sys.executable}: run `{INSTALL}`")


@pytest.fixture
def time_spec() -> McpServerSpec:
    _python_server("mcp_server_time")
    return McpServerSpec(
        name="time",
        command=sys.executable,
        args=["-m", "mcp_server_time", "--local-timezone", "UTC"],
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git repository: two commits and one untracked file."""
    path = tmp_path / "repo"
    path.mkdir()
    env = {"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (path / "README.md").write_text("# demo\n")
    git("add", "README.md")
    git("commit", "-q", "-m", "Add the readme")
    (path / "app.py").write_text("print('hi')\n")
    git("add", "app.py")
    git("commit", "-q", "-m", "Add the app entry point")
    (path / "notes-untracked.txt").write_text("todo\n")
    return path


@pytest.fixture
def git_spec(repo: Path) -> McpServerSpec:
    _python_server("mcp_server_git")
    return McpServerSpec(
        name="git", command=sys.executable, args=["-m", "mcp_server_git", "--repository", str(repo)]
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """The one directory the filesystem server may touch."""
    root = tmp_path / "files"
    (root / "docs").mkdir(parents=True)
    (root / "notes.txt").write_text("alpha line\nbeta line\ngamma line\ndelta line\n")
    (root / "docs" / "guide.md").write_text("# Guide\nUse the router.\n")
    return root


@pytest.fixture
def filesystem_spec(files: Path) -> McpServerSpec:
    return McpServerSpec(
        name="filesystem", command="node", args=[_npm_server("server-filesystem"), str(files)]
    )


@pytest.fixture
def everything_spec() -> McpServerSpec:
    return McpServerSpec(
        name="everything", command="node", args=[_npm_server("server-everything"), "stdio"]
    )
