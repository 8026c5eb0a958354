"""The project's one BM25 (``text._bm25``) and the exact terms a knowledge base indexes."""

from __future__ import annotations

import numpy as np

from agentroute.text import LexicalIndex, exact_terms, index_words, search_words

DOCS = [
    "docker run --detach starts the container in the background",
    "git-daemon serves repositories over the git protocol",
    "subprocess.run runs a command and waits for it",
    "the daemon of the night detaches nothing",
]


def test_exact_terms_keep_options_and_joined_names_whole() -> None:
    assert exact_terms("use --detach or -d with git-daemon and subprocess.run.") == [
        "--detach",
        "-d",
        "git-daemon",
        "subprocess.run",
    ]
    # one-letter options keep their case (their meaning); long ones are lower-cased
    assert exact_terms("ls -G and ls -g, --Color") == ["-G", "-g", "--color"]


def test_plain_prose_has_no_exact_terms() -> None:
    assert exact_terms("It runs the daemon. Then it stops - quietly.") == []
    assert search_words("It runs the daemon.") == index_words("It runs the daemon.")


def test_an_exact_term_ranks_the_passage_that_carries_it_first() -> None:
    index = LexicalIndex(DOCS, words=search_words)
    scores = index.scores("what does --detach do")
    assert int(np.argmax(scores)) == 0
    scores = index.scores("git-daemon")
    assert int(np.argmax(scores)) == 1 and scores[1] > scores[3] > 0
    assert not index.scores("completely unrelated words").any()


def test_postings_read_back_from_their_arrays_score_the_same() -> None:
    index = LexicalIndex(DOCS, words=search_words)
    again = LexicalIndex.from_arrays(index.arrays(), words=search_words)
    for query in ("--detach", "git daemon", "subprocess.run", "nothing here at all"):
        assert np.array_equal(index.scores(query), again.scores(query))
    empty = LexicalIndex([], words=search_words)
    assert LexicalIndex.from_arrays(empty.arrays()).scores("x").shape == (0,)


def test_coverage_counts_what_a_text_names_its_rare_words_most() -> None:
    index = LexicalIndex([
        "weather forecast for a city",
        "weather forecast weather forecast weather",
        "hillshading tiles for a map",
        "the city weather and hillshading tiles",
    ])  # fmt: skip
    share = index.coverage("weather forecast and hillshading tiles for Lisbon")
    # the fourth names every word but "forecast"; "Lisbon" no document holds, so it is left out
    assert 0.0 < share[1] == share[0] < share[2] < share[3] < 1.0
    # repeating a word adds nothing, unlike BM25's term frequency
    assert share[0] == share[1]
    full = index.coverage("weather hillshading")
    assert full[3] == 1.0 and full[2] > full[0]  # the rarer word weighs more
    assert not index.coverage("completely unrelated").any()
