"""A knowledge base's read snapshot (issue 14): the same answers as chromadb on a real on-disk
base, never used once the collection changed, and no chromadb import for a base that is read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from agentroute.embeddings import HashingEmbedder, MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

DOCS = [
    Document(id=f"d{i}", title=f"Topic {i}", text=text)
    for i, text in enumerate(
        [
            "The speed of light in vacuum is 299,792,458 metres per second.",
            "Water boils at 100 degrees Celsius at sea level.",
            "Paris is the capital of France, on the Seine.",
            "The kilogram is defined by fixing the Planck constant.",
            "Mount Everest is the highest mountain above sea level.",
            "Penicillin was discovered by Alexander Fleming in 1928.",
            "The Danube flows through ten countries into the Black Sea.",
            "Jupiter is the largest planet in the Solar System.",
        ]
    )
]
QUERIES = [
    "how fast is light",
    "boiling point of water",
    "capital of France",
    "who found penicillin",
    "largest planet",
    "the highest mountain",
    "rivers into the Black Sea",
    "definition of the kilogram",
]


def _hits(kb: ChromaKnowledgeBase) -> list[list[tuple[float, str, str, str]]]:
    """Each query's hits as (similarity to 5 places, id, text, metadata), ties ordered by id:
    passages at the same similarity may come in either order from HNSW."""
    return [
        sorted(
            (-round(h.similarity, 5), h.chunk_id, h.text, json.dumps(h.metadata))
            for h in kb.search(q, 4)
        )
        for q in QUERIES
    ]


def test_snapshot_and_chromadb_answer_alike(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    emb = minilm
    written = ChromaKnowledgeBase("facts", tmp_path / "kb", emb)
    written.add(DOCS)
    written.refresh_snapshot()
    snapped = ChromaKnowledgeBase("facts", tmp_path / "kb", emb)
    from_snapshot = _hits(snapped)
    assert snapped._opened is None  # the reads above never opened chromadb
    assert (tmp_path / "kb" / "snapshot" / "kb.facts.json").exists()
    shutil.copytree(tmp_path / "kb", tmp_path / "plain")
    shutil.rmtree(tmp_path / "plain" / "snapshot")
    through = ChromaKnowledgeBase("facts", tmp_path / "plain", emb)
    through._read_snapshot = lambda: None  # type: ignore[method-assign]
    from_chroma = _hits(through)
    assert through._opened is not None
    assert from_snapshot == from_chroma
    assert snapped.passages() == through.passages()
    assert snapped.count() == through.count() == len(DOCS)
    assert snapped.doc_ids() == through.doc_ids()


def test_a_changed_collection_makes_the_snapshot_stale(tmp_path: Path) -> None:
    emb = HashingEmbedder(dim=256)
    path = tmp_path / "kb"
    ChromaKnowledgeBase("facts", path, emb).add(DOCS[:4])
    first = ChromaKnowledgeBase("facts", path, emb)
    assert first.count() == 4  # snapshot written
    kept = tmp_path / "old-snapshot"
    shutil.copytree(path / "snapshot", kept)
    writer = ChromaKnowledgeBase("facts", path, emb)
    writer.add(DOCS[4:])  # another writer changes the collection
    shutil.rmtree(path / "snapshot")
    shutil.copytree(kept, path / "snapshot")  # the old snapshot back in place
    reader = ChromaKnowledgeBase("facts", path, emb)
    assert reader.count() == len(DOCS)
    assert reader.search("largest planet", 1)[0].doc_id == "d7"
    writer.mark_indexed("abc")  # a metadata change alone outdates it too
    assert ChromaKnowledgeBase("facts", path, emb).content_hash == "abc"


def test_reading_a_base_in_a_fresh_process_imports_no_chromadb(tmp_path: Path) -> None:
    emb = HashingEmbedder(dim=256)
    kb = ChromaKnowledgeBase("facts", tmp_path, emb)
    kb.add(DOCS)
    kb.refresh_snapshot()
    code = textwrap.dedent(
        f"""
        import sys
        from agentroute.embeddings import HashingEmbedder, MiniLMEmbedder
        from agentroute.knowledge import ChromaKnowledgeBase
        kb = ChromaKnowledgeBase("facts", {str(tmp_path)!r}, HashingEmbedder(dim=256))
        print(kb.count(), kb.search("capital of France", 1)[0].doc_id, "chromadb" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split()[-3:] == [str(len(DOCS)), "d2", "False"]
