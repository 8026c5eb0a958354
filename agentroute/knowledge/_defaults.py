"""The knowledge bases of the embedded default: a small factual corpus shipped in the package,
indexed once into an on-disk chromadb collection, and a geography graph."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from agentroute._log import get_logger
from agentroute.embeddings import Embedder, EmbedderMismatchError
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.knowledge._chroma_kb import ChromaKnowledgeBase
from agentroute.knowledge._chunking import CHUNKER
from agentroute.knowledge._files import load_documents

if TYPE_CHECKING:  # networkx: only for the graph base
    from agentroute.knowledge._graph_kb import GraphKnowledgeBase

__all__ = ["build_default_knowledge", "corpus_path", "default_graph"]

log = get_logger(__name__)

FACTS_DESCRIPTION = (
    "Encyclopedic reference facts: SI units and their definitions, physical and chemical "
    "constants, elements, world countries with their capitals, languages and currencies, "
    "rivers, mountains, oceans and continents, famous inventions and who invented them, "
    "famous scientists and their discoveries, basic astronomy."
)
FACTS_DOMAINS = ["science", "physics", "chemistry", "units", "geography", "inventions"]
FACTS_EXAMPLES = [
    "What is the capital of France?",
    "Who invented the telephone?",
    "What is the speed of light?",
    "How is the kilogram defined?",
    "At what temperature does water boil?",
    "Who discovered penicillin?",
    "What is the highest mountain in the world?",
    "What is the SI unit of force?",
    "When did the Wright brothers first fly?",
    "Which planet is the largest in the Solar System?",
]
GRAPH_DESCRIPTION = (
    "Geography knowledge graph: countries, capitals, continents, official languages, "
    "currencies, rivers (which countries they flow through and where they end), borders and "
    "mountains. Answers multi-hop questions by following relations."
)
GRAPH_EXAMPLES = [
    "Which continent is the capital of France on?",
    "Which countries does the Danube flow through?",
    "What currency is used in Japan?",
    "Which countries border Austria?",
    "Which river does Vienna lie on?",
    "What is the official language of Brazil?",
]


def corpus_path(name: str) -> Path:
    """A file of the bundled corpus (``facts.jsonl``, ``geography_triples.json``)."""
    return Path(str(resources.files("agentroute.knowledge") / "corpus" / name))


def build_default_knowledge(
    path: str | Path, embedder: Embedder | None = None, vectors: TextVectorCache | None = None
) -> ChromaKnowledgeBase:
    """Open (creating if needed) the on-disk knowledge base ``facts`` under ``path`` and index
    the bundled corpus, once: a content hash of the corpus and the embedder id is stored with
    the collection, so later starts skip embedding entirely. With ``vectors`` (the user's
    cache), a first start in another data directory reads the passages' vectors back instead
    of embedding them again."""

    def open_kb() -> ChromaKnowledgeBase:
        return ChromaKnowledgeBase(
            "facts",
            path,
            embedder,
            description=FACTS_DESCRIPTION,
            domains=FACTS_DOMAINS,
            examples=FACTS_EXAMPLES,
            vectors=vectors,
        )

    try:
        kb = open_kb()
    except EmbedderMismatchError as exc:
        # Only bundled data lives here: rebuilding with the new embedder loses nothing.
        log.warning("knowledge.default_rebuild", path=str(path), reason=str(exc))
        ChromaKnowledgeBase.destroy("facts", path)
        kb = open_kb()
    corpus = corpus_path("facts.jsonl")
    digest = hashlib.sha256(
        corpus.read_bytes() + kb.embedder.id.encode() + CHUNKER.encode()
    ).hexdigest()
    if kb.content_hash == digest:
        log.debug("knowledge.default_up_to_date", path=str(path), passages=kb.count())
        return kb
    docs = load_documents(corpus)
    # Replace whatever an older corpus left behind, then index the current one.
    stale = kb.doc_ids() - {d.id for d in docs}
    if stale:
        kb.delete(sorted(stale))
    kb.add(docs)
    kb.mark_indexed(digest)
    kb.refresh_snapshot()
    log.info("knowledge.default_indexed", path=str(path), documents=len(docs))
    return kb


def default_graph(embedder: Embedder | None = None) -> GraphKnowledgeBase:
    """The bundled geography graph (loaded from the package, in memory; a few milliseconds)."""
    from agentroute.knowledge._graph_kb import GraphKnowledgeBase

    return GraphKnowledgeBase.from_file(
        "geography",
        corpus_path("geography_triples.json"),
        embedder=embedder,
        description=GRAPH_DESCRIPTION,
        domains=["geography"],
        examples=GRAPH_EXAMPLES,
    )
