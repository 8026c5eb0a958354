"""An exact flag question answered from its option's own passage, through the real Agent graph
and a real on-disk chromadb base of real manual pages (data/manpages): the page is cut by
section and option, and hybrid retrieval finds the option by its flag."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

PAGES = Path(__file__).resolve().parents[2] / "data" / "manpages" / "pages.jsonl"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbflag")
    embedder = default_embedder()
    rows = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]
    wanted = {"ls.1", "grep.1", "cp.1", "du.1"}
    man = ChromaKnowledgeBase(
        "manpages",
        root / "man",
        embedder,
        description="Linux manual pages: shell commands and their options.",
    )
    man.add(Document(id=r["id"], title=r["title"], text=r["text"]) for r in rows
            if r["id"] in wanted)  # fmt: skip
    with Agent(
        name="kbflag",
        targets=[man],
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


@pytest.mark.parametrize(
    ("question", "page", "flag", "words"),
    [
        ("What does --dereference-command-line do in ls?", "ls.1", "--dereference-command-line",
         "symbolic links listed on the command line"),
        ("grep --files-without-match", "grep.1", "--files-without-match",
         "from which no output would normally have been printed"),
    ],
)  # fmt: skip
def test_a_flag_question_is_answered_from_its_option(
    agent: Agent, question: str, page: str, flag: str, words: str
) -> None:
    result = agent.run(question)
    steps = [s for s in result.steps if s.ok]
    assert [s.target for s in steps] == ["manpages"]
    best = steps[0].sources[0]  # the passage answered from, first
    assert best.ref == page
    excerpt = " ".join(best.excerpt.split())
    assert excerpt.startswith(flag) or f", {flag}" in excerpt.split("\n")[0]
    assert words in excerpt
    assert words.split()[-1] in result.answer


def test_a_flag_the_pages_lack_is_not_answered_as_if_it_were_there(agent: Agent) -> None:
    """No page has the flag: the question is declined, not answered with a neighbour."""
    result = agent.run("What does --frobnicate-widgets do in ls?")
    assert not any(s.ok for s in result.steps)
