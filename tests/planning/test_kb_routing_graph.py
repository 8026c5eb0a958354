"""Routing among knowledge bases through the real Agent graph: two chromadb bases on disk built
from the man pages and Debian package stanzas the repository carries (data/), a question
routed to the base that holds its answer (asked as a question and as a bare command), and
questions about programs neither base holds declined instead of answered with a neighbour's
passage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

DATA = Path(__file__).resolve().parents[2] / "data"
PAGES = [
    *("ls", "cp", "sort", "tar", "grep", "sed", "find", "xargs", "killall", "tail", "du", "taskset")
]
"""Manual pages of programs the stanzas name (coreutils lists tail), and one they do not
(taskset)."""
PACKAGES = 650
"""Every stanza of the carried list: bases broad enough that a program they never name is
news (``planning._vocabulary.BROAD``) and an ordinary word they never use too (4,900 words:
``planning._probe.UNHEARD_BROAD``)."""


def _rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbgraph")
    embedder = default_embedder()
    pages = [r for r in _rows(DATA / "manpages" / "pages.jsonl") if r["id"].split(".")[0] in PAGES]
    stanzas = _rows(DATA / "debian_packages" / "packages.jsonl")
    kept = stanzas[:PACKAGES]
    manuals = ChromaKnowledgeBase(
        "manpages",
        root / "manpages",
        embedder,
        description="Linux manual pages: how to use shell commands and their options.",
    )
    manuals.add(Document(id=r["id"], title=r["title"], text=r["text"]) for r in pages)
    packages = ChromaKnowledgeBase(
        "debian_packages",
        root / "packages",
        embedder,
        description="Debian packages: what each package contains and which provides a program.",
    )
    packages.add(Document(id=r["id"], title=r["title"], text=r["text"]) for r in kept)
    with Agent(
        name="kbgraph",
        targets=[manuals, packages],
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


def test_a_question_goes_to_the_base_holding_its_answer(agent: Agent) -> None:
    result = agent.run("what's in the psmisc package?")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "psmisc" in result.answer

    result = agent.run("how do I show hidden files with ls?")
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.steps[0].ok


def test_a_bare_command_no_tool_performs_is_asked_of_the_bases(agent: Agent) -> None:
    """ "sort lines in reverse order" reads as a write (sort), but no target writes: the
    manual that says how answers (it was declined before the probe read it)."""
    result = agent.run("sort lines in reverse order")
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.steps[0].ok


@pytest.mark.parametrize(
    "question",
    ["which package provides htop", "what does the -z flag of netcat do"],
)
def test_a_program_neither_base_holds_is_declined(agent: Agent, question: str) -> None:
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]


def test_a_question_about_what_neither_base_ever_mentions_is_declined(agent: Agent) -> None:
    """ "fish": a word of the language neither base uses anywhere; the closest stanza
    (another shell's) answers another question. It was routed to the Debian base before
    ``ContentProbe`` judged what no base mentions; a question in the bases' own words is
    still routed (above)."""
    question = "which package has the fish shell"
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]
    result = agent.run("which package has the bash shell")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "bash" in result.answer


def test_an_option_only_a_manual_would_document_is_asked_of_a_manual(agent: Agent) -> None:
    """cmake has a stanza but no manual here: its "-G" option is declined, not answered with
    the stanza (routed to the Debian base before ``ContentProbe`` read the option), while
    du's "-h" goes to its manual and "which package has cmake" to the stanza."""
    question = "what does the -G generator option of cmake do"
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]
    result = agent.run("what does the -h option of du do")
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.steps[0].ok
    result = agent.run("which package has cmake")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "cmake" in result.answer


def test_a_question_asking_for_a_package_is_answered_by_a_package_record(agent: Agent) -> None:
    """killall's manual page is closer to "which package has killall" than psmisc's stanza,
    but the question asks for a package, and only the Debian base's documents are packages
    (``planning._kinds``: the word its titles share): the stanza naming killall answers."""
    result = agent.run("which package has killall")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "psmisc" in result.answer
    result = agent.run("how do I kill every process with a given name")
    assert [s.target for s in result.steps] == ["manpages"]  # how, not which package


def test_a_package_asked_for_a_program_only_a_manual_names_is_declined(agent: Agent) -> None:
    """No stanza here names taskset (its manual does): a manual page is no package, and
    another package's stanza is no answer, so the question is declined, not answered with
    the manual (as it was before the kind of document asked for was read). tail's manual is
    as close, but coreutils' stanza lists tail: it answers."""
    question = "which package has taskset"
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]
    result = agent.run("which package has tail")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "coreutils" in result.answer
    result = agent.run("how do I pin a process to one cpu with taskset")
    assert [s.target for s in result.steps] == ["manpages"]


def test_an_option_of_another_program_is_no_answer_about_the_one_named(agent: Agent) -> None:
    """du's manual documents --max-depth, ls's does not: asked of ls, the option is declined,
    not answered with du's (``ContentProbe.documents_options``: the option must be the named
    program's); asked of du, its manual answers."""
    question = "what does the --max-depth option of ls do"
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]
    result = agent.run("what does the --max-depth option of du do")
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.steps[0].ok


def test_a_leading_frame_is_read_with_the_question_after_it(agent: Agent) -> None:
    """ "Using sed, how do I ..." is one question: the frame is no ask of its own
    (``planning._preamble.framed``); it was asked of the manuals as a second step before."""
    result = agent.run("Using sed, how do I edit a file in place?")
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.unmatched == [] and result.steps[0].ok


def test_what_the_user_is_doing_is_the_context_of_the_question_after_it(agent: Agent) -> None:
    """A sentence saying what the user is doing, then the ask: one question of the manuals
    (``planning._preamble.states_context`` in ``one_ask``), not a sentence asked apart whose
    "which option is that?" was declined alone before."""
    result = agent.run(
        "I'm cleaning up a build server and the disk keeps filling up; before I delete "
        "anything I want du to print one total per directory instead of listing every file, "
        "which option is that?"
    )
    assert [s.target for s in result.steps] == ["manpages"]
    assert result.unmatched == [] and result.steps[0].ok
