"""The episodic memory: a case bank that guides the planner, reuses plans, resists poisoning.

Exceptions::

    MemoryStoreError          a store cannot do what was asked
    EmbedderMismatchError     the store was indexed by another embedder (run `memory reindex`);
                              one error for every vector store (from ``agentroute.embeddings``)
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
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
    from agentroute.memory._chroma_server import ServerCaseStore
    from agentroute.memory._pgvector import PgVectorCaseStore
    from agentroute.memory._recall_config import RecallConfig
    from agentroute.memory._store import CaseStore, InMemoryCaseStore, MemoryStoreError

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "EmbedderMismatchError": "agentroute.embeddings",
        "CaseBank": "agentroute.memory._bank",
        "Case": "agentroute.memory._case",
        "CaseOutcome": "agentroute.memory._case",
        "CaseStatus": "agentroute.memory._case",
        "CaseStep": "agentroute.memory._case",
        "Judge": "agentroute.memory._case",
        "Provenance": "agentroute.memory._case",
        "RecallStats": "agentroute.memory._case",
        "TurnSummary": "agentroute.memory._case",
        "content_hash": "agentroute.memory._case",
        "ChromaCaseStore": "agentroute.memory._chroma",
        "ServerCaseStore": "agentroute.memory._chroma_server",
        "PgVectorCaseStore": "agentroute.memory._pgvector",
        "RecallConfig": "agentroute.memory._recall_config",
        "CaseStore": "agentroute.memory._store",
        "InMemoryCaseStore": "agentroute.memory._store",
        "MemoryStoreError": "agentroute.memory._store",
    },
)

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
    "PgVectorCaseStore",
    "Provenance",
    "RecallConfig",
    "RecallStats",
    "ServerCaseStore",
    "TurnSummary",
    "content_hash",
]
