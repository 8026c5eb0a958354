"""A clause that only says when ("before I commit") asks for no act, through the real Agent
with the official git server: the read it frames plans no writing tool.

Measured before (blind set 18): "before I commit, what's the status?" planned
``git.git_commit`` for "before I commit", then ``git.git_status``: a write for a read.
"""

from __future__ import annotations

from agentroute import Agent
from agentroute.mcp import McpServerSpec

WRITERS = {"git.git_commit", "git.git_add", "git.git_reset", "git.git_create_branch",
           "git.git_checkout"}  # fmt: skip


def test_a_time_frame_is_no_write(git_spec: McpServerSpec) -> None:
    with Agent(mcp=[git_spec], warm_spares=False) as agent:
        result = agent.run("before I commit, what's the status?")
        written = agent.run("commit the staged changes with message 'x'", thread="w")
    planned = [s.target for s in result.steps]
    assert not set(planned) & WRITERS, result.trace
    assert "git.git_status" in planned, planned
    assert result.pending_approval is None
    assert "notes-untracked.txt" in result.answer
    # an act asked for is still one: the commit is planned (and waits for approval)
    assert written.pending_approval is not None or [s.target for s in written.steps] == [
        "git.git_commit"
    ], written.trace
