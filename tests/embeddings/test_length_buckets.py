"""Batches cut by length (issue 15): every text in exactly one batch, rows of a batch alike in
length within the token budget, and the vectors of a bucketed input (the bulk session, two
workers) equal to each text embedded alone."""

from __future__ import annotations

import numpy as np

from agentroute.embeddings import MiniLMEmbedder
from agentroute.embeddings._minilm import BULK_ROWS, length_buckets


def test_every_index_once_within_the_limits() -> None:
    rng = np.random.default_rng(7)
    lengths = rng.integers(3, 257, size=500).tolist()
    batches = length_buckets(lengths, max_rows=32, max_tokens=1024)
    flat = np.concatenate(batches)
    assert sorted(flat.tolist()) == list(range(500))
    for b in batches:
        widest = max(lengths[i] for i in b)
        assert len(b) <= 32
        assert len(b) == 1 or len(b) * widest <= 1024
    # Sorted by length, so a batch is padded to little more than its rows' own tokens.
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded < 1.05 * sum(lengths)


def test_a_text_longer_than_the_budget_is_a_batch_of_its_own() -> None:
    batches = length_buckets([300, 5, 6, 7], max_rows=8, max_tokens=64)
    assert [sorted(b.tolist()) for b in batches] == [[1, 2, 3], [0]]
    assert length_buckets([], max_rows=8) == []


def test_bucketed_vectors_equal_each_text_alone() -> None:
    words = "the daemon reads its configuration file and restarts every worker on a signal"
    vocab = words.split()
    rng = np.random.default_rng(3)
    texts = [
        " ".join(rng.choice(vocab, size=int(n)).tolist())
        for n in rng.integers(1, 180, size=BULK_ROWS + 6)
    ]
    bulk = MiniLMEmbedder(cache_size=0, workers=2).embed(texts)
    single = MiniLMEmbedder(cache_size=0, workers=1)
    alone = np.stack([single.embed([t])[0] for t in texts])
    np.testing.assert_allclose(bulk, alone, atol=2e-5)
