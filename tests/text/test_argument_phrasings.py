"""Arguments read from the words people use for folders, file patterns, revisions and enums.

The phrasings were written for this test, apart from the planning benchmark: a folder named
by a word ("the src folder"), a file type instead of a glob ("python files"), a relative
commit ("the one before last"), an enum the request leaves implicit ("branches?").
"""

from __future__ import annotations

from typing import Any

import pytest

from agentroute.mcp import McpServerSpec
from agentroute.text import ArgumentFillError, fill_arguments

ROOT = "/srv/files"
# fmt: off
LIST_DIR = {"type": "object", "required": ["path"], "properties": {
    "path": {"type": "string", "default": ROOT}}}
SEARCH = {"type": "object", "required": ["path", "pattern"], "properties": {
    "path": {"type": "string", "default": ROOT}, "pattern": {"type": "string"},
    "excludePatterns": {"type": "array", "items": {"type": "string"}, "default": []}}}
GREP = {"type": "object", "required": ["pattern"], "properties": {"pattern": {"type": "string"}}}
BRANCH = {"type": "object", "required": ["repo_path", "branch_type"], "properties": {
    "repo_path": {"type": "string", "default": "/repo"},
    "branch_type": {"type": "string", "description": "Whether to list local branches ('local'), "
                    "remote branches ('remote') or all branches('all')."},
    "contains": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None,
                 "description": "The commit sha that branch should contain."}}}
SHOW = {"type": "object", "required": ["repo_path", "revision"], "properties": {
    "repo_path": {"type": "string", "default": "/repo"}, "revision": {"type": "string"}}}
MODE = {"type": "object", "required": ["mode"], "properties": {
    "mode": {"type": "string", "enum": ["fast", "thorough"], "default": "thorough"}}}
NO_FALLBACK = {"type": "object", "required": ["colour"], "properties": {
    "colour": {"type": "string", "enum": ["red", "green"]}}}
QUERY = {"type": "object", "required": ["query"], "properties": {"query": {"type": "string"}}}
WRITE = {"type": "object", "required": ["path", "content"], "properties": {  # the official server's
    "path": {"type": "string", "default": ROOT}, "content": {"type": "string"}}}
# fmt: on


def fill(query: str, schema: dict[str, Any], tool: str | None = None) -> dict[str, Any]:
    return fill_arguments(query, schema, tool=tool)


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("what's inside the src folder", f"{ROOT}/src"),
        ("list the contents of directory reports", f"{ROOT}/reports"),
        ("show me what is in images", f"{ROOT}/images"),
        ("list everything under build/out", f"{ROOT}/build/out"),
        ("list the files", ROOT),
        ("what is in this folder?", ROOT),
        ("show the top-level directory", ROOT),
        ("list /etc/ssl", "/etc/ssl"),
    ],
)
def test_a_folder_named_by_a_word_is_a_path_under_the_servers_root(query: str, path: str) -> None:
    assert fill(query, LIST_DIR)["path"] == path


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("find all python files", "**/*.py"),
        ("which files end with .json", "**/*.json"),
        ("look for .txt files", "**/*.txt"),
        ("any spreadsheets of type xlsx?", "**/*.xlsx"),
        ("search for yaml files", "**/*.yaml"),
        ("find report-*.pdf", "report-*.pdf"),
    ],
)
def test_a_file_type_in_words_is_a_glob(query: str, pattern: str) -> None:
    args = fill(query, SEARCH)
    assert args["pattern"] == pattern
    assert args["path"] == ROOT


def test_a_glob_and_a_folder_together() -> None:
    assert fill("search the notes folder for markdown files", SEARCH) == {
        "path": f"{ROOT}/notes",
        "pattern": "**/*.md",
    }


def test_a_pattern_that_is_not_a_glob_is_still_read_as_written() -> None:
    assert fill("grep for 'deprecated'", GREP)["pattern"] == "deprecated"


@pytest.mark.parametrize(
    ("query", "revision"),
    [
        ("what did the latest commit change", "HEAD"),
        ("show the commit before last", "HEAD~1"),
        ("show me the second-to-last commit", "HEAD~1"),
        ("what was committed 3 commits ago", "HEAD~3"),
        ("show HEAD~2", "HEAD~2"),
        ("show commit 9fceb02", "9fceb02"),
        ("what is on the release-2.0 branch", "release-2.0"),
        ("show the commit", "HEAD"),
        ("display what this commit includes", "HEAD"),
    ],
)
def test_revisions_in_words(query: str, revision: str) -> None:
    assert fill(query, SHOW)["revision"] == revision


