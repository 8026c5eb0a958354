"""chromadb embedding function backed by our :class:`Embedder`.

Registered with chromadb under the name ``agentroute``; it stores only the embedder id, so a
collection reopened in a fresh process rebuilds it offline (importing this module registers
it) instead of falling back to chromadb's default function, which downloads a model.
Kept apart from the other adapters because importing chromadb takes seconds.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from agentroute.embeddings._adapters import resolve_embedder
from agentroute.embeddings._base import Embedder

__all__ = ["ChromaEmbeddingFunction"]


@register_embedding_function
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """chromadb embedding function backed by an :class:`Embedder` (resolved lazily by id, so
    opening a collection does not load a model until something is embedded)."""

    def __init__(self, embedder: Embedder | None = None, *, embedder_id: str | None = None) -> None:
        if embedder is None and embedder_id is None:
            raise ValueError("ChromaEmbeddingFunction needs an embedder or an embedder_id")
        self._embedder = embedder
        self._embedder_id = embedder.id if embedder is not None else str(embedder_id)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = resolve_embedder(self._embedder_id)
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "agentroute"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"embedder_id": self._embedder_id}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        return ChromaEmbeddingFunction(embedder_id=str(config["embedder_id"]))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if not isinstance(config.get("embedder_id"), str):
            raise ValueError(f"agentroute embedding function config needs 'embedder_id': {config}")

    def validate_config_update(
        self, old_config: dict[str, Any], new_config: dict[str, Any]
    ) -> None:
        if old_config.get("embedder_id") != new_config.get("embedder_id"):
            raise ValueError(
                "cannot change a collection's embedder: vectors from different models do not mix"
            )
