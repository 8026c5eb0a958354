"""A revision written in git's notation fills a required name the text gives no other way.

Measured before (blind set 19): "diff of HEAD~2" called ``git_diff`` with the target
"of HEAD~2" and ``context_lines`` 2 (the number inside the revision): "Ref 'of HEAD' did not
resolve to an object".
"""

from __future__ import annotations

import pytest

from agentroute.text import fill_arguments

DIFF = {"type": "object", "required": ["repo_path", "target"],
        "properties": {"repo_path": {"type": "string", "default": "/repo"},
                       "target": {"type": "string"},
                       "context_lines": {"type": "integer", "default": 3}}}  # fmt: skip


@pytest.mark.parametrize(
    "clause", ["diff of HEAD~2", "compare with HEAD~2", "what changed since HEAD~2"]
)
def test_a_written_revision_is_the_target(clause: str) -> None:
    assert fill_arguments(clause, DIFF, tool="git_diff") == {
        "repo_path": "/repo",
        "target": "HEAD~2",
    }


def test_a_name_said_otherwise_still_wins() -> None:
    assert fill_arguments("diff against feature-login", DIFF, tool="git_diff")["target"] == (
        "feature-login"
    )
