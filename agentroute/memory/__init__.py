"""The episodic memory: a case bank that guides the planner, reuses plans, resists poisoning.

Exceptions::

    MemoryStoreError          a store cannot do what was asked
    EmbedderMismatchError     the store was indexed by another embedder (run `memory reindex`);
                              one error for every vector store (from ``agentroute.embeddings``)
"""

from agentroute.embeddings import EmbedderMismatchError
from agentroute.memory._bank import CaseBank
from agentroute.memory._case import (
    Case,
    CaseOutcome,
    CaseStatus,
    CaseStep,
    Judge,
    Provenance,
    RecallStats,
    TurnSummary,
    content_hash,
)
from agentroute.memory._chroma import ChromaCaseStore
from agentroute.memory._recall_config import RecallConfig
from agentroute.memory._store import CaseStore, InMemoryCaseStore, MemoryStoreError

__all__ = [
    "Case",
    "CaseBank",
    "CaseOutcome",
    "CaseStatus",
    "CaseStep",
    "CaseStore",
    "ChromaCaseStore",
    "EmbedderMismatchError",
    "InMemoryCaseStore",
    "Judge",
    "MemoryStoreError",
    "Provenance",
    "RecallConfig",
    "RecallStats",
    "TurnSummary",
    "content_hash",
]
