"""What one ingestion of a base's files did, and how a document is recognised as unchanged.

Ingestion is incremental by content: a file whose bytes (and the embedder and chunking) are as
last time is not read again; in a file that changed, only the documents whose content hash
changed are embedded again, and the ones it no longer holds are removed, as are the documents
of files no longer listed. A deleted document is never retrieved again.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

from agentroute.knowledge._documents import Document

__all__ = ["IngestReport", "document_hash"]


class IngestReport(BaseModel):
    """Counts of one ingestion, for the summary a user reads (``agentroute kb ingest``)."""

    base: str
    files_unchanged: int = 0
    files_read: int = 0
    files_removed: int = 0
    documents_added: int = 0
    documents_updated: int = 0
    documents_removed: int = 0
    documents_unchanged: int = 0
    chunks_written: int = 0
    seconds: float = 0.0
    unreadable: list[str] = []
    """Files the base names that could not be read (``path: reason``; permissions, bytes
    that are not UTF-8, a broken JSONL line): skipped, their passages as last ingested, so
    one file never stops the base or the agent."""
    replaced_for: str | None = None
    """Another configuration file whose documents this ingestion removed: both keep their data
    in one directory, and each of their runs embeds its own documents again."""

    @property
    def replaced_said(self) -> str | None:
        """``replaced_for`` as the user reads it, with what to change; ``None`` without one."""
        if self.replaced_for is None:
            return None
        return (
            f"knowledge base {self.base!r} was last ingested for {self.replaced_for}, which "
            "names other documents: ingesting this configuration's removes them, and that "
            "one's next run embeds them again. The two configurations share one data directory: give one of "
            "them its own [agent] data_dir (or its base another name)"
        )

    @property
    def changed(self) -> bool:
        return bool(
            self.documents_added
            or self.documents_updated
            or self.documents_removed
            or self.files_removed
        )


def document_hash(doc: Document, chunking: str) -> str:
    """The hash of everything a document's stored chunks are made from (``chunking``: how it
    is cut, with what length)."""
    payload = [doc.text, doc.title, doc.source, sorted(doc.metadata.items()), chunking]
    return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()[:32]
