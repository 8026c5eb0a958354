"""Through the real Agent and graph: a comparison's two terms ("the difference between sort -n
and sort -g"), a leading situation with its question ("you need a random url-safe token in
python, which function") and a leading topic with its question ("url-safe tokens in python,
which function") are one ask, one step (``planning._rejoined``); a situation asked one
thing after another ("...; after that, ...") stays two steps (real chromadb bases on disk, the
real content probe)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root: Path = tmp_path_factory.mktemp("rejoined-turn")
    embedder = default_embedder()
    pages = ChromaKnowledgeBase(
        "manpages", root / "manpages", embedder, description="Linux manual pages."
    )
    pages.add(
        [
            Document(
                id="sort",
                title="sort(1) manual page",
                text="sort - sort lines of text files. -n, --numeric-sort compare according "
                "to string numerical value. -g, --general-numeric-sort compare according to "
                "general numerical value. -f, --ignore-case fold lower case to upper case.",
            ),
            Document(
                id="tail",
                title="tail(1) manual page",
                text="tail - output the last part of files. -f, --follow output appended "
                "data as the file grows.",
            ),
        ]
    )
    library = ChromaKnowledgeBase(
        "stdlib", root / "stdlib", embedder, description="Python standard library modules."
    )
    library.add(
        [
            Document(
                id="secrets",
                title="module secrets",
                text="Generate secure random numbers for managing secrets. token_hex: Return "
                "a random text string, in hexadecimal. token_urlsafe: Return a random "
                "URL-safe text string, in Base64 encoding.",
            ),
            Document(
                id="textwrap",
                title="module textwrap",
                text="Text wrapping and filling. dedent: Remove any common leading whitespace "
                "from every line in text.",
            ),
        ]
    )
    reference = ChromaKnowledgeBase(
        "reference", root / "reference", embedder, description="The Python language reference."
    )
    reference.add(
        [
            Document(
                id="function",
                title="function definitions",
                text="A function definition defines a user-defined function object. Which "
                "function is called is decided when the call is evaluated: a call calls a "
                "callable object (a function) with a possibly empty series of arguments.",
            ),
        ]
    )
    with Agent(targets=[pages, library, reference], embedder=embedder, warm_spares=False) as built:
        yield built


def test_a_comparison_of_two_options_is_one_step(agent: Agent) -> None:
    result = agent.run("what's the difference between sort -n and sort -g")
    assert [s.target for s in result.steps] == ["manpages"]
    assert "general-numeric-sort" in result.answer


def test_a_situation_and_its_question_are_one_step(agent: Agent) -> None:
    result = agent.run("you need a random url-safe token in python, which function")
    assert [s.target for s in result.steps] == ["stdlib"]
    assert "token_urlsafe" in result.answer


def test_a_topic_and_its_question_are_one_step(agent: Agent) -> None:
    result = agent.run("url-safe tokens in python, which function")
    assert [s.target for s in result.steps] == ["stdlib"]
    assert "token_urlsafe" in result.answer


def test_a_situation_then_another_ask_stays_two_steps(agent: Agent) -> None:
    result = agent.run(
        "you want a random hex token in python; after that, how do I make tail follow a file"
    )
    assert [s.target for s in result.steps] == ["stdlib", "manpages"]
