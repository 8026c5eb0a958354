"""HashingEmbedder, the LangChain adapter and the chromadb embedding function."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from agentroute.embeddings import (
    ChromaEmbeddingFunction,
    Embedder,
    HashingEmbedder,
    LangChainEmbedder,
    UnknownEmbedderError,
    register_embedder,
    resolve_embedder,
)


def test_hashing_is_deterministic_across_processes() -> None:
    # A golden vector: blake2b (not the per-process salted hash()) makes these buckets the same
    # in every process and on every machine; a change here breaks stored collections.
    v = HashingEmbedder(64).embed(["the capital of France"])[0]
    third = 1 / 3
    expected = {30: -third, 33: third, 40: -third, 56: third, 59: 2 * third, 62: third}
    assert {int(i): float(v[i]) for i in np.nonzero(v)[0]} == pytest.approx(expected)


def test_hashing_similarity_follows_shared_words() -> None:
    e = HashingEmbedder()
    assert isinstance(e, Embedder)
    v = e.embed(["capital of France", "the capital of France", "boiling point of water", ""])
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert e.id == "hashing-256-bigrams@v1"
    assert resolve_embedder(e.id).id == e.id


def test_langchain_adapter_normalises_and_probes_dim() -> None:
    lc = LangChainEmbedder(DeterministicFakeEmbedding(size=12), id="fake-12")
    assert lc.dim == 12
    v = lc.embed(["a", "b"])
    assert v.shape == (2, 12) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)
    assert isinstance(lc, Embedder)


def test_unknown_embedder_id_fails_clearly() -> None:
    with pytest.raises(UnknownEmbedderError, match="register_embedder"):
        resolve_embedder("nope@1")


def test_registered_embedder_resolves() -> None:
    lc = LangChainEmbedder(DeterministicFakeEmbedding(size=8), id="fake-8-registered")
    register_embedder(lc)
    assert resolve_embedder("fake-8-registered") is lc


def test_chroma_collection_reopens_offline_in_fresh_process(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings

    emb = HashingEmbedder(32)
    client = chromadb.PersistentClient(str(tmp_path), settings=Settings(anonymized_telemetry=False))
    col = client.create_collection(
        "reopen-test",
        embedding_function=ChromaEmbeddingFunction(emb),  # type: ignore[arg-type]
        configuration={"hnsw": {"space": "cosine"}},
    )
    col.add(ids=["a", "b"], documents=["rivers of europe", "speed of light"])
    del col, client
    # A fresh process, no network: the collection rebuilds our function from its stored config
    # and embeds the query text with it (chromadb's default would try to download a model).
    code = textwrap.dedent(
        f"""
        import chromadb
        from chromadb.config import Settings
        import agentroute.embeddings._chroma
        c = chromadb.PersistentClient({str(tmp_path)!r}, settings=Settings(anonymized_telemetry=False))
        col = c.get_collection("reopen-test")
        print(type(col.configuration["embedding_function"]).__name__)
        print(col.query(query_texts=["the speed of light"], n_results=1)["ids"][0][0])
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NO_PROXY": "*",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ChromaEmbeddingFunction", "b"]
