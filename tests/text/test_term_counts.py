"""Term counts (``text._term_counts``): BM25's postings made from them score exactly as the
postings made from the texts, and counts patched after an edit (documents kept, new ones
counted) are the counts of the edited collection."""

from __future__ import annotations

import numpy as np
import pytest

from agentroute.text import LexicalIndex, search_words
from agentroute.text._term_counts import TermCounts

DOCS = [
    "docker run --detach starts the container in the background",
    "git-daemon serves repositories over the git protocol",
    "subprocess.run runs a command and waits for it",
    "the daemon of the night detaches nothing",
    "ls -G colours the listing; ls -g leaves out the owner",
    "tar -J filters the archive through xz, tar -z through gzip",
]
QUERIES = ["--detach", "git daemon", "subprocess.run", "-G", "archive xz", "nothing here at all"]


def _same(a: LexicalIndex, b: LexicalIndex) -> None:
    assert a.size == b.size
    for query in QUERIES:
        assert np.array_equal(a.scores(query), b.scores(query)), query


def test_postings_from_counts_are_the_postings_from_the_texts() -> None:
    counts = TermCounts.of(DOCS, search_words)
    _same(
        LexicalIndex(DOCS, words=search_words), LexicalIndex.from_counts(counts, words=search_words)
    )
    again = TermCounts.from_arrays(counts.arrays())
    _same(
        LexicalIndex(DOCS, words=search_words), LexicalIndex.from_counts(again, words=search_words)
    )
    empty = LexicalIndex.from_counts(TermCounts.of([], search_words), words=search_words)
    assert empty.scores("x").shape == (0,)


def test_kept_and_extended_counts_are_the_edited_collections() -> None:
    edited = "git-daemon now also speaks the smart http protocol"
    counts = TermCounts.of(DOCS, search_words)
    # drop documents 1 and 4, keep the others in a new order, then append an edited one
    rows = [5, 0, 3, 2]
    patched = counts.keep(rows).extend(TermCounts.of([edited], search_words))
    texts = [DOCS[i] for i in rows] + [edited]
    _same(
        LexicalIndex(texts, words=search_words),
        LexicalIndex.from_counts(patched, words=search_words),
    )
    # a term only the dropped documents used is gone from the vocabulary
    assert "-G" not in counts.keep(rows).terms and "-G" in counts.terms
    assert not LexicalIndex.from_counts(counts.keep(rows), words=search_words).scores("-G").any()


def test_malformed_counts_are_refused() -> None:
    arrays = TermCounts.of(DOCS, search_words).arrays()
    with pytest.raises(ValueError, match="at most once"):
        TermCounts.of(DOCS, search_words).keep([0, 0])
    for broken in (
        {k: v for k, v in arrays.items() if k != "tf"},
        {**arrays, "tf": arrays["tf"][:-1]},
        {**arrays, "size": np.asarray([2])},
        {**arrays, "term": arrays["term"] + len(arrays["terms"])},
    ):
        with pytest.raises(ValueError):
            TermCounts.from_arrays(broken)
