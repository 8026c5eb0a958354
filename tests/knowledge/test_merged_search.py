"""Several bases searched as one (``knowledge.search_bases``) and BM25 weighed over all of them
(``text._bm25.collection_idf``), on real chromadb bases with the real MiniLM embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agentroute.embeddings import int8_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, search_bases
from agentroute.text import LexicalIndex
from agentroute.text._bm25 import collection_idf

LS = (
    "NAME\nls - list directory contents\n\nDESCRIPTION\nList information about the FILEs.\n\n"
    "-L, --dereference\nwhen showing file information for a symbolic link, show information "
    "for the file the link references rather than for the link itself\n\n"
    "-R, --recursive\nlist subdirectories recursively"
)
LINKS = [  # a base about links, all close in meaning to a question about symbolic links
    (
        "dereferencing",
        "To dereference a symbolic link is to follow it to the file it points to; ls -l shows "
        "the link itself.",
    ),
    ("symlink", "A symbolic link is a file that points to another file by its path."),
    ("hardlink", "A hard link is another name for an existing file on the same filesystem."),
    ("realpath", "realpath resolves every symbolic link in a path to the file it points at."),
]
PYTHON = [
    ("mod-subprocess", "module subprocess", "Subprocesses with accessible I/O streams.\n\n"
     "run: Run command with arguments and return a CompletedProcess instance.\n\n"
     "call: Run command with arguments and wait for it to complete."),
    ("mod-os", "module os", "Miscellaneous operating system interfaces: files, processes, "
     "the environment. os.symlink creates a symbolic link; os.readlink reads one."),
]  # fmt: skip


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> list[ChromaKnowledgeBase]:
    from agentroute.embeddings import default_embedder

    root = tmp_path_factory.mktemp("merged")
    embedder = default_embedder()
    manuals = ChromaKnowledgeBase("manuals", root / "manuals", embedder)
    manuals.add([Document(id="ls.1", title="ls(1) manual page", text=LS)])
    links = ChromaKnowledgeBase("links", root / "links", embedder)
    links.add(Document(id=i, title=i, text=t, metadata={"topic": "links"}) for i, t in LINKS)
    python = ChromaKnowledgeBase("python", root / "python", embedder)
    python.add(Document(id=i, title=ti, text=t) for i, ti, t in PYTHON)
    for b in (manuals, links, python):
        b.refresh_snapshot()
    return [manuals, links, python]


def test_an_exact_flag_finds_its_passage_across_bases(bases: list[ChromaKnowledgeBase]) -> None:
    found = search_bases(bases, "what does --dereference do in ls?", 3)
    assert found[0].base == "manuals"
    assert found[0].hit.metadata.get("section") == "DESCRIPTION › -L, --dereference"
    # merged by similarity alone, the links base's passage comes first
    by_similarity = sorted(
        (h for b in bases for h in b.search("what does --dereference do in ls?", 3)),
        key=lambda h: -h.similarity,
    )
    assert by_similarity[0].doc_id == "dereferencing"


def test_a_dotted_name_finds_its_definition_across_bases(
    bases: list[ChromaKnowledgeBase],
) -> None:
    found = search_bases(bases, "subprocess.run", 2)
    assert (found[0].base, found[0].hit.doc_id) == ("python", "mod-subprocess")
    assert "run: Run command" in found[0].hit.text


def test_words_no_base_holds_rank_by_meaning_alone(bases: list[ChromaKnowledgeBase]) -> None:
    query = "zxqv wibble"  # no word any passage holds
    found = search_bases(bases, query, 4)
    sims = [f.hit.similarity for f in found]
    assert sims == sorted(sims, reverse=True)
    best = max(h.similarity for b in bases for h in b.search(query, 1))
    assert sims[0] == pytest.approx(best)


def test_where_filters_every_base(bases: list[ChromaKnowledgeBase]) -> None:
    found = search_bases(bases, "symbolic link", 5, where={"topic": "links"})
    assert found and {f.base for f in found} == {"links"}
    assert search_bases(bases, "symbolic link", 0) == []
    assert search_bases([], "symbolic link", 3) == []


def test_bases_of_different_embedders_are_not_merged(
    bases: list[ChromaKnowledgeBase], tmp_path: Path
) -> None:
    other = ChromaKnowledgeBase("other", tmp_path / "other", int8_embedder())
    other.add([Document(id="x", text="A symbolic link points at a file.")])
    with pytest.raises(ValueError, match="different models"):
        search_bases([bases[0], other], "symbolic link", 3)


def test_collection_idf_weighs_a_term_the_same_in_every_index() -> None:
    # "link" is in every passage of the first index and in one of the second's
    common = LexicalIndex(["link red", "link blue", "link green", "link brown"])
    rare = LexicalIndex(["link alpha", "beta gamma", "delta epsilon", "zeta theta"])
    own = (common.scores("link")[0], rare.scores("link")[0])
    assert own[1] > 3 * own[0]  # each index alone: the term weighs very differently
    idf = collection_idf([common, rare], "link")
    shared = (common.scores("link", idf)[0], rare.scores("link", idf)[0])
    assert shared[0] == pytest.approx(shared[1])
    assert collection_idf([common, rare], "absent words") == {}
    assert np.array_equal(common.scores("link", None), common.scores("link"))
