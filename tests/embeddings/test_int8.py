"""MiniLM with int8 matrix products (issue 15: bulk ingestion at twice the float speed): a
model of its own id, whose vectors stay close to the float ones and keep their order."""

from __future__ import annotations

import numpy as np
import pytest

from agentroute.embeddings import MiniLMEmbedder, default_embedder, int8_embedder

TEXTS = [
    "tar -J compresses the archive with xz",
    "How do I make tar use xz compression?",
    "Paris is the capital of France, on the Seine.",
    "Which city is the capital of France?",
    "Penicillin was discovered by Alexander Fleming in 1928.",
]


def test_its_own_id_and_vectors_close_to_the_float_model() -> None:
    q8, f32 = int8_embedder(), default_embedder()
    assert q8 is int8_embedder() and q8.id != f32.id and q8.dim == f32.dim
    a, b = q8.embed_uncached(TEXTS), f32.embed_uncached(TEXTS)
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.97
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    # each question still nearest its own answer
    sims = a @ a.T
    assert sims[1, 0] > max(sims[1, 2], sims[1, 4]) and sims[3, 2] > max(sims[3, 0], sims[3, 4])


def test_a_texts_int8_vector_does_not_depend_on_what_it_is_embedded_with() -> None:
    """Activations are quantised by their range over a forward pass, and each text has a pass
    of its own: the bulk sessions (70 texts, both workers), the query session (one text) and
    another order give the same bits. Batched, a text moved by 0.006 cosine on average."""
    texts = [f"{t} ({i})" for i in range(14) for t in TEXTS]
    bulk = int8_embedder().embed_uncached(texts)
    alone = np.stack([int8_embedder().embed_uncached([t])[0] for t in texts[:10]])
    np.testing.assert_array_equal(bulk[:10], alone)
    np.testing.assert_array_equal(int8_embedder().embed_uncached(texts[::-1])[::-1], bulk)


def test_int8_needs_onnx_runtime() -> None:
    with pytest.raises(ValueError, match="ONNX Runtime"):
        MiniLMEmbedder(precision="int8", backend="numpy")
