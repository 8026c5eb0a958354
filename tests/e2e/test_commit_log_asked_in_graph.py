"""Who changed a repository and its recent commits, through the real agent and the official git
MCP server on a real repository: the commit log, not a diff (issue 13)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec


@pytest.fixture(scope="module")
def git_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    repo = tmp_path_factory.mktemp("repo")
    env = {"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(repo)}  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "Start"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    (repo / "app.py").write_text("print('hi')\n")
    subprocess.run(["git", "add", "app.py"], cwd=repo, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", "Add the app"], cwd=repo, env=env, check=True)
    spec = McpServerSpec(
        name="git", command=sys.executable, args=["-m", "mcp_server_git", "--repository", str(repo)]
    )
    with Agent(mcp=[spec], checkpoint=False, max_rounds=1) as agent:
        yield agent


@pytest.mark.parametrize(
    "request_text", ["who last changed the repository", "show me the recent commits"]
)
def test_asked_in_other_words_the_commit_log_answers(git_agent: Agent, request_text: str) -> None:
    result = git_agent.run(request_text)
    assert [s.target for s in result.steps] == ["git.git_log"], [
        (s.target, s.route.reason if s.route else None) for s in result.steps
    ]
    assert "Add the app" in result.answer
