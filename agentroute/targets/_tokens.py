"""Late interaction: how well a request matches a text, word piece by word piece.

A sentence vector averages a request into one point; "show me what's written in config.yaml"
lands nearer Kubernetes manifests than file reading. Matching each token of the request with
its best counterpart in a target's text (and each of the text's tokens with its best in the
request: a symmetric Chamfer similarity over MiniLM's contextual token vectors) lets the one
word that names what a tool acts on count (benchmarks/bench_tool_retrieval.py, 300 tools:
recall@5 0.81 → 0.86).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from agentroute.embeddings._minilm import limit_blas_threads
from agentroute.text import STOP_WORDS

__all__ = ["TokenEmbedder", "content_tokens", "token_match"]


@runtime_checkable
class TokenEmbedder(Protocol):
    """An embedder that can also give each text's contextual token vectors (MiniLM can)."""

    def embed_with_tokens(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.float32], list[tuple[list[str], npt.NDArray[np.float32]]]]: ...


def token_match(
    rows: npt.NDArray[np.float32],
    starts: npt.NDArray[np.int64],
    counts: npt.NDArray[np.float32],
    request: npt.NDArray[np.float32],
    symmetry: float,
) -> npt.NDArray[np.float32]:
    """Per text, the mean over the request's tokens of each one's best cosine among the
    text's, blended with the same the other way round (``symmetry`` of it).

    ``rows`` holds every text's normalised token vectors one text after another, the text
    ``i`` starting at ``starts[i]`` with ``counts[i]`` rows (at least one); ``request`` holds
    the request's, one per row.
    """
    # Big enough for OpenBLAS to start its threads, which on a shared machine only spin.
    with limit_blas_threads(1):
        pairs = rows @ request.T  # (text tokens, request tokens)
    forward = np.maximum.reduceat(pairs, starts, axis=0).mean(axis=1)
    backward = np.add.reduceat(pairs.max(axis=1), starts) / counts
    out: npt.NDArray[np.float32] = (1.0 - symmetry) * forward + symmetry * backward
    return out


def content_tokens(words: list[str], vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """A target text's token vectors without stop words (all of them if nothing is left).

    Left out so that a request's "the" or "?" does not count as matching a target's
    description (recall@5 0.83 → 0.84 on the tuning half of
    benchmarks/bench_tool_retrieval.py). Requests keep all their tokens.
    """
    keep = [i for i, w in enumerate(words) if w.lower() not in STOP_WORDS]
    rows = np.asarray(vectors, dtype=np.float32)
    return rows[keep] if keep else rows
