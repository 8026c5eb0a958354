"""A store keeps the case bodies it saw journaled once a batch moves them into chromadb: a
recall under load (another worker applying a batch, chromadb's file not current) must not wait
for the bank's apply lock to read back a case this process already holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore


def _rewrite_stored_body(db: Path, old: str, new: str) -> None:
    """Change chromadb's stored copy of the documents, so a read of it is visible."""
    with sqlite3.connect(db) as con:
        changed = con.execute(
            "UPDATE embedding_metadata SET string_value = replace(string_value, ?, ?) "
            "WHERE key = 'chroma:document'",
            (old, new),
        ).rowcount
    assert changed == 1


def test_a_body_seen_in_the_journal_is_not_read_back_from_chromadb(tmp_path: Path, mk: Any) -> None:
    emb = HashingEmbedder(dim=128)
    path = tmp_path / "bank"
    case = mk("weather in Paris tomorrow", namespace="ns")
    with ChromaCaseStore(path, emb) as writer, ChromaCaseStore(path, emb) as reader:
        writer.put(case, emb.embed([case.task])[0])
        assert reader.get(case.id, namespace="ns") == case  # from the journal
        writer.flush()  # into chromadb
        reader.flush()  # nothing left to apply: the reader prunes what chromadb holds
        _rewrite_stored_body(path / "chroma" / "chroma.sqlite3", "sunny", "rainy")
        assert reader.get(case.id, namespace="ns") == case
        [(found, _)] = reader.search(emb.embed([case.task])[0], namespace="ns", n=1)
        assert found == case
    with ChromaCaseStore(path, emb) as fresh:  # a store that never saw it reads chromadb
        stored = fresh.get(case.id, namespace="ns")
        assert stored is not None and "rainy" in stored.answer
