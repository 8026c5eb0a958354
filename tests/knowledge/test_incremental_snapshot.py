"""After an ingestion the read snapshot is patched with what it changed, not read back whole
through chromadb (issue 15: a one-document edit reread every passage and vector), and the
patched snapshot is the one a full reread of the collection gives. Real chromadb on disk."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import structlog
from structlog.testing import capture_logs

from agentroute.embeddings import HashingEmbedder
from agentroute.knowledge import ChromaKnowledgeBase

Row = tuple[str, str, str, tuple[float, ...]]


def _records(path: Path, records: dict[str, str]) -> None:
    path.write_text(
        "".join(json.dumps({"id": i, "text": t, "title": i}) + "\n" for i, t in records.items())
    )


def _table(ids: list[str], docs: list[str], metas: list[dict[str, Any]], vectors: Any) -> list[Row]:
    unit = np.asarray(vectors, dtype=np.float32)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    return sorted(
        (i, d, json.dumps(m, sort_keys=True), tuple(np.round(v, 5).tolist()))
        for i, d, m, v in zip(ids, docs, metas, unit, strict=True)
    )


def _snapshot_rows(kb: ChromaKnowledgeBase) -> list[Row]:
    snap = kb._read_snapshot()
    assert snap is not None
    return _table(snap.ids, snap.documents, snap.metadatas, snap.vectors)


@pytest.fixture(autouse=True)
def _debug_events() -> Iterator[None]:
    """Debug events reach ``capture_logs`` even after an in-process Agent configured logging
    at its default level (warnings) earlier in the session."""
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    yield
    structlog.configure(**saved)


def test_each_ingestion_patches_the_snapshot_to_what_a_reread_gives(tmp_path: Path) -> None:
    one, two, three = (tmp_path / f"{n}.jsonl" for n in ("one", "two", "three"))
    packages = {f"pkg{i}": f"Package pkg{i} provides tool {i} for task {i * 7}." for i in range(30)}
    _records(one, packages)
    _records(two, {"zeta": "Zeta lists the zones.", "eta": "Eta estimates arrival. " * 60})
    db = tmp_path / "db"
    kb = ChromaKnowledgeBase("pkgs", db, HashingEmbedder())
    kb.ingest([one, two])
    edited = {k: v for k, v in packages.items() if k != "pkg4"}
    edited["pkg9"] = "Package pkg9 now ships the frobnicator daemon."
    _records(one, edited)
    _records(three, {"theta": "Theta measures angles."})
    steps = [[one, two], [one, two, three], [one, three]]  # edit+delete, new file, file gone
    for files in steps:
        with capture_logs() as logs:
            report = kb.ingest(files)
        assert report.changed
        assert "knowledge.snapshot_patched" in {e["event"] for e in logs}
        on_disk = ChromaKnowledgeBase("pkgs", db, HashingEmbedder())
        # what a fresh process reads, what this one holds, what chromadb has: the same
        assert _snapshot_rows(on_disk) == _snapshot_rows(kb) == _table(*kb._all_rows())
    assert kb.search("frobnicator daemon", 1)[0].doc_id == "pkg9"
    assert {"pkg4", "zeta", "eta"}.isdisjoint(kb.doc_ids()) and "theta" in kb.doc_ids()
    assert kb.count() == 30
