"""The numpy MiniLM forward pass against known outputs of sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from agentroute.embeddings import Embedder, MiniLMEmbedder, default_embedder
from agentroute.embeddings._bert import erf, gelu_erf


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return default_embedder()


def test_default_embedder_is_cached_and_satisfies_protocol(minilm: MiniLMEmbedder) -> None:
    assert default_embedder() is minilm
    assert isinstance(minilm, Embedder)
    assert minilm.id == "minilm-l6-v2@numpy"
    assert minilm.dim == 384


def test_matches_sentence_transformers_reference(minilm: MiniLMEmbedder) -> None:
    # First components of SentenceTransformer("all-MiniLM-L6-v2").encode("This is an example
    # sentence"), as published with the model.
    vec = minilm.embed(["This is an example sentence"])[0]
    np.testing.assert_allclose(
        vec[:5], [0.0676569, 0.0634959, 0.0487131, 0.0793050, 0.0374480], atol=2e-5
    )


def test_related_sentences_are_closer_than_unrelated(minilm: MiniLMEmbedder) -> None:
    v = minilm.embed(
        [
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
            "What is the capital of France?",
            "Paris is the capital city of France.",
        ]
    )
    sims = v @ v.T
    assert sims[0, 1] == pytest.approx(0.755, abs=0.01)
    assert sims[0, 1] > sims[0, 2] + 0.5
    assert sims[3, 4] > 0.6
    assert sims[3, 4] > max(sims[3, 0], sims[3, 1], sims[3, 2]) + 0.4


def test_rows_are_normalised_float32(minilm: MiniLMEmbedder) -> None:
    v = minilm.embed(["short", "", "a much longer sentence " * 100])
    assert v.dtype == np.float32
    assert v.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_batch_equals_single_and_is_deterministic(minilm: MiniLMEmbedder) -> None:
    texts = [
        "Who invented the telephone?",
        "x",
        "The speed of light in vacuum is exactly 299,792,458 metres per second.",
        "Rivers of Europe and the countries they flow through",
        "Who invented the telephone?",  # duplicate inside one batch
    ]
    batched = minilm.embed_uncached(texts)
    singles = np.vstack([minilm.embed_uncached([t]) for t in texts])
    np.testing.assert_allclose(batched, singles, atol=1e-5)
    np.testing.assert_array_equal(minilm.embed_uncached(texts), batched)
    np.testing.assert_allclose(batched[0], batched[4], atol=1e-6)


def test_cache_returns_same_vectors(minilm: MiniLMEmbedder) -> None:
    first = minilm.embed(["cache me", "and me"])
    again = minilm.embed(["and me", "cache me", "and me"])
    np.testing.assert_array_equal(again, first[[1, 0, 1]])
    # The returned array is a copy: mutating it must not poison the cache.
    again[:] = 0
    np.testing.assert_array_equal(minilm.embed(["cache me"])[0], first[0])


def test_long_text_is_truncated_not_rejected(minilm: MiniLMEmbedder) -> None:
    long = "word " * 2000
    v = minilm.embed([long])
    assert v.shape == (1, 384)
    assert np.isfinite(v).all()


def test_small_batch_size_gives_same_result() -> None:
    small = MiniLMEmbedder(batch_size=2, cache_size=0, blas_threads=None)
    texts = ["one", "two words", "three words here", "and four words now"]
    np.testing.assert_allclose(
        small.embed(texts), default_embedder().embed_uncached(texts), atol=1e-5
    )


def test_rejects_single_string(minilm: MiniLMEmbedder) -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        minilm.embed("not a list")  # type: ignore[arg-type]


def test_erf_and_gelu_accuracy() -> None:
    import math

    x = np.linspace(-7, 7, 20001)
    ref_erf = np.array([math.erf(v) for v in x])
    assert np.abs(erf(x.astype(np.float32)) - ref_erf).max() < 1e-6
    ref_gelu = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.abs(gelu_erf(x.astype(np.float32)) - ref_gelu).max() < 1e-6


def test_parallel_workers_match_serial() -> None:
    texts = [f"sentence {i} " + "word " * (i % 7) for i in range(21)]
    serial = MiniLMEmbedder(cache_size=0, workers=1).embed(texts)
    parallel = MiniLMEmbedder(cache_size=0, workers=3, batch_size=4).embed(texts)
    np.testing.assert_allclose(parallel, serial, atol=1e-5)


def test_embed_with_tokens_matches_embed(minilm: MiniLMEmbedder) -> None:
    texts = ["Read the contents of config.yaml", "x", "", "a much longer sentence " * 20]
    pooled, tokens = minilm.embed_with_tokens(texts)
    np.testing.assert_allclose(pooled, minilm.embed_uncached(texts), atol=1e-5)
    words, vecs = tokens[0]
    assert words[:3] == ["read", "the", "contents"] and "[CLS]" not in words
    assert vecs.shape == (len(words), 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert tokens[2][0] == ["[CLS]", "[SEP]"]  # nothing else to keep
    # Token vectors are contextual: the mean of a text's tokens points near its sentence vector.
    assert float(vecs.mean(axis=0) @ pooled[0]) / float(np.linalg.norm(vecs.mean(axis=0))) > 0.8
    with pytest.raises(TypeError):
        minilm.embed_with_tokens("one string")  # type: ignore[arg-type]


def test_words_are_the_vocabularys_whole_english_words(minilm: MiniLMEmbedder) -> None:
    words = minilm.words()
    assert len(words) > 10_000
    assert {"status", "search", "spend", "river"} <= words
    assert not {"stauts", "serch", "##ing", "[CLS]"} & words
