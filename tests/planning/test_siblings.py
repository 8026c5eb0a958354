"""Words with their polarity, and a tool's support for a clause (planning._siblings)."""

from __future__ import annotations

from agentroute.planning._siblings import polar_signs, support
from agentroute.types import TargetDescriptor, TargetKind


def _tool(name: str, description: str) -> TargetDescriptor:
    return TargetDescriptor(
        name=name, kind=TargetKind.TOOL, description=description, server=name.split(".")[0]
    )


def test_a_negator_denies_the_words_after_it_a_prefix_its_own_word() -> None:
    assert ("stag", True) in polar_signs("changes that aren't staged")
    assert ("stag", True) in polar_signs("not yet staged")
    assert ("stag", True) in polar_signs("git_diff_unstaged")
    assert ("commit", True) in polar_signs("the uncommitted changes")
    assert ("commit", False) in polar_signs("the committed changes")
    # a negator reaches a few words, not the whole sentence
    assert ("stag", False) in polar_signs("not now, but show me what I have staged so far")


def test_support_counts_the_name_twice_and_a_denial_against() -> None:
    archived = _tool("mail.list_archived", "Lists messages that were archived")
    active = _tool("mail.list_unarchived", "Lists messages that are not archived")
    assert support("list my archived mail", archived) > support("list my archived mail", active)
    assert support("messages I haven't archived", active) > support(
        "messages I haven't archived", archived
    )
    assert support("list my messages", archived) == support("list my messages", active)


def test_a_fetching_verb_in_a_description_is_no_evidence() -> None:
    """Every tool hands something back: "get" said by one description shows nothing."""
    listing = _tool("fs.list_directory", "Get a detailed listing of all files and directories")
    allowed = _tool("fs.list_allowed_directories", "Returns the directories this server may use")
    clause = "which folders are you able to get at"
    assert support(clause, listing) == support(clause, allowed) == 0
