"""Adapting LangChain embeddings, and finding an embedder again by its id."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from agentroute.embeddings._base import Embedder
from agentroute.embeddings._hashing import HashingEmbedder

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings as LCEmbeddings

__all__ = [
    "LangChainEmbedder",
    "UnknownEmbedderError",
    "register_embedder",
    "resolve_embedder",
]


def _normalise(rows: Any) -> npt.NDArray[np.float32]:
    arr = np.asarray(rows, dtype=np.float32)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D array of embeddings, got shape {arr.shape}")
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    out: npt.NDArray[np.float32] = arr / np.maximum(norms, np.float32(1e-12))
    return out


class LangChainEmbedder:
    """Any LangChain ``Embeddings`` as an :class:`Embedder` (rows L2-normalised here, since
    providers differ on that)."""

    def __init__(
        self, embeddings: LCEmbeddings, *, id: str | None = None, dim: int | None = None
    ) -> None:
        self._lc = embeddings
        if id is None:
            model = getattr(embeddings, "model", None) or getattr(embeddings, "model_name", None)
            id = f"langchain:{type(embeddings).__name__}" + (f":{model}" if model else "")
        self._id = id
        self._dim = dim
        self._lock = threading.Lock()

    @property
    def id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        if self._dim is None:
            with self._lock:
                if self._dim is None:  # probe once: providers rarely advertise it
                    self._dim = len(self._lc.embed_query("dimension probe"))
        return self._dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single str")
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        out = _normalise(self._lc.embed_documents(list(texts)))
        if self._dim is None:
            self._dim = out.shape[1]
        elif out.shape[1] != self._dim:
            raise ValueError(f"{self._id}: returned dim {out.shape[1]}, expected {self._dim}")
        return out


class UnknownEmbedderError(LookupError):
    """A stored embedder id that this process cannot rebuild."""


_registry: dict[str, Callable[[], Embedder]] = {}
_registry_lock = threading.Lock()
_HASHING_ID = re.compile(r"hashing-(\d+)(-bigrams)?@v1")


def register_embedder(embedder: Embedder | Callable[[], Embedder], id: str | None = None) -> None:
    """Make an embedder resolvable by id (for chromadb collections reopened later)."""
    if isinstance(embedder, Embedder):
        instance = embedder
        key = id or instance.id
        with _registry_lock:
            _registry[key] = lambda: instance
    else:
        if id is None:
            raise ValueError("register_embedder(factory) needs the id the factory produces")
        with _registry_lock:
            _registry[id] = embedder


def resolve_embedder(id: str) -> Embedder:
    """Rebuild an embedder from its id: registered ones, the bundled MiniLM, hashing ones."""
    with _registry_lock:
        factory = _registry.get(id)
    if factory is not None:
        return factory()
    if id == "minilm-l6-v2@numpy":
        from agentroute.embeddings._default import default_embedder

        return default_embedder()
    m = _HASHING_ID.fullmatch(id)
    if m:
        return HashingEmbedder(int(m.group(1)), bigrams=m.group(2) is not None)
    raise UnknownEmbedderError(
        f"no embedder with id {id!r} in this process: call "
        "agentroute.embeddings.register_embedder(...) before reopening the collection"
    )
