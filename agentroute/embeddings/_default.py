"""The process-wide default embedder, loaded on first use."""

from __future__ import annotations

import os
import threading
from typing import cast, overload

from agentroute._log import get_logger
from agentroute.embeddings._base import Embedder
from agentroute.embeddings._minilm import BACKENDS, Backend, MiniLMEmbedder

__all__ = ["BACKEND_ENV", "default_embedder", "int8_embedder"]

BACKEND_ENV = "AGENTROUTE_EMBEDDINGS_BACKEND"
"""``onnx`` (fast), ``numpy`` (~80 MB less resident, ~2x slower per query) or ``auto``."""

log = get_logger(__name__)

_instance: MiniLMEmbedder | None = None
_int8: MiniLMEmbedder | None = None
_lock = threading.Lock()


@overload
def default_embedder() -> MiniLMEmbedder: ...
@overload
def default_embedder(*, stand_in: Embedder) -> Embedder: ...
def default_embedder(*, stand_in: Embedder | None = None) -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded once per process on first call (ONNX Runtime:
    ~0.2 s from the model cache, ~2 s the first time, when the graph is built into it; numpy
    fallback: ~0.2 s and ~115 MB); the backend is
    ``$AGENTROUTE_EMBEDDINGS_BACKEND`` when set (the vectors are the same either way).

    Given a ``stand_in``, a model that cannot load is logged and the stand-in returned: routing
    features, for one, work (less well) without the model rather than not at all."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                try:
                    _instance = MiniLMEmbedder(backend=_backend_from_env())
                except Exception as exc:
                    if stand_in is None:
                        raise
                    log.info("embeddings.stand_in", reason=str(exc)[:200])
                    return stand_in
    return _instance


def int8_embedder() -> MiniLMEmbedder:
    """The process's all-MiniLM-L6-v2 with int8 matrix products (ONNX Runtime; the graph is
    quantised once, ~5 s, and cached): what a knowledge base configured with
    ``precision = "int8"`` embeds its passages and its queries with."""
    global _int8
    with _lock:
        if _int8 is None:
            _int8 = MiniLMEmbedder(precision="int8")
    return _int8


def _backend_from_env() -> Backend:
    value = os.environ.get(BACKEND_ENV, "auto").strip().lower() or "auto"
    if value not in BACKENDS:
        raise ValueError(
            f"{BACKEND_ENV}={value!r} is not a backend: use one of {', '.join(BACKENDS)}"
        )
    return cast(Backend, value)
