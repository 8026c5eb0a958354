"""Four knowledge bases shaped like the multi-KB benchmark's (the Python reference's topics,
standard-library modules, manual pages, Debian package records), each a chromadb base on disk,
through the real Agent graph: a clause naming a module by its title's name is answered by that
module's document, though a reference topic's passage is closer in words
(``ContentProbe.title_named``); a clause opening with the kind it asks for ("debian package for
...", "package providing ...") is answered by a package's record, not by the closer manual page
of the command it names (``planning._kinds``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

_REFERENCE = [
    (
        "raise",
        'The "raise" statement. If no expressions are present, "raise" re-raises the exception '
        "that is currently being handled. The from clause is used for exception chaining. A "
        "handler may suppress an exception, and an exception raised in a handler may be "
        "suppressed by a with statement's context manager (see contextlib).",
    ),
    (
        "with",
        'The "with" statement wraps the execution of a block with methods defined by a context '
        "manager; its __exit__ method may suppress the exception by returning a true value.",
    ),
    (
        "lambda",
        "Lambda expressions create anonymous functions; the body is a single expression and "
        "cannot contain statements.",
    ),
]
_MODULES = [
    (
        "module contextlib",
        "Utilities for with-statement contexts. closing: Context to automatically close "
        "something at the end of a block. redirect_stdout: Context manager for temporarily "
        "redirecting stdout to another file. suppress: Context manager to suppress specified "
        "exceptions. ExitStack: Context manager for dynamic management of a stack of exit "
        "callbacks.",
    ),
    (
        "module heapq",
        "Heap queue algorithm (a.k.a. priority queue). nlargest: Find the n largest elements "
        "in a dataset. heappush: Push item onto heap, maintaining the heap invariant.",
    ),
    (
        "module enum",
        "Enum: Create a collection of name/value pairs. auto: Instances are replaced with an "
        "appropriate value in Enum class suites. unique: Class decorator for enumerations.",
    ),
]
_PAGES = [
    (
        "hexdump(1) manual page",
        "hexdump - display file contents in hexadecimal, decimal, octal, or ascii. -C, "
        "--canonical: canonical hex+ASCII display.",
    ),
    (
        "column(1) manual page",
        "column - columnate lists. -t, --table: determine the number of columns the input "
        "contains and create a table.",
    ),
    ("ps(1) manual page", "ps - report a snapshot of the current processes."),
    ("top(1) manual page", "top - display Linux processes, a dynamic real-time view."),
]
_PACKAGES = [
    (
        "Debian package bsdextrautils",
        "Package: bsdextrautils Section: utils Description: extra utilities from 4.4BSD-Lite. "
        "This package contains some extra BSD utilities: col, colcrt, colrm, column, hd, "
        "hexdump, look, ul and write.",
    ),
    (
        "Debian package procps",
        "Package: procps Section: admin Description: /proc file system utilities. This "
        "package provides command line and full screen utilities for browsing procfs. "
        "Commands: free, kill, pgrep, pkill, pmap, ps, pwdx, skill, slabtop, snice, sysctl, "
        "tload, top, uptime, vmstat, w, watch",
    ),
    (
        "Debian package psmisc",
        "Package: psmisc Section: admin Description: utilities that use the proc file system: "
        "fuser, killall, peekfd, prtstat, pstree.",
    ),
]


def _base(
    root: Path, name: str, description: str, rows: list[tuple[str, str]]
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(name, root / name, default_embedder(), description=description)
    kb.add(Document(id=title, title=title, text=text) for title, text in rows)
    return kb


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbnamed")
    targets = [
        _base(root, "python_reference", "The Python language reference.", _REFERENCE),
        _base(root, "stdlib_docs", "The Python standard library's modules.", _MODULES),
        _base(root, "manpages", "Linux manual pages of shell commands.", _PAGES),
        _base(root, "debian_packages", "Debian package records.", _PACKAGES),
    ]
    with Agent(
        name="kbnamed",
        targets=targets,
        embedder=default_embedder(),
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


def test_a_module_named_by_its_title_answers_over_a_closer_topic(agent: Agent) -> None:
    result = agent.run("contextlib suppress exceptions")
    assert [s.target for s in result.steps] == ["stdlib_docs"]
    assert result.steps[0].ok and "suppress" in result.answer


def test_a_clause_opening_with_the_kind_is_answered_by_a_record_of_it(agent: Agent) -> None:
    result = agent.run("debian package for hexdump and column")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "bsdextrautils" in result.answer
    result = agent.run("package providing the ps and top commands")
    assert [s.target for s in result.steps] == ["debian_packages"]
    assert result.steps[0].ok and "procps" in result.answer


def test_the_manual_page_still_answers_how_to_use_the_command(agent: Agent) -> None:
    result = agent.run("hexdump canonical hex and ascii display")
    assert [s.target for s in result.steps] == ["manpages"]
