"""The repository a git server was started on stays the repository: a file or a word named in
the request is something inside it (text._arguments), on the real server's own schemas."""

from __future__ import annotations

from pathlib import Path

from agentroute.mcp import McpHub, McpServerSpec
from agentroute.text import fill_arguments


async def test_a_relative_path_is_in_the_served_repository_not_another_one(
    git_spec: McpServerSpec, repo: Path, filesystem_spec: McpServerSpec, files: Path
) -> None:
    async with McpHub([git_spec, filesystem_spec]) as hub:
        tools = {t.name: t.descriptor for t in hub.targets()}
        show = tools["git.git_show"].input_schema or {}
        unstaged = tools["git.git_diff_unstaged"].input_schema or {}
        args = fill_arguments("show the changes to app.py that aren't staged", unstaged,
                              tool="git_diff_unstaged")  # fmt: skip
        assert args["repo_path"] == str(repo)
        args = fill_arguments("show me the contents of the latest commit", show, tool="git_show")
        assert args["repo_path"] == str(repo) and args["revision"] == "HEAD"
        # an absolute path is still another repository the request names
        other = "/srv/other-repo"
        assert (
            fill_arguments(f"git show HEAD in {other}", show, tool="git_show")["repo_path"] == other
        )
        # a file server's own path field still reads a folder under its root
        listing = tools["filesystem.list_directory"].input_schema or {}
        path = fill_arguments("list the docs folder", listing, tool="list_directory")["path"]
        assert Path(path) == files / "docs"
