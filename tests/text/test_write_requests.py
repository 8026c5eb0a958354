"""Composing text is not writing to the world: "write a poem" asks an expert, "write it to
notes.txt" asks a file tool. Phrasings written for this test, apart from the benchmark."""

from __future__ import annotations

import pytest

from agentroute.text import asks_to_write, write_verb


@pytest.mark.parametrize(
    "clause",
    [
        "write a haiku about rain",
        "write me a regex that matches dates in .csv files",
        "draft a friendlier release note for it",
        "write a short summary of the diff",
        "write a SQL query for the orders table",
        "compose a reply explaining the delay",
    ],
)
def test_composing_text_reads(clause: str) -> None:
    assert not asks_to_write(clause)


@pytest.mark.parametrize(
    ("clause", "verb"),
    [
        ("write 'done' to status.txt", "write"),
        ("write the report into the shared folder", "write"),
        ("write a new file with the totals", "write"),
        ("write the changelog to disk", "write"),
        ("commit the staged changes", "commit"),
        ("create a branch called hotfix", "create"),
    ],
)
def test_putting_text_somewhere_writes(clause: str, verb: str) -> None:
    assert write_verb(clause) == verb


@pytest.mark.parametrize(
    ("clause", "verb"),
    [
        ("open config/settings.yaml", None),
        ("please open the budget file", None),
        ("open the docs folder and list it", None),
        ("open a ticket for the login bug", "open"),
        ("open a new issue about the crash", "open"),
    ],
)
def test_opening_a_file_reads_and_opening_a_new_thing_writes(clause: str, verb: str | None) -> None:
    assert write_verb(clause) == verb


@pytest.mark.parametrize(
    "clause",
    [
        "let #ops know that the deploy is done",
        "notify ana that the build is broken",
    ],
)
def test_an_act_said_in_other_words_asks_to_write(clause: str) -> None:
    """No write verb of its own (the "deploy" after "the" is a noun), yet it asks to post."""
    assert write_verb(clause) is None
    assert asks_to_write(clause)


@pytest.mark.parametrize(
    "clause",
    ["is the deploy done yet", "what did the last commit change", "show me my latest update"],
)
def test_a_write_verb_after_an_article_is_a_noun(clause: str) -> None:
    assert write_verb(clause) is None
