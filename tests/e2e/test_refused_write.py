"""A write the user refused is not done, and no other tool answers its part in its place: a
server's ``greet`` once answered "Hello, ...!" for a note the user had just refused to save."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import cli

SERVER = '''
from mcp.server.mcpserver import MCPServer

mcp = MCPServer("notes")


@mcp.tool()
def greet(name: str) -> str:
    """Say hello to someone by name."""
    return f"Hello, {name}!"


@mcp.tool()
def save_note(title: str, text: str) -> str:
    """Save a note with a title and text."""
    return f"saved note {title!r}"


if __name__ == "__main__":
    mcp.run()
'''


def _notes(tmp_path: Path) -> None:
    (tmp_path / "notes_server.py").write_text(SERVER, encoding="utf-8")
    (tmp_path / "agentroute.toml").write_text(
        '[mcp.notes]\ncommand = "python"\nargs = ["notes_server.py"]\n', encoding="utf-8"
    )


def test_a_refused_write_is_not_answered_by_another_tool(tmp_path: Path) -> None:
    _notes(tmp_path)
    request = "Save a note titled groceries saying buy milk"
    proc = cli("run", request, "--json", cwd=tmp_path)  # no terminal: the write is refused
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert [s["target"] for s in out["steps"]] == ["notes.save_note"], out["steps"]
    (step,) = out["steps"]
    assert not step["ok"] and "human refused" in step["error"]
    assert step["args"]["title"] == "groceries"  # "titled groceries" fills the title
    assert out["answer"].startswith(f"- Not done {request!r}: ") and "human refused" in out["answer"]
    assert "Hello" not in out["answer"]
    approved = json.loads(cli("run", request, "--json", "--yes", cwd=tmp_path).stdout)
    assert "saved note 'groceries'" in approved["answer"]
