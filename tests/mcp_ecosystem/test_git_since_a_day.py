"""A day asked of the git server's log means that whole day, through the real Agent.

Measured before: "what got committed today" filled ``start_timestamp`` with the bare day, which
git reads as that day at the current hour, so every commit made earlier today was left out and
the log came back empty.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec


def test_the_commits_of_today_include_those_made_before_this_hour(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    today = dt.date.today()
    env = {"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}  # fmt: skip

    def commit(name: str, message: str, when: str) -> None:
        (repo / name).write_text(message + "\n")
        dated = {**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        for args in (["add", name], ["commit", "-q", "-m", message]):
            subprocess.run(["git", *args], cwd=repo, env=dated, check=True, capture_output=True)

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=env, check=True)
    commit("old.txt", "Work of the day before", f"{today - dt.timedelta(days=1)}T12:00:00")
    commit("early.txt", "Work done just after midnight", f"{today}T00:00:01")
    git = McpServerSpec(
        name="git", command=sys.executable, args=["-m", "mcp_server_git", "--repository", str(repo)]
    )
    with Agent(mcp=[git], embedder=default_embedder(), warm_spares=False) as agent:
        result = agent.run("what got committed today")

    assert [s.target for s in result.steps] == ["git.git_log"], result.trace
    assert "Work done just after midnight" in result.answer, result.answer
    assert "Work of the day before" not in result.answer
