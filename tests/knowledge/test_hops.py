"""Multi-hop answers over two real chromadb bases: the inner question answered by the man
pages, its command put into the outer question, which the package records answer; each hop
cited; bounded (real MiniLM)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, answer_in_hops
from agentroute.knowledge._hops import Router
from agentroute.planning import ContentProbe, SemanticPlanner
from agentroute.targets import TargetIndex
from agentroute.text import nested_question
from agentroute.types import PlanningContext


def planner_route(bases: dict[str, ChromaKnowledgeBase], minilm: MiniLMEmbedder) -> Router:
    """Each hop routed by the real semantic planner with the content probe."""
    index = TargetIndex(minilm)
    index.add([b.descriptor for b in bases.values()])
    planner = SemanticPlanner(
        index, probe=ContentProbe(bases, embed=index.embed_query, embedder_id=minilm.id)
    )
    targets = [b.descriptor for b in bases.values()]

    async def route(query: str) -> str | None:
        plan = await planner.plan(PlanningContext(request=query, targets=targets))
        return plan.steps[0].target if plan.steps else None

    return route


@pytest.fixture(scope="module")
def bases(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> dict[str, ChromaKnowledgeBase]:
    root = tmp_path_factory.mktemp("hops")
    man = ChromaKnowledgeBase("man", root / "man", minilm, description="Linux manual pages")
    man.add(
        [
            Document(
                id="xxd.1",
                title="xxd(1) manual page",
                text="NAME\nxxd - make a hex dump or do the reverse.\n\nDESCRIPTION\nxxd creates "
                "a hex dump of a given file or standard input. It can also convert a hex dump "
                "back to its original binary form.",
            ),
            Document(
                id="factor.1",
                title="factor(1) manual page",
                text="NAME\nfactor - print prime factors\n\nDESCRIPTION\nPrint the prime "
                "factors of each specified integer NUMBER.",
            ),
            Document(
                id="ls.1",
                title="ls(1) manual page",
                text="NAME\nls - list directory contents\n\nDESCRIPTION\nList information "
                "about the files in a directory.",
            ),
        ]
    )
    deb = ChromaKnowledgeBase("deb", root / "deb", minilm, description="Debian packages")
    deb.add(
        [
            Document(
                id="pkg-xxd",
                title="Debian package xxd",
                text="Package: xxd\nSection: editors\nDescription: tool to make (or reverse) "
                "a hex dump\nThis package ships the xxd program, split out of vim-common.",
            ),
            Document(
                id="pkg-coreutils",
                title="Debian package coreutils",
                text="Package: coreutils\nSection: utils\nDescription: GNU core utilities\n"
                "This package contains the basic file, shell and text manipulation "
                "utilities: ls, cp, mv, factor and many more.",
            ),
            Document(
                id="pkg-bzip2",
                title="Debian package bzip2",
                text="Package: bzip2\nSection: utils\nDescription: high-quality block-sorting "
                "file compressor\nThis package provides the bzip2 and bunzip2 programs.",
            ),
        ]
    )
    return {"man": man, "deb": deb}


def test_the_inner_question_is_read_from_the_relative_phrase() -> None:
    nested = nested_question("What package provides the command that makes a hex dump?")
    assert nested is not None
    assert nested.inner == "Which command makes a hex dump?"
    assert nested.follow_up("xxd") == "What package provides xxd?"
    assert nested_question("What is the capital of France?") is None
    assert nested_question("The command that lists files?") is None  # nothing around it


async def test_the_second_hop_goes_to_another_base_and_every_hop_is_cited(
    bases: dict[str, ChromaKnowledgeBase],
) -> None:
    chain = await answer_in_hops(
        "Which Debian package provides the command that makes a hex dump of a file?", bases
    )
    assert chain.ok, chain.stopped
    first, second = chain.hops
    assert first.base == "man" and first.name == "xxd"
    assert first.citation.startswith("xxd(1) manual page")
    assert second.base == "deb" and "xxd" in second.query
    assert second.citation.startswith("Debian package xxd")
    assert chain.answer is not None
    assert [h["base"] for h in chain.answer.data["hops"]] == ["man", "deb"]


async def test_another_inner_answer_leads_to_another_package_through_the_planner(
    bases: dict[str, ChromaKnowledgeBase], minilm: MiniLMEmbedder
) -> None:
    chain = await answer_in_hops(
        "which Debian package ships the program that prints the prime factors of a number?",
        bases,
        route=planner_route(bases, minilm),
    )
    assert chain.ok, chain.stopped
    assert [h.base for h in chain.hops] == ["man", "deb"]
    assert chain.hops[0].name == "factor"
    assert chain.answer is not None and chain.answer.data["claims"][0]["doc_id"] == "pkg-coreutils"


async def test_hops_are_bounded(bases: dict[str, ChromaKnowledgeBase]) -> None:
    question = "Which Debian package provides the command that makes a hex dump of a file?"
    chain = await answer_in_hops(question, bases, max_hops=1)
    assert not chain.ok and "more than 1 hops" in chain.stopped and not chain.hops
    spent = await answer_in_hops(question, bases, budget_s=0.0)
    assert not spent.ok and "budget" in spent.stopped


async def test_an_inner_question_no_base_answers_stops_the_chain(
    bases: dict[str, ChromaKnowledgeBase],
) -> None:
    chain = await answer_in_hops(
        "Which package provides the command that bakes sourdough bread?", bases
    )
    assert not chain.ok
    assert chain.hops and not chain.hops[0].ok and "no knowledge base answers" in chain.stopped
