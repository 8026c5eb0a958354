"""The process-wide default embedder, loaded on first use."""

from __future__ import annotations

import os
import threading
from typing import cast

from agentroute.embeddings._minilm import BACKENDS, Backend, MiniLMEmbedder

__all__ = ["BACKEND_ENV", "default_embedder"]

BACKEND_ENV = "AGENTROUTE_EMBEDDINGS_BACKEND"
"""``onnx`` (fast), ``numpy`` (~80 MB less resident, ~2x slower per query) or ``auto``."""

_instance: MiniLMEmbedder | None = None
_lock = threading.Lock()


def default_embedder() -> MiniLMEmbedder:
    """The bundled all-MiniLM-L6-v2, loaded once per process on first call (~0.7 s and
    ~150 MB with ONNX Runtime, ~0.2 s and ~115 MB on the numpy fallback); the backend is
    ``$AGENTROUTE_EMBEDDINGS_BACKEND`` when set (the vectors are the same either way)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = MiniLMEmbedder(backend=_backend_from_env())
    return _instance


def _backend_from_env() -> Backend:
    value = os.environ.get(BACKEND_ENV, "auto").strip().lower() or "auto"
    if value not in BACKENDS:
        raise ValueError(
            f"{BACKEND_ENV}={value!r} is not a backend: use one of {', '.join(BACKENDS)}"
        )
    return cast(Backend, value)
