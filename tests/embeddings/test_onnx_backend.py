"""The ONNX Runtime forward pass computes what the numpy one does, padding included."""

from __future__ import annotations

import sys

import numpy as np
import numpy.typing as npt
import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.embeddings._bert import BertConfig, BertEncoder
from agentroute.embeddings._minilm import padded_batch
from agentroute.embeddings._onnx import OnnxBertEncoder

SENTENCES = [
    "x",
    "A man is eating food.",
    "Which tool can list the open pull requests in my GitHub repository?",
    "Paris is the capital city of France, and the Seine runs through it.",
    "The quick brown fox jumps over the lazy dog while the farmer sleeps " * 4,
]


@pytest.fixture(scope="module")
def numpy_model() -> MiniLMEmbedder:
    return MiniLMEmbedder(backend="numpy", cache_size=0)


@pytest.fixture(scope="module")
def onnx_model() -> MiniLMEmbedder:
    return MiniLMEmbedder(backend="onnx", cache_size=0)


def _padded_batch(
    model: MiniLMEmbedder, texts: list[str]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    return padded_batch([e.ids for e in model._tokenizer.encode_batch(texts)])


def test_backends_resolve_as_asked(numpy_model: MiniLMEmbedder, onnx_model: MiniLMEmbedder) -> None:
    assert numpy_model.backend == "numpy"
    assert isinstance(numpy_model._encoder, BertEncoder)
    assert onnx_model.backend == "onnx"
    assert isinstance(onnx_model._encoder, OnnxBertEncoder)
    # Same model, same vectors to float tolerance: stored vectors stay valid across backends.
    assert onnx_model.id == numpy_model.id == "minilm-l6-v2@numpy"
    assert MiniLMEmbedder().backend == "onnx"  # auto picks ONNX when it is installed


@pytest.mark.parametrize("fused", [True, False], ids=["contrib-ops", "standard-ops"])
def test_hidden_states_match_numpy_on_a_padded_batch(
    numpy_model: MiniLMEmbedder, fused: bool
) -> None:
    model_dir = numpy_model.model_dir
    config = BertConfig.from_json(model_dir / "config.json")
    encoder = OnnxBertEncoder(model_dir / "model.safetensors", config, fused=fused)
    ids, mask = _padded_batch(numpy_model, SENTENCES)
    assert mask.sum(axis=1).min() < ids.shape[1]  # the batch really is padded
    want = numpy_model._encoder.forward(ids, mask)
    got = encoder.forward(ids, mask)
    assert got.dtype == np.float32
    assert got.shape == want.shape == (len(SENTENCES), ids.shape[1], 384)
    real = mask.astype(bool)
    np.testing.assert_allclose(got[real], want[real], atol=1e-4, rtol=0)
    # Each row alone (no padding) gives the same real-token states as inside the batch.
    for row in range(len(SENTENCES)):
        n = int(mask[row].sum())
        alone = encoder.forward(ids[row : row + 1, :n], mask[row : row + 1, :n])
        np.testing.assert_allclose(alone[0], got[row, :n], atol=1e-4, rtol=0)


def test_pooled_vectors_match_numpy(
    numpy_model: MiniLMEmbedder, onnx_model: MiniLMEmbedder
) -> None:
    want = numpy_model.embed_uncached(SENTENCES)
    got = onnx_model.embed_uncached(SENTENCES)
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=0)
    assert float(np.min(np.sum(got * want, axis=1))) > 1 - 1e-6


def test_token_vectors_match_numpy(numpy_model: MiniLMEmbedder, onnx_model: MiniLMEmbedder) -> None:
    want_pooled, want_tokens = numpy_model.embed_with_tokens(SENTENCES)
    got_pooled, got_tokens = onnx_model.embed_with_tokens(SENTENCES)
    np.testing.assert_allclose(got_pooled, want_pooled, atol=1e-5, rtol=0)
    for (want_words, want_vecs), (got_words, got_vecs) in zip(want_tokens, got_tokens, strict=True):
        assert got_words == want_words
        assert got_vecs.shape == want_vecs.shape
        np.testing.assert_allclose(got_vecs, want_vecs, atol=1e-4, rtol=0)


