"""Policies in the real graph, against the official filesystem MCP server (npm)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec
from agentroute.policy import PolicyValidationError
from agentroute.testing import ScriptedPlanner

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / ".ci/node/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Path, McpServerSpec]:
    if not SERVER.is_file():
        pytest.fail(f"{SERVER} is missing: run `bash .ci/install_ecosystem.sh`")
    root = tmp_path / "data"
    root.mkdir()
    (root / "notes.txt").write_text("the launch code is in the blue folder\n")
    policy = tmp_path / "fs.policy"
    policy.write_text(
        f'let root = r"{root}(/.*)?"\ninclude "{REPO / "policies/lib/filesystem-rules.policy"}"\n'
    )
    # The server itself may touch all of tmp_path: only the policy keeps calls inside data/.
    spec = McpServerSpec(name="filesystem", command="node", args=[str(SERVER), str(tmp_path)])
    return root, policy, spec


def test_read_inside_the_root_is_routed_allowed_and_answered(sandbox) -> None:
    root, policy, spec = sandbox
    with Agent(mcp=[spec], policy=policy) as agent:
        result = agent.run(f"Read the text file {root / 'notes.txt'}")
    step = result.steps[0]
    assert step.target.startswith("filesystem.read")
    assert step.policy.effect == "allow" and "filesystem-rules.policy:" in step.policy.rule
    assert "blue folder" in result.answer


def test_write_outside_the_root_and_to_a_dotfile_are_blocked_and_reported(sandbox) -> None:
    root, policy, spec = sandbox
    outside = root.parent / "outside.txt"
    hidden = root / ".bashrc"
    planner = ScriptedPlanner(
        [
            ("write outside", "filesystem.write_file", {"path": str(outside), "content": "x"}),
            ("write dotfile", "filesystem.write_file", {"path": str(hidden), "content": "x"}),
            (
                "write inside",
                "filesystem.write_file",
                {"path": str(root / "ok.txt"), "content": "y"},
            ),
        ],
        [],  # round 2, after the denials: nothing more to do
    )
    with Agent(mcp=[spec], policy=policy, planner=planner) as agent:
        result = agent.run("write three files")
    by_query = {s.query: s for s in result.steps}
    assert by_query["write outside"].policy.effect == "deny"
    assert by_query["write outside"].policy.rule is not None  # the scope default, named
    assert by_query["write dotfile"].policy.effect == "deny"
    assert "filesystem-rules.policy:" in by_query["write dotfile"].policy.rule
    assert "dotfiles" in (by_query["write dotfile"].error or "")
    assert not outside.exists() and not hidden.exists()
    assert by_query["write inside"].ok and (root / "ok.txt").read_text() == "y"
    # the planner saw the denials as observations it can route around
    assert any(not o.ok and "not allowed" in (o.error or "") for o in planner.contexts[1].previous)


def test_a_condition_on_an_argument_the_tool_lacks_fails_at_load(sandbox, tmp_path: Path) -> None:
    _, _, spec = sandbox
    bad = tmp_path / "bad.policy"
    bad.write_text('scope server filesystem {\n  allow filesystem.read_file when pth == "x"\n}\n')
    with pytest.raises(PolicyValidationError, match=r"bad.policy:2:\d+"):
        Agent(mcp=[spec], policy=bad).start()
