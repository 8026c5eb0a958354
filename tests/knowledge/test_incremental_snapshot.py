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


def _lexical_scores(kb: ChromaKnowledgeBase, queries: list[str]) -> list[list[float]]:
    ids, index = kb._lexical_index()
    return [sorted(zip(ids, index.scores(q).round(9).tolist(), strict=True)) for q in queries]


def test_an_edit_patches_the_term_counts_to_what_counting_every_passage_gives(
    tmp_path: Path,
) -> None:
    """The words of the passages an edit kept are not read again: their saved counts are kept
    and only the new passages counted; a fresh process then scores exactly as a base whose
    every passage was counted. Counts saved for another state, or broken, are never used."""
    one = tmp_path / "one.jsonl"
    packages = {f"pkg{i}": f"Package pkg{i} provides tool-{i} for task {i * 7}." for i in range(20)}
    _records(one, packages)
    db = tmp_path / "db"
    kb = ChromaKnowledgeBase("pkgs", db, HashingEmbedder())
    kb.ingest([one])
    queries = ["tool-3", "frobnicator daemon", "package task 14", "pkg19"]
    before = kb._read_snapshot()
    assert before is not None and kb._saved_counts(before) is not None

    edited = {k: v for k, v in packages.items() if k != "pkg4"}
    edited["pkg9"] = "Package pkg9 now ships the frobnicator daemon."
    _records(one, edited)
    with capture_logs() as logs:
        kb.ingest([one])
    assert "knowledge.snapshot_patched" in {e["event"] for e in logs}
    snap = kb._read_snapshot()
    assert snap is not None and snap.fingerprint != before.fingerprint
    assert kb._saved_counts(before) is None  # the file now holds the new state's counts
    assert kb._saved_counts(snap) is not None

    patched = ChromaKnowledgeBase("pkgs", db, HashingEmbedder())
    got = _lexical_scores(patched, queries)
    assert patched._opened is None  # counts read from beside the snapshot
    (db / "snapshot" / f"{kb._name}.bm25.npz").unlink()
    counted = ChromaKnowledgeBase("pkgs", db, HashingEmbedder())
    assert _lexical_scores(counted, queries) == got  # every passage counted again: the same
    assert patched.search("frobnicator daemon", 1)[0].doc_id == "pkg9"
    assert all(h.doc_id != "pkg4" for h in patched.search("tool-4", 5))

    # a broken counts file is counted again, not read
    lexical = db / "snapshot" / f"{kb._name}.bm25.npz"
    saved = np.load(lexical)
    arrays = {k: saved[k] for k in saved.files}
    arrays["doc"] = arrays["doc"] + 1000
    np.savez(lexical, **arrays)  # type: ignore[arg-type]
    broken = ChromaKnowledgeBase("pkgs", db, HashingEmbedder())
    assert broken._saved_counts(broken._read_snapshot()) is None  # type: ignore[arg-type]
    assert _lexical_scores(broken, queries) == got
