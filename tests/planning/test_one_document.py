"""Two pieces of one ask that one document answers are one step; asks of two documents stay
two (real chromadb bases, the real semantic planner and content probe)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.planning import ContentProbe, SemanticPlanner
from agentroute.planning._one_document import one_ask, words_lost
from agentroute.targets import TargetIndex
from agentroute.types import Plan, PlanningContext, Step


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> object:
    root: Path = tmp_path_factory.mktemp("onedoc")
    embedder = default_embedder()
    docs = ChromaKnowledgeBase(
        "library", root / "library", embedder, description="Python library reference."
    )
    docs.add(
        [
            Document(
                id="statistics",
                title="module statistics",
                text="Statistics functions to compute the mean, median and mode of a list of "
                "numbers. mean: Compute the arithmetic mean (average) of a list of numbers. "
                "median: Compute the median (middle value) of a list of numbers.",
            ),
            Document(
                id="heapq",
                title="module heapq",
                text="Heap queue algorithm, also known as the priority queue algorithm. heappush: "
                "Push item onto heap, maintaining the heap invariant.",
            ),
        ]
    )
    facts = ChromaKnowledgeBase("facts", root / "facts", embedder, description="Countries.")
    facts.add(
        [
            Document(
                id="brazil",
                title="Brazil",
                text="Brazil is the largest country in South America. Its official language is "
                "Portuguese and its currency is the Brazilian real.",
            ),
            Document(
                id="hungary",
                title="Hungary",
                text="Hungary is a country in Central Europe. Its capital is Budapest, its "
                "official language is Hungarian and its currency is the forint.",
            ),
        ]
    )
    bases = {"library": docs, "facts": facts}
    index = TargetIndex(embedder)
    index.add([b.descriptor for b in bases.values()])
    planner = SemanticPlanner(
        index, probe=ContentProbe(bases, embed=index.embed_query, embedder_id=embedder.id)
    )
    targets = [b.descriptor for b in bases.values()]

    def run(request: str) -> Plan:
        return asyncio.run(planner.plan(PlanningContext(request=request, targets=targets)))

    return run


def test_pieces_one_document_answers_are_one_step(plan: object) -> None:
    request = "how to compute the mean and median of a list in python"
    got = plan(request)  # type: ignore[operator]
    assert [s.target for s in got.steps] == ["library"]
    assert "mean" in got.steps[0].query and "median" in got.steps[0].query
    assert set(got.routes) == {got.steps[0].id}


def test_asks_of_two_documents_stay_two_steps(plan: object) -> None:
    got = plan("What's the official language of Brazil and the currency of Hungary?")  # type: ignore[operator]
    assert [s.target for s in got.steps] == ["facts", "facts"]


def _similarity(table: dict[tuple[str, str], float]) -> Callable[[str, str], float]:
    """Each (base, text)'s best answering passage's similarity, as a probe would give it."""
    return lambda base, text: table.get((base, text), 0.0)


def _DOCUMENT(base: str, text: str) -> str | None:
    """A probe's document of the best answering passage: one document for every text."""
    return "the document"


def _NO_DOCUMENT(base: str, text: str) -> str | None:
    """A probe's document of the best answering passage: none (a graph's paths)."""
    return None


def test_one_ask_joins_pieces_the_whole_answers_better() -> None:
    steps = [Step(id="s1", query="keep a python", target="docs"),
             Step(id="s2", query="list sorted while inserting", target="reference")]  # fmt: skip
    whole = "keep a python list sorted while inserting"
    table = {("docs", "keep a python"): 0.56, ("reference", "list sorted while inserting"): 0.52}
    # pieces of two bases: the whole must be closer by the margin
    joined = one_ask(
        whole, steps, _similarity({**table, ("library", whole): 0.67}), "library", _NO_DOCUMENT
    )
    assert joined is not None and joined.target == "library" and joined.query == whole
    assert (
        one_ask(
            whole, steps, _similarity({**table, ("library", whole): 0.6}), "library", _NO_DOCUMENT
        )
        is None
    )
    # pieces of one base: coming within ONE_BASE_SLACK of the best piece is enough (a fragment
    # may match a narrower passage a little more closely); falling further short is not
    same = [s.model_copy(update={"target": "docs"}) for s in steps]
    close = {("docs", "keep a python"): 0.56, ("docs", "list sorted while inserting"): 0.5}
    assert (
        one_ask(whole, same, _similarity({**close, ("docs", whole): 0.53}), "docs", _NO_DOCUMENT)
        is not None
    )
    assert (
        one_ask(whole, same, _similarity({**close, ("docs", whole): 0.51}), "docs", _NO_DOCUMENT)
        is None
    )
    assert (
        one_ask(whole, same, _similarity(close), None, _NO_DOCUMENT) is None
    )  # the whole routes nowhere
    # a chain (the second piece asks of the first one's answer) gets no slack
    chain = [same[0], same[1].model_copy(update={"depends_on": ["s1"]})]
    assert (
        one_ask(whole, chain, _similarity({**close, ("docs", whole): 0.53}), "docs", _DOCUMENT)
        is None
    )


