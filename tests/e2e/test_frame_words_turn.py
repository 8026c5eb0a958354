"""Through the real Agent and graph: the words that only frame a question ("can you tell me
more", "explain", ``planning/frame_words.txt``) are no evidence of which base answers it: the
vocabulary prior among bases reads the question's other words. Manual pages say "tell" and
"explain" more than the language reference does, and once swayed a fragment about a function's
documentation string to them (real chromadb bases on disk: thirteen of the man pages the
repository carries and five of CPython's reference topics; the real content probe)."""

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
PAGES = {
    "ls",
    "cp",
    "sort",
    "tar",
    "grep",
    "sed",
    "find",
    "xargs",
    "tail",
    "du",
    "tr",
    "nproc",
    "less",
}
TOPICS = ("debugger", "types", "truth", "comparisons", "sequence-types")


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root: Path = tmp_path_factory.mktemp("frame-words-turn")
    embedder = default_embedder()
    lines = (DATA / "manpages" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line]
    pages = ChromaKnowledgeBase(
        "manpages",
        root / "manpages",
        embedder,
        description="Linux manual pages: how to use shell commands and their options.",
    )
    pages.add(
        Document(id=r["id"], title=r["title"], text=r["text"])
        for r in rows
        if r["id"].split(".")[0] in PAGES
    )
    reference = ChromaKnowledgeBase(
        "python_reference",
        root / "reference",
        embedder,
        description="The Python language reference: syntax and semantics of statements.",
    )
    reference.add(Document(id=t, title=t, text=topics[t]) for t in TOPICS)
    with Agent(targets=[pages, reference], embedder=embedder, warm_spares=False) as built:
        yield built


def test_a_framed_fragment_goes_to_the_base_of_its_own_words(agent: Agent) -> None:
    result = agent.run("is the documentation string of the... can you tell me more?")
    assert [s.target for s in result.steps] == ["python_reference"]
