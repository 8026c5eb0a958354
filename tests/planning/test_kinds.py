"""What kind of document a clause asks for, read from the bases' own titles."""

from __future__ import annotations

from agentroute.planning._kinds import asked_kind, title_kinds

KINDS = {
    "debian": title_kinds(["Debian package psmisc", "Debian package tar", "Debian package jq"]),
    "manpages": title_kinds(["ls(1) manual page", "tar(1) manual page", "jq(1) manual page"]),
    "stdlib": title_kinds(["module shutil", "module json", "module heapq"]),
    "facts": title_kinds(
        ["Oxygen", "The Nile and the Amazon", "Unit of force", "Unit of mass", "Mount Everest"]
    ),
}


def test_a_base_kind_is_the_word_most_of_its_titles_share() -> None:
    assert KINDS["debian"] == {"debian", "package"}
    assert KINDS["manpages"] == {"manual", "page"}  # not the section number
    assert KINDS["stdlib"] == {"module"}
    assert KINDS["facts"] == frozenset()  # "unit": two titles of five, a topic
    assert title_kinds(["Debian package tar"]) == frozenset()  # one title says nothing


def test_a_clause_asks_for_a_kind_as_what_it_wants() -> None:
    for clause in [
        "which package has killall",
        "lscpu comes from which package",
        "what debian package do I install to get ps and top",
        "which packages provide a C compiler",
    ]:
        assert asked_kind(clause, KINDS) == {"debian"}, clause
    for clause in [  # opening with the kind, or asking whether there is one
        "apt package for hexdump and column",
        "package providing the ps and top commands",
        "is there a debian package for yq",
        "any package containing killall?",
    ]:
        assert asked_kind(clause, KINDS) == {"debian"}, clause
    for clause in ["the python module that reads plist files", "which module parses csv"]:
        assert asked_kind(clause, KINDS) == {"stdlib"}, clause


def test_a_kind_only_mentioned_is_not_asked_for() -> None:
    for clause in [
        "how do I use apt-get to install a package",
        "what does the software-properties-common package provide",
        "import a module by its name at run time",
        "how do I kill a process by name",
        "python3-venv package, do i need it",
        "import a module by its name at run time",
        "the package manager's lock file",
    ]:
        assert asked_kind(clause, KINDS) == set(), clause


def test_a_kind_every_base_shares_asks_for_none() -> None:
    both = {"a": frozenset({"package"}), "b": frozenset({"package"})}
    assert asked_kind("which package has killall", both) == set()
