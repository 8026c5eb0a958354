"""Ways of asking for a tool's job in other words than the tool's own (``text/asked_as.json``),
a time difference asked with no time of day, the shell's words for a folder, and a commit
named as a noun after "last".

The phrasings were written for this test, apart from the planning benchmark's sets.
"""

from __future__ import annotations

import pytest

from agentroute.text import asked_as, fill_arguments, searched_as, write_verb

CONVERT = {"type": "object", "required": ["source_timezone", "time", "target_timezone"],
           "properties": {"source_timezone": {"type": "string", "description": "Source IANA timezone name"},
                          "time": {"type": "string", "description": "Time to convert in 24-hour format (HH:MM)"},
                          "target_timezone": {"type": "string", "description": "Target IANA timezone name"}}}  # fmt: skip
MKDIR = {"type": "object", "required": ["path"], "properties": {"path": {"type": "string"}}}


@pytest.mark.parametrize(
    ("clause", "means"),
    [
        ("show me the repo history", "commit log"),
        ("who touched the readme lately", "commit log"),
        ("is it night yet in Lisbon", "current time"),
        ("what's the date in Nairobi", "current time"),
        ("is Berlin on daylight saving time", "current time"),
        ("how many hours behind Tokyo is Paris", "convert time between time zones"),
        ("anything untracked in here?", "working tree status"),
        ("ls src/", "list directory"),
        ("tree", "directory tree"),
        ("jot down 'call Sam' in calls.txt", "write file"),
        ("new folder: drafts", "create directory"),
    ],
)
def test_a_way_of_asking_names_the_job(clause: str, means: str) -> None:
    assert means in asked_as(clause)
    assert searched_as(clause).endswith(")") and means in searched_as(clause)


@pytest.mark.parametrize(
    "clause",
    [
        "what is the date of the Battle of Hastings",  # a date, but no place with a clock
        "how do you say good morning in French",
        "what's the tallest tree in the world",  # "tree" is not the whole clause
        "the history of Rome",
        "save the whales",  # a write verb, but no file to write
        "create a tree view of all my files",  # a read's words beside a write verb
    ],
)
def test_other_requests_are_searched_as_written(clause: str) -> None:
    assert searched_as(clause) == clause


def test_a_time_difference_with_no_time_of_day_converts_noon() -> None:
    args = fill_arguments("how many hours ahead of UTC is Tokyo?", CONVERT, tool="convert_time")
    assert args == {"source_timezone": "UTC", "time": "12:00", "target_timezone": "Asia/Tokyo"}
    # a time said is the one converted
    said = fill_arguments("how far ahead is Tokyo of UTC at 18:30 UTC", CONVERT)
    assert said["time"] == "18:30"


def test_the_time_in_a_place_is_still_no_conversion() -> None:
    with pytest.raises(Exception):  # noqa: B017 - ArgumentFillError or a missing zone
        fill_arguments("what time is it in Lima", CONVERT, tool="convert_time")


@pytest.mark.parametrize(
    ("clause", "folder"),
    [("mkdir projects", "projects"), ("mkdir -p out", "out"), ("new folder: receipts", "receipts")],
)
def test_the_shell_words_for_a_folder_name_it(clause: str, folder: str) -> None:
    assert fill_arguments(clause, MKDIR, tool="create_directory")["path"] == folder


def test_a_folder_after_ls_is_that_folder() -> None:
    listing = {"type": "object", "required": ["path"],
               "properties": {"path": {"type": "string", "default": "/srv/files"}}}  # fmt: skip
    assert fill_arguments("ls docs/", listing, tool="list_directory")["path"] == "/srv/files/docs"
    assert fill_arguments("ls", listing, tool="list_directory")["path"] == "/srv/files"


@pytest.mark.parametrize(
    "clause",
    ["first line of todo.md and the last commit", "show the latest commit", "the previous commit"],
)
def test_a_commit_after_last_is_a_noun(clause: str) -> None:
    assert write_verb(clause) is None


@pytest.mark.parametrize(
    ("clause", "verb"),
    [
        ("jot down 'call Sam' in calls.txt", "jot"),
        ("note down 'x' in y.txt", "note"),
        ("amend the last commit message", "amend"),
        ("commit my changes", "commit"),
    ],
)
def test_jotting_noting_and_amending_are_acts(clause: str, verb: str) -> None:
    assert write_verb(clause) == verb
