from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder, default_embedder


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    return default_embedder()
