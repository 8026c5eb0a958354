"""The passage that defines an exact term comes first (``knowledge._definitions``), and a
document's passages are spaced out (``_fusion.diversified``): on real chromadb bases with the
real MiniLM embedder, and through a real Agent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from agentroute import Agent
from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._definitions import defined_terms, defining, definition_index
from agentroute.knowledge._fusion import diversified, fused_order
from agentroute.knowledge._kb_snapshot import load_lexical

LS = """NAME
ls - list directory contents

SYNOPSIS
ls [OPTION]... [FILE]...

DESCRIPTION
List information about the FILEs (the current directory by default).

-a, --all
do not ignore entries starting with .

-L, --dereference
when showing file information for a symbolic link, show information for the file the link
references rather than for the link itself

-R, --recursive
list subdirectories recursively

EXAMPLES
Symbolic links are listed as links. With --dereference, ls --dereference -l shows the target;
ls -l --dereference /usr/bin/python and ls --dereference /etc/alternatives/editor both follow
the link, since --dereference means the link is followed: --dereference, again --dereference.
"""

COPY = (
    "Generic (shallow and deep) copying operations. Interface summary: import copy; "
    "x = copy.copy(y) makes a shallow copy of y; x = copy.deepcopy(y) makes a deep copy of y; "
    "copy.deepcopy copies recursively, so copy.deepcopy(y) of a list copies its items.\n\n"
    "copy: Shallow copy operation on arbitrary Python objects.\n"
    "deepcopy: Deep copy operation on arbitrary Python objects."
)


def test_a_heading_and_a_definition_entry_define_their_terms() -> None:
    assert defined_terms("-a, --all do not ignore", "ls(1) manual page", "OPTIONS › -a, --all")[
        :2
    ] == ["-a", "--all"]
    terms = defined_terms("deepcopy: Deep copy operation.", "module copy")
    assert "deepcopy" in terms and "copy.deepcopy" in terms and "module.deepcopy" in terms


def test_a_mention_is_no_definition() -> None:
    assert defined_terms("x = copy.deepcopy(y) makes a deep copy", "module copy") == []
    # a colon followed by lower-case words is a field or a list, not a definition
    assert defined_terms("Section: libs; note: see below", "") == []


def test_the_share_is_how_much_of_the_query_the_term_is() -> None:
    index = definition_index([
        ("--all do not ignore entries", "ls(1) manual page", "OPTIONS › -a, --all"),
        ("ls --all lists everything", "ls(1) manual page", "EXAMPLES"),
    ])  # fmt: skip
    about = defining(index, "what does --all do in ls")
    incidental = defining(index, "which ls option sorts entries by size, unlike --all or -a")
    assert about[0] > incidental[0] > 0
    assert about[1] == 0 and incidental[1] == 0  # a mention defines nothing
    assert not defining(index, "list every entry").any()  # no exact term: no share


def test_without_definitions_fusion_is_unchanged() -> None:
    sims = np.linspace(0.9, 0.1, 20)
    lexical = np.zeros(20)
    lexical[[3, 7]] = [9.0, 4.0]
    plain = fused_order(sims, lexical, 5)
    assert fused_order(sims, lexical, 5, defining=np.zeros(20)) == plain
    lifted = np.zeros(20)
    lifted[7] = 1.0
    assert fused_order(sims, lexical, 5, defining=lifted)[0] == 7
    assert fused_order(sims, lexical, 5, defining=lifted, defining_weight=0.0) == plain


def test_a_document_s_passages_are_spaced_out_and_the_first_stays() -> None:
    documents = {0: "a", 1: "a", 2: "a", 3: "b", 4: "c"}
    assert diversified([0, 1, 2, 3, 4], documents, 4) == [0, 3, 1, 4]
    assert diversified([0, 1, 2, 3, 4], documents, 4, spacing=0) == [0, 1, 2, 3]
    assert diversified([3, 4], documents, 5) == [3, 4]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    from agentroute.embeddings import default_embedder

    base = ChromaKnowledgeBase(
        "manuals",
        tmp_path_factory.mktemp("definitions") / "kb",
        default_embedder(),
        description="Manual pages of command-line tools and Python module docstrings.",
    )
    base.add([
        Document(id="ls.1", title="ls(1) manual page", text=LS),
        Document(id="mod-copy", title="module copy", text=COPY),
    ])  # fmt: skip
    base.refresh_snapshot()
    return base


def test_the_option_passage_comes_before_the_examples_that_repeat_the_flag(
    kb: ChromaKnowledgeBase,
) -> None:
    for query in ("What does --dereference do in ls?", "ls --dereference"):
        hits = kb.search(query, 3)
        assert hits[0].metadata.get("section") == "DESCRIPTION › -L, --dereference", query
    # the examples passage holds the flag more often: fused without definitions it is first
    scored = kb.scored("ls --dereference", 3)
    plain = fused_order(scored.similarities, scored.lexical, 1, weight=2.0)[0]
    assert scored.metadatas[plain]["section"] == "EXAMPLES"


def test_a_module_s_function_is_found_by_its_dotted_name(kb: ChromaKnowledgeBase) -> None:
    hit = kb.search("what does copy.deepcopy do?", 1)[0]
    assert hit.text.rstrip().endswith("deepcopy: Deep copy operation on arbitrary Python objects.")
    # a question without the dotted name is ranked by words and meaning alone
    scored = kb.scored("deep copies of objects", 3)
    assert not scored.defining.any()


def test_filtered_search_defines_too(kb: ChromaKnowledgeBase) -> None:
    hits = kb.search("ls --dereference", 2, where={"doc_id": "ls.1"})
    assert hits and all(h.doc_id == "ls.1" for h in hits)
    assert hits[0].metadata.get("section") == "DESCRIPTION › -L, --dereference"
    assert kb.search("ls --dereference", 2, where={"doc_id": "mod-copy"})[0].doc_id == "mod-copy"


def test_the_definitions_are_saved_beside_the_snapshot(
    kb: ChromaKnowledgeBase, minilm: MiniLMEmbedder
) -> None:
    kb.search("ls --all", 1)
    reopened = ChromaKnowledgeBase("manuals", kb.path, minilm)
    before = kb.scored("what does --all do in ls", 3).defining
    assert np.array_equal(reopened.scored("what does --all do in ls", 3).defining, before)
    assert before.any()
    snap = reopened._read_snapshot()
    assert snap is not None
    saved = load_lexical(kb.path, f"{kb._name}.definitions", snap.fingerprint)
    assert saved is not None and int(saved["size"][0]) == kb.count()


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with Agent(
        name="definitions",
        targets=[kb],
        embedder=kb.embedder,
        threads=Path(kb.path).parent / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


def test_an_agent_answers_a_flag_from_its_option_passage(agent: Agent) -> None:
    result = agent.run("What does --dereference do in ls?")
    assert [s.target for s in result.steps] == ["manuals"]
    step = result.steps[0]
    assert step.ok, step.error
    first = step.data["hits"][0]
    assert first["metadata"].get("section") == "DESCRIPTION › -L, --dereference"
    assert "symbolic link" in result.answer