@pytest.mark.parametrize(
    ("query", "branch_type"),
    [("branches?", "all"), ("list the branches", "all"), ("show remote branches", "remote")],
)
def test_an_enum_the_text_leaves_implicit_takes_the_broadest_option(
    query: str, branch_type: str
) -> None:
    args = fill(query, BRANCH)
    assert args["branch_type"] == branch_type
    assert "contains" not in args  # an optional sha is never the whole request


def test_an_enum_default_wins_and_no_broad_option_means_no_guess() -> None:
    assert fill("run it", MODE)["mode"] == "thorough"
    with pytest.raises(ArgumentFillError):
        fill("paint it", NO_FALLBACK)


@pytest.mark.parametrize("tool", ["read_text_file", "write_file", "get_file_info"])
def test_the_root_folder_is_never_the_file_a_file_tool_reads_or_writes(tool: str) -> None:
    with pytest.raises(ArgumentFillError):
        fill("read it", LIST_DIR, tool=tool)
    assert fill("read it", LIST_DIR, tool="list_directory")["path"] == ROOT


@pytest.mark.parametrize("query", ["what is 3/8 as a decimal", "1 and 1/2 plus 2 and 1/4"])
def test_fractions_are_not_paths(query: str) -> None:
    assert fill(query, LIST_DIR)["path"] == ROOT


def test_a_negative_quantity_keeps_its_sign_after_the_tool_verb() -> None:
    assert fill("convert -12 C to F", QUERY, tool="convert")["query"] == "-12 C to F"


def test_the_filesystem_servers_allowed_directory_is_its_default_path() -> None:
    npx = McpServerSpec(
        name="files",
        command="npx",
        args=["-y", "@modelcontextprotocol/server-filesystem", "/data/a", "/data/b"],
    )
    node = McpServerSpec(
        name="fs", command="node", args=["/x/server-filesystem/dist/index.js", "/home/u"]
    )
    other = McpServerSpec(name="other", command="node", args=["server.js", "/home/u"])
    assert npx.argument_defaults() == {"path": "/data/a"}
    assert node.argument_defaults() == {"path": "/home/u"}
    assert other.argument_defaults() == {}
    explicit = npx.model_copy(update={"defaults": {"path": "/data/b"}})
    assert explicit.argument_defaults() == {"path": "/data/b"}


LOG = {"type": "object", "required": ["repo_path"], "properties": {
    "repo_path": {"type": "string", "default": "/repo"},
    "max_count": {"type": "integer", "default": 10}}}  # fmt: skip


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("show the last twenty-five commits", 25),
        ("the last forty two commits", 42),
        ("show me a hundred and ten commits", 110),
        ("show the last three commits", 3),
    ],
)
def test_numbers_in_words(query: str, count: int) -> None:
    assert fill(query, LOG)["max_count"] == count


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # apostrophes of contractions are not quotation marks
        (
            "If it's 20 and there's a 5% fee, what's 5% of 20?",
            "If it's 20 and there's a 5% fee, what's 5% of 20?",
        ),
        ("Don't stop: echo 'it's fine'", "it's fine"),
        ("grep for 'deprecated' in the code", "deprecated"),
    ],
)
def test_only_real_quotation_marks_quote(query: str, expected: str) -> None:
    assert fill(query, QUERY)["query"] == expected


@pytest.mark.parametrize(
    ("query", "content"),
    [
        ("write hello into /srv/files/new.txt", "hello"),
        ("write the meeting is at 3pm to /srv/files/notes.txt", "the meeting is at 3pm"),
        ("write 'hello from agentroute' to /srv/files/out.txt", "hello from agentroute"),
    ],
)
def test_written_content_stops_before_the_file_it_goes_to(query: str, content: str) -> None:
    """The unquoted text was written whole: 'hello into /srv/files/new.txt' into the file."""
    args = fill(query, WRITE, tool="write_file")
    assert args["content"] == content and args["path"].startswith(ROOT)
