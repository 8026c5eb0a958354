"""A made-up function of a real library, through the real Agent graph: two chromadb bases on
disk, a library's reference and manual pages. The manual page that shares a word with the
made-up method ("beep") does not answer it, nor does the library's neighbouring method; the
real method is the library's (``ContentProbe.documents_identifiers``). A base that never writes
the program asked about does not answer it, however close (``ContentProbe.names_named``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

_MANUALS = "Manual pages of shell commands."


def _agent(root: Path, name: str, bases: dict[str, tuple[str, list[Document]]]) -> Agent:
    """An Agent over chromadb bases on disk: each base's name, description and documents."""
    embedder = default_embedder()
    targets = []
    for base, (description, documents) in bases.items():
        kb = ChromaKnowledgeBase(base, root / base, embedder, description=description)
        kb.add(documents)
        targets.append(kb)
    return Agent(
        name=name,
        targets=targets,
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    )


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    library = [
        Document(
            id="tinyterm.Console.print",
            title="tinyterm.Console.print",
            text="Print objects to the console terminal, with colour and styles.",
        ),
        Document(
            id="tinyterm.Console.clear",
            title="tinyterm.Console.clear",
            text="Clear the console terminal screen and move the cursor home.",
        ),
    ]
    manuals = [
        Document(
            id="watch.1",
            title="watch(1) manual page",
            text="watch runs a command repeatedly on the console; --beep makes the "
            "terminal beep when the command exits with a non-zero status.",
        ),
        Document(
            id="tput.1",
            title="tput(1) manual page",
            text="tput initialises a terminal or queries the terminfo database; "
            "tput bel rings the console terminal bell.",
        ),
    ]
    bases = {
        "library": ("Reference of the tinyterm library.", library),
        "manuals": (_MANUALS, manuals),
    }
    with _agent(tmp_path_factory.mktemp("kbident"), "kbident", bases) as a:
        yield a


def test_a_made_up_method_of_a_real_class_is_declined(agent: Agent) -> None:
    result = agent.run("tinyterm Console.beep method")
    assert not any(s.ok for s in result.steps)


def test_a_real_method_is_the_library_s(agent: Agent) -> None:
    result = agent.run("what does tinyterm Console.clear do")
    assert [s.target for s in result.steps] == ["library"]
    assert result.steps[0].ok and "cursor" in result.answer


@pytest.fixture(scope="module")
def debuggers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    reference = [
        Document(
            id="debugger",
            title="debugger",
            text="How do I set a breakpoint on a line? In the debugger, break and the "
            "line number set a breakpoint on that line.",
        ),
        Document(
            id="assert",
            title="assert",
            text="The assert statement checks a condition while debugging a program.",
        ),
    ]
    manuals = [
        Document(
            id="gdb.1",
            title="gdb(1) manual page",
            text="gdb, the GNU debugger, shows what goes on inside another program while "
            "it executes, or what it was doing when it crashed; break stops it there.",
        ),
        Document(
            id="watch.1",
            title="watch(1) manual page",
            text="watch runs a command repeatedly, showing its output full screen.",
        ),
    ]
    bases = {
        "reference": ("The Python language reference.", reference),
        "manuals": (_MANUALS, manuals),
    }
    with _agent(tmp_path_factory.mktemp("kbnames"), "kbnames", bases) as a:
        yield a


def test_a_base_never_naming_the_program_asked_about_does_not_answer(debuggers: Agent) -> None:
    """gdb is a name only the manual pages write: the Python debugger's passage, though
    close to the rest of the question, is about another debugger."""
    result = debuggers.run("how do I set a breakpoint on a line in gdb")
    assert [s.target for s in result.steps] == ["manuals"]
    assert result.steps[0].ok and "gdb" in result.answer


@pytest.fixture(scope="module")
def classes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    library = [
        Document(
            id="tinyattrs.make_class",
            title="tinyattrs.make_class",
            text="A quick way to create a new class called name with the attributes given "
            "as a list of attribute names.",
        ),
        Document(
            id="tinyattrs.field",
            title="tinyattrs.field",
            text="Create a new field on a tinyattrs class, with its default and validator.",
        ),
    ]
    reference = [
        Document(
            id="specialnames",
            title="specialnames",
            text="A class can customise attribute access to its instances by defining "
            "special methods such as __getattr__.",
        ),
    ]
    bases = {
        "library": ("Reference of the tinyattrs library.", library),
        "reference": ("The Python language reference.", reference),
    }
    with _agent(tmp_path_factory.mktemp("kbclass"), "kbclass", bases) as a:
        yield a


def test_an_adverb_after_a_kind_noun_is_no_name(classes: Agent) -> None:
    """ "a class dynamically" reads like "the module shutil", but an adverb names nothing:
    the library's make_class answers, not the reference's (``shaped_names``)."""
    result = classes.run("tinyattrs create a class dynamically from a list of attribute names")
    assert [s.target for s in result.steps] == ["library"]
    assert result.steps[0].ok and "make_class" in result.answer
