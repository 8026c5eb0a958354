"""What a user says beside a request about their own plans or limits asks for nothing
(``text/asides.json``), and the ways of asking for a tool's job added in session 22
(``text/asked_as.json``). Phrasings written for this test, apart from the benchmark's sets."""

from __future__ import annotations

import pytest

from agentroute.text import aside, asked_as, without_aside


@pytest.mark.parametrize(
    "part",
    [
        "I want to update it later",
        "I might want to reset it",
        "the file I'm going to rewrite",
        "don't commit yet",
        "without changing anything",
        "but do not move anything",
        "before I commit",
        "we're about to delete them",
    ],
)
def test_the_users_own_plan_or_a_limit_is_an_aside(part: str) -> None:
    assert aside(part)


@pytest.mark.parametrize(
    "part",
    [
        "I want to update todo.md with 'buy milk'",  # asks for the change now
        "I'm going to Paris",  # no change named
        "I'd like a poem about spring",
        "commit my changes",
        "what time is it in Tokyo",
        "don't tell anyone",
        "don't forget to add 5 to it",
        "should I commit it later?",  # a question
    ],
)
def test_an_ask_is_no_aside(part: str) -> None:
    assert not aside(part)


@pytest.mark.parametrize(
    ("part", "asked"),
    [
        ("what's in the data folder before i move things around", "what's in the data folder"),
        ("show me budget.csv without changing anything", "show me budget.csv"),
        ("show me the commit history so i can pick one to revert to", "show me the commit history"),
        ("is there a file called faq.md before I create one", "is there a file called faq.md"),
        ("what time is it in Tokyo before I call my mum", None),  # calling is no change
        ("convert 5 km to miles without rounding", None),
    ],
)
def test_an_aside_at_the_end_of_a_part_is_cut(part: str, asked: str | None) -> None:
    assert without_aside(part) == (asked or part)


@pytest.mark.parametrize(
    ("clause", "job"),
    [
        ("what day of the week is it", "current time"),
        ("what did i change since the last commit", "unstaged changes diff"),
        ("show recent history", "commit log"),
        ("what would my next commit contain", "staged changes diff"),
        ("what would git add pick up", "working tree status"),
        ("which files do i still need to git add", "working tree status"),
        ("show me what the previous commit changed", "show commit"),
        ("repeat after me: the quick brown fox", "echo back"),
    ],
)
def test_tool_jobs_asked_in_other_words(clause: str, job: str) -> None:
    assert job in asked_as(clause)


def test_history_alone_is_the_commit_log_only_as_the_whole_clause() -> None:
    assert "commit log" in asked_as("history pls")
    assert "commit log" not in asked_as("the recent history of Japan")
