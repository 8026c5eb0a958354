"""Sibling tools of the official git and filesystem servers told apart by their own names and
descriptions, negation read (planning._siblings), on the tool lists the real servers publish.

Retrieval scores are set equal-ish by hand: what is under test is which close sibling the
clause's words name, not MiniLM."""

from __future__ import annotations

from dataclasses import dataclass

from agentroute.mcp import McpHub, McpServerSpec
from agentroute.planning._fillable import echoes_clause, required_said
from agentroute.planning._siblings import siblings_first, support
from agentroute.types import TargetDescriptor


@dataclass(frozen=True)
class Hit:
    descriptor: TargetDescriptor
    score: float
    best_text: str = ""


async def _tools(*specs: McpServerSpec) -> dict[str, TargetDescriptor]:
    async with McpHub(list(specs)) as hub:
        return {t.name: t.descriptor for t in hub.targets()}


def _first(clause: str, tools: dict[str, TargetDescriptor], *ranked: tuple[str, float]) -> str:
    hits = [Hit(tools[name], score) for name, score in ranked]
    return siblings_first(clause, hits)[0].descriptor.name


async def test_git_diff_siblings_by_what_the_clause_says_of_staging(
    git_spec: McpServerSpec,
) -> None:
    git = await _tools(git_spec)
    staged_first = (("git.git_diff_staged", 0.49), ("git.git_diff_unstaged", 0.42))
    unstaged_first = (("git.git_diff_unstaged", 0.49), ("git.git_diff_staged", 0.42))
    # denied in the clause: the sibling that says "not yet staged", not "staged for commit"
    assert _first("show me the uncommitted changes", git, *staged_first) == (
        "git.git_diff_unstaged"
    )
    assert _first("show the changes to app.py that aren't staged", git, *staged_first) == (
        "git.git_diff_unstaged"
    )
    # said in the clause: the staged one, whichever retrieval put first
    assert _first("show the staged diff", git, *unstaged_first) == "git.git_diff_staged"
    assert _first("what's staged?", git, *unstaged_first) == "git.git_diff_staged"
    # neither said: the state before the act ("staging") is the one meant
    assert _first("what's changed in the repo?", git, *staged_first) == "git.git_diff_unstaged"


async def test_words_every_sibling_says_alike_are_no_evidence(git_spec: McpServerSpec) -> None:
    git = await _tools(git_spec)
    # "show" names git_show, but every git tool "Shows" something: the log stays first
    assert (
        _first(
            "Show me the recent commit history", git, ("git.git_log", 0.66), ("git.git_show", 0.56)
        )
        == "git.git_log"
    )


async def test_far_apart_or_another_server_is_left_to_retrieval(
    git_spec: McpServerSpec, filesystem_spec: McpServerSpec
) -> None:
    tools = await _tools(git_spec, filesystem_spec)
    # more than the margin apart: the retrieval order stands
    assert _first(
        "show me the uncommitted changes", tools,
        ("git.git_diff_staged", 0.60), ("git.git_diff_unstaged", 0.40),
    ) == "git.git_diff_staged"  # fmt: skip
    # siblings are of the leader's own server
    assert _first(
        "show me the files in docs that aren't staged", tools,
        ("filesystem.list_directory", 0.50), ("git.git_diff_unstaged", 0.49),
    ) == "filesystem.list_directory"  # fmt: skip


async def test_a_leader_that_cannot_be_called_gives_way(git_spec: McpServerSpec) -> None:
    git = await _tools(git_spec)
    # git_diff needs a branch or commit to compare with; "the changes" gives none
    assert (
        _first(
            "show me my unstaged changes",
            git,
            ("git.git_diff", 0.55),
            ("git.git_diff_unstaged", 0.40),
        )
        == "git.git_diff_unstaged"
    )
    # with one given, git_diff can be called and keeps its place
    assert _first(
        "diff against the feature-login branch", git,
        ("git.git_diff", 0.55), ("git.git_diff_unstaged", 0.45),
    ) == "git.git_diff"  # fmt: skip


async def test_filesystem_siblings_by_their_names(filesystem_spec: McpServerSpec) -> None:
    fs = await _tools(filesystem_spec)
    assert _first(
        "search for every markdown file", fs,
        ("filesystem.list_directory", 0.47), ("filesystem.search_files", 0.45),
    ) == "filesystem.search_files"  # fmt: skip
    assert _first(
        "give me a tree of the docs folder", fs,
        ("filesystem.list_directory", 0.50), ("filesystem.directory_tree", 0.47),
    ) == "filesystem.directory_tree"  # fmt: skip
    assert support("list docs with sizes", fs["filesystem.list_directory_with_sizes"]) > support(
        "list docs with sizes", fs["filesystem.list_directory"]
    )


async def test_a_clause_echoed_as_a_required_argument_is_no_value(
    git_spec: McpServerSpec, filesystem_spec: McpServerSpec
) -> None:
    tools = await _tools(git_spec, filesystem_spec)
    assert echoes_clause("show me my unstaged changes", tools["git.git_diff"])
    assert not echoes_clause("diff against the feature-login branch", tools["git.git_diff"])
    assert not echoes_clause("show me my unstaged changes", tools["git.git_diff_unstaged"])
    # a value that comes from an earlier step at dispatch is no echo
    assert not echoes_clause("read them", tools["filesystem.read_multiple_files"])


async def test_a_writing_leader_is_not_traded_for_a_reading_sibling(
    git_spec: McpServerSpec,
) -> None:
    git = await _tools(git_spec)
    # "staged" names git_diff_staged, but the clause asks for the act its verb names
    assert _first(
        "commit the staged changes with message 'x'", git,
        ("git.git_commit", 0.60), ("git.git_diff_staged", 0.63),
    ) == "git.git_commit"  # fmt: skip


async def test_a_required_value_said_in_so_many_words_counts(git_spec: McpServerSpec) -> None:
    git = await _tools(git_spec)
    assert required_said("show commit HEAD~2", git["git.git_show"]) == 1
    assert required_said("show me the latest commit", git["git.git_show"]) == 0  # "HEAD" unsaid
    assert required_said("show me my unstaged changes", git["git.git_diff"]) is None
    assert (
        _first("show commit HEAD~2", git, ("git.git_log", 0.54), ("git.git_show", 0.52))
        == "git.git_show"
    )
    assert (
        _first("show the last 2 commits", git, ("git.git_log", 0.54), ("git.git_show", 0.52))
        == "git.git_log"
    )
