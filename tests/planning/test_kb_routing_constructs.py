"""Routing among knowledge bases through the real Agent graph, over the Python language
reference (CPython's pydoc topics) and the library documents the repository carries
(data/library_docs: click, jinja2, httpx, rich, attrs) in chromadb: a made-up statement of the
language or a made-up class of a real library is declined, not answered with the real ones'
passages, while a real statement is routed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from pydoc_data.topics import topics

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbconstructs")
    embedder = default_embedder()
    reference = ChromaKnowledgeBase(
        "python_reference",
        root / "reference",
        embedder,
        description="The Python language reference: syntax and semantics of statements.",
    )
    reference.add(Document(id=f"ref-{k}", title=k, text=v) for k, v in sorted(topics.items()))
    rows = [
        json.loads(line)
        for line in (DATA / "library_docs" / "docs.jsonl").read_text("utf-8").splitlines()
        if line
    ]
    libraries = ChromaKnowledgeBase(
        "library_docs",
        root / "libraries",
        embedder,
        description="Reference documentation of the Python libraries click, jinja2, httpx, "
        "rich and attrs.",
    )
    libraries.add(Document(id=r["id"], title=r["title"], text=r["text"]) for r in rows)
    with Agent(
        name="kbconstructs",
        targets=[reference, libraries],
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


@pytest.mark.parametrize(
    "question", ["python unless statement syntax", "the repeat-until loop in python"]
)
def test_a_made_up_statement_is_declined(agent: Agent, question: str) -> None:
    """The reference writes "unless" only as English: a statement it never names as one is
    no answer (``ContentProbe.documents_construct``)."""
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]


def test_a_real_statement_is_routed(agent: Agent) -> None:
    result = agent.run("what does the nonlocal statement do in python")
    assert [s.target for s in result.steps] == ["python_reference"]
    assert result.steps[0].ok


def test_a_made_up_class_in_camel_case_is_declined(agent: Agent) -> None:
    """rich has no SpeedColumn: a name in code's shape the documents never write is no
    answer (``ContentProbe.documents_identifiers``); it was answered with the progress
    columns' passages before."""
    question = "rich SpeedColumn in a progress bar"
    result = agent.run(question)
    assert result.steps == []
    assert result.unmatched == [question]
