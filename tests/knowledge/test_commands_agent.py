"""A command a manual-page base does not hold, asked by its bare name, through the real Agent
graph over a real chromadb base on disk: declined with the nearest commands it does hold; a
command it holds, asked the same ways, is answered from its page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

from .kb_agent import kb_agent

PAGES = {
    "grep": "NAME\ngrep - print lines that match patterns\n\nDESCRIPTION\ngrep searches for "
    "PATTERNS in each FILE and prints each line that matches a pattern.\n\nOPTIONS\n"
    "-i, --ignore-case\nIgnore case distinctions in patterns and input data.",
    "tar": "NAME\ntar - an archiving utility\n\nDESCRIPTION\nGNU tar saves many files together "
    "into a single tape or disk archive, and can restore individual files from the archive.",
    "chmod": "NAME\nchmod - change file mode bits\n\nDESCRIPTION\nchmod changes the file mode "
    "bits of each given file according to mode.",
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "manpages",
        tmp_path_factory.mktemp("commands") / "kb",
        minilm,
        description="Linux manual pages: what each command does and its options.",
    )
    base.add(Document(id=f"{n}.1", title=f"{n}(1) manual page", text=t) for n, t in PAGES.items())
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "commands") as a:
        yield a


@pytest.mark.parametrize(
    ("question", "nearest"),
    [
        ("how do I use grepx", "grep"),
        ("What is tarz used for?", "tar"),
        ("what does chmodx do on linux?", "chmod"),
        ("grepz(1)", "grep"),
    ],
)
async def test_a_made_up_command_is_declined_with_the_nearest_named(
    agent: Agent, kb: ChromaKnowledgeBase, question: str, nearest: str
) -> None:
    result = await agent.arun(question)
    assert not any(s.ok for s in result.steps)
    assert result.unmatched == [question]  # not answered with another command's page
    assert "searches for PATTERNS" not in result.answer and "archiving" not in result.answer
    probe = kb.probe(question)
    assert not probe.answers and len(probe.missing) == 1
    assert f"nearest: {nearest}" in probe.reason
    obs = await kb.invoke("s1", question, None, timeout=30)
    assert not obs.ok and obs.error == probe.reason


@pytest.mark.parametrize(
    ("question", "doc", "says"),
    [
        ("how do I use grep", "grep.1", "pattern"),
        ("What is tar used for?", "tar.1", "archiv"),
        ("what does chmod do on linux?", "chmod.1", "mode"),
    ],
)
async def test_a_command_the_base_holds_is_answered_from_its_page(
    agent: Agent, question: str, doc: str, says: str
) -> None:
    result = await agent.arun(question)
    assert [s.target for s in result.steps] == ["manpages"]
    step = result.steps[0]
    assert step.ok, step.error
    claim = step.data["claims"][0]
    assert claim["doc_id"] == doc and claim["citation"].startswith(doc.split(".")[0] + "(1)")
    assert says in claim["text"].lower()
    assert claim["text"] in result.answer  # what chat shows is the cited statement
