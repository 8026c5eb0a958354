"""Hybrid retrieval (issue 15): BM25 fused with the dense ranking inside
``ChromaKnowledgeBase.search``, on a real on-disk chromadb with the real MiniLM embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._fusion import (
    EXACT_WEIGHT,
    LEXICAL_WEIGHT,
    fused_order,
    lexical_weight,
)
from agentroute.knowledge._kb_snapshot import load_lexical
from agentroute.text._bm25 import LexicalIndex
from agentroute.text._index_words import search_words

OPTIONS = [
    ("--all", "do not ignore entries starting with ."),
    ("--almost-all", "do not list implied . and .."),
    ("--directory", "list directories themselves, not their contents"),
    ("--dereference", "when showing file information for a symbolic link, show the target"),
    ("--human-readable", "with -l and -s, print sizes like 1K 234M 2G"),
    ("--recursive", "list subdirectories recursively"),
    ("--reverse", "reverse order while sorting"),
    ("--inode", "print the index number of each file"),
    ("--size", "print the allocated size of each file, in blocks"),
    ("--quote-name", "enclose entry names in double quotes"),
]
LS = "NAME\nls - list directory contents\n\nDESCRIPTION\nList information about the FILEs.\n\n" + (
    "\n\n".join(f"{flag}\n{text}" for flag, text in OPTIONS)
)
DOCS = [
    Document(id="ls.1", title="ls(1) manual page", text=LS),
    Document(
        id="pkg-git-daemon-run",
        title="Debian package git-daemon-run",
        text="Package: git-daemon-run\nSection: vcs\nDescription: fast, scalable, distributed "
        "revision control system (git-daemon service)\nruns git-daemon under runit.",
        metadata={"section": "vcs"},
    ),
    Document(
        id="pkg-git",
        title="Debian package git",
        text="Package: git\nSection: vcs\nDescription: fast, scalable, distributed revision "
        "control system. Git is popular for its speed and its branches.",
        metadata={"section": "vcs"},
    ),
    Document(
        id="mod-subprocess",
        title="module subprocess",
        text="Subprocesses with accessible I/O streams.\n\nrun: Run command with arguments and "
        "return a CompletedProcess instance.\n\ncall: Run command with arguments. Wait for "
        "command to complete, then return the returncode attribute.",
        metadata={"section": "python"},
    ),
]


@pytest.fixture
def kb(tmp_path: Path, minilm: MiniLMEmbedder) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase("mixed", tmp_path / "db", minilm)
    base.add(DOCS)
    base.refresh_snapshot()
    return base


def test_fusion_without_shared_words_is_the_dense_order() -> None:
    sims = np.array([0.2, 0.9, 0.5, 0.7])
    assert fused_order(sims, np.zeros(4), 3) == [1, 3, 2]


def test_fusion_lifts_the_passage_the_exact_term_names() -> None:
    sims = np.linspace(0.9, 0.1, 30)
    lexical = np.zeros(30)
    lexical[4] = 7.0  # fifth by meaning, the only one that carries the term
    order = fused_order(sims, lexical, 3)
    assert order[0] == 4 and order[1:] == [0, 1]
    # with no lexical share the order is the dense one
    assert fused_order(sims, lexical, 3, weight=0.0) == [0, 1, 2]


def test_a_clear_lead_by_meaning_is_not_buried_by_passages_middling_in_both() -> None:
    # the passage closest by far in meaning shares one common word with the query; fifty
    # others share more words but are far in meaning (a held-out record's question): fused
    # by rank, each of them outranked it
    sims = np.array([0.64, *np.linspace(0.40, 0.30, 50)])
    lexical = np.array([1.3, *np.linspace(3.0, 2.5, 50)])
    assert fused_order(sims, lexical, 3)[0] == 0
    # a passage both close and best-worded still leads
    sims[7] = 0.62
    assert fused_order(sims, lexical, 3)[0] == 7


def test_an_exact_term_weighs_more_only_when_a_passage_writes_it() -> None:
    index = LexicalIndex(["--detach run the container in the background"], words=search_words)
    assert lexical_weight("what does --detach do?", index.holds) == EXACT_WEIGHT
    # "higher-level" is written by no passage: its query is one in plain words
    assert lexical_weight("what are higher-level managers?", index.holds) == LEXICAL_WEIGHT
    assert lexical_weight("what are higher-level managers?") == EXACT_WEIGHT


def test_an_option_is_found_at_first_by_its_flag(kb: ChromaKnowledgeBase) -> None:
    for flag, text in OPTIONS:
        hit = kb.search(f"what does {flag} do in ls?", 3)[0]
        assert hit.doc_id == "ls.1" and hit.text.startswith(flag), (flag, hit.text)
        assert hit.metadata["section"] == f"DESCRIPTION › {flag}"
        assert text in hit.text


def test_hyphenated_and_dotted_names_find_their_passage(kb: ChromaKnowledgeBase) -> None:
    assert kb.search("git-daemon", 1)[0].doc_id == "pkg-git-daemon-run"
    hit = kb.search("what does subprocess.run return?", 1)[0]
    assert hit.doc_id == "mod-subprocess" and "CompletedProcess" in hit.text


def test_hits_keep_their_cosine_similarity(kb: ChromaKnowledgeBase, minilm: MiniLMEmbedder) -> None:
    """Fusion orders; what a base decides on is still the passage's cosine similarity."""
    query = "what does --inode do in ls?"
    q = np.asarray(minilm.embed([query])[0], dtype=np.float32)
    for hit in kb.search(query, 5):
        passage = kb._read_snapshot()
        assert passage is not None
        row = passage.ids.index(hit.chunk_id)
        expected = float(passage.vectors[row] @ (q / np.linalg.norm(q)))
        assert hit.similarity == pytest.approx(expected, abs=1e-5)


def test_a_where_filter_holds_on_the_fused_search(kb: ChromaKnowledgeBase) -> None:
    """The exact term names a passage the filter excludes: it is not returned, through
    chromadb's filtered path, and the admitted passages still come fused."""
    hits = kb.search("git-daemon", 5, where={"section": "python"})
    assert hits and {h.doc_id for h in hits} == {"mod-subprocess"}
    hits = kb.search("git-daemon", 2, where={"section": "vcs"})
    assert [h.doc_id for h in hits][:1] == ["pkg-git-daemon-run"]
    hits = kb.search("--quote-name", 1, where={"section": {"$ne": "python"}})
    assert hits[0].doc_id == "ls.1" and hits[0].text.startswith("--quote-name")


def test_the_postings_are_saved_with_the_snapshot_and_follow_changes(
    kb: ChromaKnowledgeBase, minilm: MiniLMEmbedder
) -> None:
    snap = kb._read_snapshot()
    assert snap is not None
    assert load_lexical(kb.path, kb._name, snap.fingerprint) is not None
    reopened = ChromaKnowledgeBase("mixed", kb.path, minilm)
    assert reopened.search("git-daemon", 1)[0].doc_id == "pkg-git-daemon-run"
    assert reopened._opened is None  # read from the snapshot and postings: no chromadb
    # a stale postings file is never read: a new document is found by its own exact term
    kb.add([Document(id="pkg-zstd-tools", title="Debian package zstd-tools", text="zstd-tools")])
    kb.refresh_snapshot()
    assert load_lexical(kb.path, kb._name, snap.fingerprint) is None
    assert kb.search("zstd-tools", 1)[0].doc_id == "pkg-zstd-tools"
    kb.delete(["pkg-git-daemon-run"])
    assert all(h.doc_id != "pkg-git-daemon-run" for h in kb.search("git-daemon", 5))