def test_parallel_sub_batches_match_one_pass(onnx_model: MiniLMEmbedder) -> None:
    texts = [f"{s} ({i})" for i, s in enumerate(SENTENCES * 4)]
    parallel = MiniLMEmbedder(backend="onnx", cache_size=0, workers=2, batch_size=4)
    one_pass = onnx_model.embed_uncached(texts)
    np.testing.assert_allclose(parallel.embed_uncached(texts), one_pass, atol=1e-5, rtol=0)


def test_a_pass_that_keeps_its_scratch_computes_the_same(onnx_model: MiniLMEmbedder) -> None:
    """Bulk passes keep ORT's arena between them (less CPU) and hand it back at the end: the
    same numbers either way, and a released arena still runs the next pass."""
    encoder = onnx_model._bulk_encoder()
    assert isinstance(encoder, OnnxBertEncoder)
    ids, mask = _padded_batch(onnx_model, SENTENCES)
    kept = encoder.forward(ids, mask, keep_scratch=True)
    encoder.release_scratch()
    np.testing.assert_array_equal(kept, encoder.forward(ids, mask))


def test_many_batches_release_their_scratch_once_done(onnx_model: MiniLMEmbedder) -> None:
    texts = [f"{s} ({i})" for i, s in enumerate(SENTENCES * 20)]  # bulk: several batches
    batched = MiniLMEmbedder(backend="onnx", cache_size=0, workers=2, batch_size=4)
    got = batched.embed_uncached(texts)
    np.testing.assert_allclose(got, onnx_model.embed_uncached(texts), atol=1e-5, rtol=0)
    np.testing.assert_allclose(batched.embed_uncached(texts[:3]), got[:3], atol=1e-5, rtol=0)


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(
        ValueError, match=r"backend must be one of 'auto', 'onnx', 'numpy'.*'torch'"
    ):
        MiniLMEmbedder(backend="torch")  # type: ignore[arg-type]


def test_bad_thread_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="onnx_threads must be >= 1, got 0"):
        MiniLMEmbedder(onnx_threads=0)


def test_too_long_input_is_rejected_like_numpy(onnx_model: MiniLMEmbedder) -> None:
    encoder = onnx_model._encoder
    assert isinstance(encoder, OnnxBertEncoder)
    ids = np.ones((1, 513), dtype=np.int64)
    with pytest.raises(ValueError, match="513 tokens exceeds 512"):
        encoder.forward(ids, np.ones((1, 513), dtype=np.float32))


def test_auto_falls_back_to_numpy_without_onnxruntime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes `import onnxruntime` fail
    assert MiniLMEmbedder().backend == "numpy"
    with pytest.raises(ImportError, match="backend='onnx' needs onnxruntime and onnx"):
        MiniLMEmbedder(backend="onnx")


def test_auto_warns_when_the_graph_fails_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed but failing (say, an ONNX Runtime too old for a fused kernel) is not a
    choice: the fallback is taken and said at warning level."""
    import onnxruntime
    from structlog.testing import capture_logs

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Could not find an implementation for SkipLayerNormalization")

    monkeypatch.setattr(onnxruntime, "InferenceSession", refuse)
    with capture_logs() as logs:
        model = MiniLMEmbedder()
    assert model.backend == "numpy"
    warned = [e for e in logs if e["event"] == "minilm.onnx_unavailable"]
    assert warned and warned[0]["log_level"] == "warning"
    assert "SkipLayerNormalization" in warned[0]["reason"]
    assert model.embed(["still works"]).shape == (1, 384)


def test_the_default_backend_can_be_chosen_by_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from agentroute.embeddings import _default

    monkeypatch.setattr(_default, "_instance", None)
    monkeypatch.setenv("AGENTROUTE_EMBEDDINGS_BACKEND", "numpy")
    assert _default.default_embedder().backend == "numpy"
    monkeypatch.setattr(_default, "_instance", None)
    monkeypatch.setenv("AGENTROUTE_EMBEDDINGS_BACKEND", "torch")
    with pytest.raises(ValueError, match="AGENTROUTE_EMBEDDINGS_BACKEND='torch' is not a backend"):
        _default.default_embedder()
