"""Ingestion is incremental by content (issue 15): unchanged files are not read, a changed
document alone is embedded again, a deleted document or a file no longer listed is never
retrieved again, and directories and globs name their files. Real chromadb on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, DocumentFileError
from agentroute.knowledge._files import expand_sources


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return super().embed(texts)


def _records(path: Path, records: dict[str, str]) -> None:
    path.write_text(
        "".join(json.dumps({"id": i, "text": t, "title": i}) + "\n" for i, t in records.items())
    )


PACKAGES = {
    f"pkg{i}": f"Package pkg{i} provides the tool number {i} for task {i * 7}." for i in range(40)
}


def test_one_changed_document_alone_is_embedded_again(tmp_path: Path) -> None:
    corpus = tmp_path / "packages.jsonl"
    _records(corpus, PACKAGES)
    embedder = CountingEmbedder()
    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", embedder)
    first = kb.ingest([corpus])
    assert (first.documents_added, first.chunks_written) == (40, 40)
    embedder.texts = 0
    again = kb.ingest([corpus])
    assert (again.files_unchanged, again.files_read, again.changed) == (1, 0, False)
    assert embedder.texts == 0

    edited = {**PACKAGES, "pkg7": "Package pkg7 now ships the frobnicator daemon."}
    _records(corpus, edited)
    report = kb.ingest([corpus])
    assert (report.documents_updated, report.documents_unchanged) == (1, 39)
    assert report.chunks_written == 1 and embedder.texts == 1
    hit = kb.search("frobnicator daemon", 1)[0]
    assert (hit.doc_id, "frobnicator" in hit.text) == ("pkg7", True)
    assert kb.count() == 40


def test_a_deleted_document_is_never_retrieved(tmp_path: Path) -> None:
    corpus = tmp_path / "packages.jsonl"
    _records(corpus, PACKAGES)
    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", HashingEmbedder())
    kb.ingest([corpus])
    assert kb.search(PACKAGES["pkg3"], 1)[0].doc_id == "pkg3"
    _records(corpus, {k: v for k, v in PACKAGES.items() if k != "pkg3"})
    report = kb.ingest([corpus])
    assert report.documents_removed == 1
    assert "pkg3" not in {h.doc_id for h in kb.search(PACKAGES["pkg3"], 40)}
    reopened = ChromaKnowledgeBase("pkgs", tmp_path / "db", HashingEmbedder())
    assert "pkg3" not in reopened.doc_ids() and reopened.count() == 39


def test_a_file_no_longer_listed_leaves_the_base(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Aardvarks\nAardvarks dig burrows at night.\n")
    (tmp_path / "b.md").write_text("# Bees\nBees dance to tell where flowers are.\n")
    kb = ChromaKnowledgeBase("notes", tmp_path / "db", HashingEmbedder())
    kb.ingest([tmp_path / "a.md", tmp_path / "b.md"])
    report = kb.ingest([tmp_path / "a.md"])
    assert (report.files_removed, report.documents_removed) == (1, 1)
    assert kb.doc_ids() == {"a.md"}
    assert all(h.doc_id == "a.md" for h in kb.search("bees dance", 5))


def test_a_document_may_move_between_files(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    _records(one, {"x": "Xylophones are struck with mallets.", "y": "Yaks live in Tibet."})
    _records(two, {"z": "Zebras have stripes."})
    kb = ChromaKnowledgeBase("m", tmp_path / "db", HashingEmbedder())
    kb.ingest([one, two])
    _records(one, {"y": "Yaks live in Tibet."})
    _records(two, {"z": "Zebras have stripes.", "x": "Xylophones are struck with mallets."})
    kb.ingest([one, two])
    assert kb.doc_ids() == {"x", "y", "z"} and kb.count() == 3
    _records(two, {"z": "Zebras have stripes.", "y": "Yaks again."})
    with pytest.raises(DocumentFileError, match=r"two.jsonl: document id 'y' is also in .*one"):
        kb.ingest([one, two])


def test_a_dry_run_counts_and_writes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "packages.jsonl"
    _records(corpus, PACKAGES)
    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", HashingEmbedder())
    kb.ingest([corpus])
    _records(corpus, {**{k: v for k, v in PACKAGES.items() if k != "pkg1"}, "new": "New one."})
    planned = kb.ingest([corpus], dry_run=True)
    assert (planned.documents_added, planned.documents_removed) == (1, 1)
    assert "pkg1" in kb.doc_ids() and "new" not in kb.doc_ids()
    done = kb.ingest([corpus])
    assert (done.documents_added, done.documents_removed) == (1, 1)


def test_progress_follows_the_chunks_embedded(tmp_path: Path) -> None:
    corpus = tmp_path / "packages.jsonl"
    _records(corpus, PACKAGES)
    seen: list[tuple[int, int]] = []
    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", HashingEmbedder())
    kb.ingest([corpus], on_progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (40, 40)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


class ShrinkingEmbedder(HashingEmbedder):
    """The hashing embedder whose vectors lose half their width after the first call: the
    store refuses the second slice (chromadb checks the dimension)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        vectors = super().embed(texts)
        return vectors if self.calls == 1 else [v[: len(v) // 2] for v in vectors]


def test_slices_are_stored_while_the_next_is_embedded(tmp_path: Path) -> None:
    """The store writes one slice while the embedder runs the next: every slice reported
    once, in order, and every chunk stored and found."""
    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", HashingEmbedder())
    slices: list[int] = []
    docs = [Document(id=i, text=t, title=i) for i, t in PACKAGES.items()]
    assert kb.add(docs, batch_size=7, on_batch=slices.append) == 40
    assert slices == [7, 7, 7, 7, 7, 5]
    assert kb.count() == 40 and kb.doc_ids() == set(PACKAGES)
    assert kb.search("tool number 17", 1)[0].doc_id == "pkg17"


def test_a_failed_write_is_raised_not_lost(tmp_path: Path) -> None:
    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", ShrinkingEmbedder())
    slices: list[int] = []
    docs = [Document(id=i, text=t, title=i) for i, t in PACKAGES.items()]
    with pytest.raises(Exception, match="dimension"):
        kb.add(docs, batch_size=10, on_batch=slices.append)
    assert slices == [10]  # the first slice was stored, the second refused
    assert kb.count() == 10


def test_directories_and_globs_name_their_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "api").mkdir()
    (docs / ".git").mkdir()
    (docs / "guide" / "README.md").write_text("# Guide\nHow to start.\n")
    (docs / "api" / "README.md").write_text("# API\nThe calls.\n")
    (docs / "logo.png").write_bytes(b"\x89PNG")
    (docs / ".git" / "HEAD.txt").write_text("ref")
    found = {s.text_id: s.path.name for s in expand_sources([docs])}
    assert found == {"api/README.md": "README.md", "guide/README.md": "README.md"}
    globbed = expand_sources([docs / "**" / "*.md"])
    assert sorted(s.text_id for s in globbed) == ["api/README.md", "guide/README.md"]
    with pytest.raises(DocumentFileError, match="also"):  # two README.md named alone
        expand_sources([docs / "guide" / "README.md", docs / "api" / "README.md"])
    with pytest.raises(DocumentFileError, match="matches no document file"):
        expand_sources([docs / "*.rst"])
    with pytest.raises(DocumentFileError, match=r"passed over 1 other file\(s\): logo.png"):
        expand_sources([docs / "*.png"])
    with pytest.raises(DocumentFileError, match="no such document file"):
        expand_sources([docs / "missing.md"])
    kb = ChromaKnowledgeBase("docs", tmp_path / "db", HashingEmbedder())
    kb.ingest([docs])
    assert kb.doc_ids() == {"api/README.md", "guide/README.md"}