def test_words_lost_says_when_the_pieces_drop_part_of_the_request() -> None:
    request = "try except else finally: in which order do they run"
    assert words_lost(request, ["in which order do they run"])
    assert not words_lost(request, ["try except else finally", "in which order do they run"])
    assert not words_lost("what is the capital of France?", ["what is the capital of France"])


def test_two_questions_or_two_asks_of_one_name_are_not_one_ask() -> None:
    geo = "geography"
    # each piece a question of its own, each answered alone about as closely as the whole,
    # by no one document: two questions
    whole = "who invented the telephone and who discovered penicillin"
    steps = [Step(id="s1", query="who invented the telephone", target="facts"),
             Step(id="s2", query="who discovered penicillin", target="facts")]  # fmt: skip
    close = {
        ("facts", "who invented the telephone"): 0.58,
        ("facts", "who discovered penicillin"): 0.57,
        ("facts", whole): 0.6,
    }
    docs = {"who invented the telephone": "Bell", "who discovered penicillin": "Fleming"}
    assert one_ask(whole, steps, _similarity(close), "facts", lambda b, t: docs.get(t)) is None
    # ... unless one document answers both: then they are one ask of it
    assert one_ask(whole, steps, _similarity(close), "facts", lambda b, t: "Bell") is not None
    # ... and so they are when a piece alone is answered far less closely than the whole
    weak = {**close, ("facts", "who discovered penicillin"): 0.3}
    assert one_ask(whole, steps, _similarity(weak), "facts", lambda b, t: docs.get(t)) is not None
    # a shared name the reader gave each ask ("the capital and the currency of Peru")
    whole = "the capital and the currency of Peru"
    steps = [Step(id="s1", query="the capital of Peru", target=geo),
             Step(id="s2", query="the currency of Peru", target=geo)]  # fmt: skip
    close = {(geo, "the capital of Peru"): 0.5, (geo, whole): 0.9}
    assert one_ask(whole, steps, _similarity(close), geo, _NO_DOCUMENT) is None


def test_two_questions_of_a_graph_and_a_chain_answered_elsewhere_stay_apart() -> None:
    geo = "geography"
    # a graph's paths are no document: two questions of it are two asks however close the whole
    whole = "What's the currency of Japan, and after that what's the capital of Kenya?"
    steps = [Step(id="s1", query="What's the currency of Japan", target=geo),
             Step(id="s2", query="what's the capital of Kenya?", target=geo)]  # fmt: skip
    close = {(geo, steps[0].query): 0.4, (geo, steps[1].query): 0.4, (geo, whole): 0.9}
    assert one_ask(whole, steps, _similarity(close), geo, _NO_DOCUMENT) is None
    # a chain in one base is not replaced by the whole asked of another
    whole = "Which river runs through Vienna, and which sea does it flow into?"
    steps = [Step(id="s1", query="Which river runs through Vienna", target="facts"),
             Step(id="s2", query="which sea does {{s1}} flow into?", target="facts",
                  depends_on=["s1"])]  # fmt: skip
    close = {("facts", steps[0].query): 0.5, (geo, whole): 0.9, ("facts", whole): 0.9}
    assert one_ask(whole, steps, _similarity(close), geo, lambda b, t: "Danube") is None
    assert one_ask(whole, steps, _similarity(close), "facts", lambda b, t: "Danube") is not None
