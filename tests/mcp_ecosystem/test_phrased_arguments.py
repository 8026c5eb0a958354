"""Arguments in the words people use, through the real filesystem and git servers.

"the docs folder" names no path and "markdown files" no glob, "the commit before last" no
revision, "branches?" no branch type; each phrasing here was written for this test and is
checked against what the real server answers. The filesystem server's allowed directory is
the default root (from its command line), the git server's ``--repository`` the default
repository.
"""

from __future__ import annotations

import pytest

from agentroute.mcp import McpHub, McpServerSpec

# (tool, request, text the server's answer must hold, text it must not)
FILES = [
    ("filesystem.list_directory", "what is inside the docs folder?", "guide.md", "notes.txt"),
    ("filesystem.list_directory", "list the files", "notes.txt", None),
    ("filesystem.list_directory", "files in docs", "guide.md", "notes.txt"),
    ("filesystem.search_files", "find the markdown files", "guide.md", "notes.txt"),
    ("filesystem.search_files", "which files end with .txt", "notes.txt", "guide.md"),
    ("filesystem.search_files", "look for .md files in the docs directory", "guide.md", None),
    ("filesystem.directory_tree", "show me the directory tree", "guide.md", None),
]  # fmt: skip
GIT = [
    ("git.git_branch", "branches?", "main", None),
    ("git.git_branch", "which branches are there", "main", None),
    ("git.git_show", "what did the latest commit change", "Add the app entry point", None),
    ("git.git_show", "show me the commit before last", "Add the readme", "app entry point"),
    ("git.git_show", "show what the HEAD commit contains", "print('hi')", None),
]  # fmt: skip


async def _check(spec: McpServerSpec, cases: list[tuple[str, str, str, str | None]]) -> None:
    async with McpHub([spec]) as hub:
        targets = {t.name: t for t in hub.targets()}
        for tool, request, present, absent in cases:
            obs = await targets[tool].invoke("s1", request, None, timeout=20)
            assert obs.ok, (request, obs.error)
            assert present in obs.result, (request, obs.result[:400])
            if absent is not None:
                assert absent not in obs.result, (request, obs.result[:400])


async def test_file_phrasings(filesystem_spec: McpServerSpec) -> None:
    await _check(filesystem_spec, FILES)


async def test_git_phrasings(git_spec: McpServerSpec) -> None:
    await _check(git_spec, GIT)


@pytest.mark.parametrize("request_text", ["show the notes folder", "list the contents of drafts"])
async def test_a_folder_that_is_not_there_is_reported_not_guessed(
    filesystem_spec: McpServerSpec, request_text: str
) -> None:
    async with McpHub([filesystem_spec]) as hub:
        target = next(t for t in hub.targets() if t.name == "filesystem.list_directory")
        obs = await target.invoke("s1", request_text, None, timeout=20)
        assert not obs.ok and "ENOENT" in (obs.error or ""), obs
