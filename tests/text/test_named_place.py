"""Files and folders a clause names, and whether it asks about their history
(agentroute.text._files)."""

from __future__ import annotations

from agentroute.text import asks_history, named_place


def test_a_file_with_a_known_extension_or_a_folder_by_name_is_a_place() -> None:
    assert named_place("read the budget file data/budget.csv") == ("file", "budget.csv")
    assert named_place("what's on my to-do list in todo.md") == ("file", "todo.md")
    assert named_place("show me what's in the docs folder") == ("folder", "docs")
    assert named_place("the folder called treasure_maps") == ("folder", "treasure_maps")


def test_abbreviations_hosts_and_unnamed_folders_are_no_place() -> None:
    nothing = ["i.e. what's 220 minus that", "open example.com", "a folder", "time in Tokyo"]
    for clause in [*nothing, "allowed directories", "what directories have you been given"]:
        assert named_place(clause) is None, clause


def test_history_words_say_the_file_s_past_is_asked() -> None:
    assert asks_history("what did I change in app.py")
    assert asks_history("who touched config.toml?")
    assert not asks_history("print the contents of notes.txt")
