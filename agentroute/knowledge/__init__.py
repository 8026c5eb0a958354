"""Knowledge bases as routing targets.

* :class:`ChromaKnowledgeBase`: documents chunked and embedded into a persistent chromadb
  collection, on disk, on a Chroma server (:class:`ChromaServer`) or in PostgreSQL with
  pgvector (:class:`PostgresServer`, the address chat threads use too); answers with the best
  passages, quoted, with their document ids.
* :class:`GraphKnowledgeBase`: entities and relations in a networkx graph; answers with
  multi-hop relation paths (``Paris —capital_of→ France``) and their sources.
* :func:`search_bases`: several bases searched as one ranked list.
* :func:`build_default_knowledge` and :func:`default_graph`: the small bundled corpus of the
  embedded default.

Retrieved knowledge is data, never instructions: results are rendered as quoted text.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute._chroma_client import ChromaServer, ChromaServerError
    from agentroute._postgres import PostgresError, PostgresServer
    from agentroute.embeddings import EmbedderMismatchError
    from agentroute.knowledge._chroma_kb import DEFAULT_MIN_SIMILARITY, ChromaKnowledgeBase
    from agentroute.knowledge._defaults import build_default_knowledge, corpus_path, default_graph
    from agentroute.knowledge._documents import Document, Hit
    from agentroute.knowledge._files import DocumentFileError, load_documents
    from agentroute.knowledge._graph_kb import (
        EntityMatch,
        GraphKnowledgeBase,
        GraphPath,
        Triple,
        TriplesFileError,
    )
    from agentroute.knowledge._hops import Chain, Hop, answer_in_hops
    from agentroute.knowledge._merge import BaseHit, search_bases

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ChromaServer": "agentroute._chroma_client",
        "ChromaServerError": "agentroute._chroma_client",
        "PostgresError": "agentroute._postgres",
        "PostgresServer": "agentroute._postgres",
        "EmbedderMismatchError": "agentroute.embeddings",
        "DEFAULT_MIN_SIMILARITY": "agentroute.knowledge._chroma_kb",
        "ChromaKnowledgeBase": "agentroute.knowledge._chroma_kb",
        "build_default_knowledge": "agentroute.knowledge._defaults",
        "corpus_path": "agentroute.knowledge._defaults",
        "default_graph": "agentroute.knowledge._defaults",
        "Document": "agentroute.knowledge._documents",
        "Hit": "agentroute.knowledge._documents",
        "DocumentFileError": "agentroute.knowledge._files",
        "load_documents": "agentroute.knowledge._files",
        "EntityMatch": "agentroute.knowledge._graph_kb",
        "GraphKnowledgeBase": "agentroute.knowledge._graph_kb",
        "GraphPath": "agentroute.knowledge._graph_kb",
        "Triple": "agentroute.knowledge._graph_kb",
        "TriplesFileError": "agentroute.knowledge._graph_kb",
        "Chain": "agentroute.knowledge._hops",
        "Hop": "agentroute.knowledge._hops",
        "answer_in_hops": "agentroute.knowledge._hops",
        "BaseHit": "agentroute.knowledge._merge",
        "search_bases": "agentroute.knowledge._merge",
    },
)

__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "BaseHit",
    "Chain",
    "ChromaKnowledgeBase",
    "ChromaServer",
    "ChromaServerError",
    "Document",
    "DocumentFileError",
    "EmbedderMismatchError",
    "EntityMatch",
    "GraphKnowledgeBase",
    "GraphPath",
    "Hit",
    "Hop",
    "PostgresError",
    "PostgresServer",
    "Triple",
    "TriplesFileError",
    "answer_in_hops",
    "build_default_knowledge",
    "corpus_path",
    "default_graph",
    "load_documents",
    "search_bases",
]
