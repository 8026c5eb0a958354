"""Questions worded the plain ways people ask, through the real Agent graph and chromadb bases
on disk of real documents (manual pages and click's docstrings carried in data/, Python's own
reference topics): a quantity given with its unit ("8 GB") is no name a base must write, and
an ordinary word one typing slip from a live-data cue ("showing", "snowing") asks for no live
data. A question cut in two whose whole matches about as closely is one step. A part that
refers to a part nothing answers is declined with it."""

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


def _rows(path: Path, wanted: set[str], key: str) -> list[Document]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Document(id=r["id"], title=r["title"], text=r["text"]) for r in rows
            if r[key] in wanted]  # fmt: skip


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbplain")
    embedder = default_embedder()
    pages = {
        f"{p}(1) manual page"
        for p in ("journalctl", "du", "tail", "tar", "xargs", "gzip", "zip", "unzip")
    } | {"lsblk(8) manual page", "blkid(8) manual page", "mount(8) manual page"}
    library = {"click.termui.prompt", "click.termui.confirm", "click.utils.echo"}
    bases = {
        "manpages": (
            "Linux manual pages: shell commands and their options.",
            _rows(DATA / "manpages" / "pages.jsonl", pages, "title"),
        ),
        "library_docs": (
            "Reference documentation of the Python library click.",
            _rows(DATA / "library_docs" / "docs.jsonl", library, "title"),
        ),
        "python_reference": (
            "The Python language reference.",
            [Document(id=f"ref-{k}", title=k, text=topics[k]) for k in ("lambda", "if", "for")],
        ),
    }
    targets = []
    for name, (description, documents) in bases.items():
        assert documents
        kb = ChromaKnowledgeBase(name, root / name, embedder, description=description)
        kb.add(documents)
        targets.append(kb)
    with Agent(
        name="kbplain",
        targets=targets,
        embedder=embedder,
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


@pytest.mark.parametrize(
    ("question", "base"),
    [
        ("my journal is eating 8 GB of disk, how do I shrink the archived journal files "
         "down to 1G", "manpages"),
        ("tail is showing only the last lines, how do I make it keep following a file by name",
         "manpages"),
        # one question, cut at its "and": one step, not two
        ("lsblk show the filesystem type and UUID of each partition", "manpages"),
    ],
)  # fmt: skip
def test_a_plainly_worded_question_goes_to_the_base_that_answers_it(
    agent: Agent, question: str, base: str
) -> None:
    result = agent.run(question)
    assert [s.target for s in result.steps if s.ok] == [base]


def test_a_live_data_cue_misspelt_is_still_live(agent: Agent) -> None:
    """One slip from "snowing" that is no word itself still asks for the weather: no base."""
    result = agent.run("is it snowwing in oslo right now")
    assert not any(s.ok for s in result.steps)


def test_a_part_referring_to_a_declined_part_is_declined_too(agent: Agent) -> None:
    """tar has no such option: "how do I use it" has nothing to be about, and a passage
    about using some program some other way is no answer."""
    result = agent.run(
        "tar has an --encrypt option to password protect the archive right? how do I use it"
    )
    assert not any(s.ok for s in result.steps)
