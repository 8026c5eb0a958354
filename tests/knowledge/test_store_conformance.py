"""One knowledge base, three stores (issue 15 item 6, issue 18): every test here runs on embedded
chromadb on disk, on a real Chroma server (``chroma run``) and on a real PostgreSQL with pgvector,
through the ``store`` parameter. Ingestion (add, update, delete, files dropped), search, ``where``
filters, the embedder guard and removal must behave the same on each."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agentroute._postgres import PostgresServer
from agentroute.embeddings import EmbedderMismatchError, HashingEmbedder, MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, ChromaServer, Document
from tests.chroma_server import server_for_test


@dataclass
class Store:
    """Where the bases of one test live: ``folder`` on disk, or ``server`` (a database of the
    test's own)."""

    folder: Path
    server: ChromaServer | PostgresServer | None

    def open(self, name: str, embedder: Any, **kwargs: Any) -> ChromaKnowledgeBase:
        return ChromaKnowledgeBase(name, self.folder, embedder, server=self.server, **kwargs)


@pytest.fixture(params=["embedded", "server", "pgvector"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "embedded":
        return Store(tmp_path / "db", None)
    if request.param == "pgvector":
        return Store(tmp_path / "db", PostgresServer(url=request.getfixturevalue("pgvector_db")))
    url = request.getfixturevalue("chroma_server_url")
    return Store(tmp_path / "db", server_for_test(url))


def _records(path: Path, records: dict[str, str]) -> None:
    path.write_text(
        "".join(json.dumps({"id": i, "text": t, "title": i}) + "\n" for i, t in records.items())
    )


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return super().embed(texts)


PACKAGES = {
    f"pkg{i}": f"Package pkg{i} provides the tool number {i} for task {i * 7}." for i in range(30)
}


def test_ingest_adds_updates_and_deletes(store: Store, tmp_path: Path) -> None:
    corpus = tmp_path / "packages.jsonl"
    _records(corpus, PACKAGES)
    embedder = CountingEmbedder()
    kb = store.open("pkgs", embedder)
    first = kb.ingest([corpus])
    assert (first.documents_added, first.chunks_written) == (30, 30)
    embedder.texts = 0
    assert not kb.ingest([corpus]).changed and embedder.texts == 0

    edited = {k: v for k, v in PACKAGES.items() if k != "pkg3"}
    edited["pkg7"] = "Package pkg7 now ships the frobnicator daemon."
    _records(corpus, edited)
    status = kb.ingest([corpus], dry_run=True)
    assert (status.documents_updated, status.documents_removed) == (1, 1)
    report = kb.ingest([corpus])
    assert (report.documents_updated, report.documents_removed, report.chunks_written) == (1, 1, 1)
    assert embedder.texts == 1
    hit = kb.search("frobnicator daemon", 1)[0]
    assert (hit.doc_id, "frobnicator" in hit.text) == ("pkg7", True)
    assert "pkg3" not in {h.doc_id for h in kb.search(PACKAGES["pkg3"], 30)}

    reopened = store.open("pkgs", HashingEmbedder())  # another process's view, same store
    assert reopened.count() == 29 and "pkg3" not in reopened.doc_ids()
    assert not reopened.ingest([corpus]).changed


def test_a_file_no_longer_listed_leaves_the_base(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Aardvarks\nAardvarks dig burrows at night.\n")
    (tmp_path / "b.md").write_text("# Bees\nBees dance to tell where flowers are.\n")
    kb = store.open("notes", HashingEmbedder())
    kb.ingest([tmp_path / "a.md", tmp_path / "b.md"])
    report = kb.ingest([tmp_path / "a.md"])
    assert (report.files_removed, report.documents_removed) == (1, 1)
    assert kb.doc_ids() == {"a.md"}
    assert all(h.doc_id == "a.md" for h in kb.search("bees dance", 5))


GEO: dict[str, str | int | float | bool] = {"topic": "geo"}
DOCS = [
    Document(id="bell", title="Telephone", text="Alexander Graham Bell patented the telephone."),
    Document(id="light", title="Light", text="Light travels at 299,792,458 metres per second."),
    Document(id="paris", title="France", text="Paris is the capital of France.", metadata=GEO),
    Document(id="rome", title="Italy", text="Rome is the capital of Italy.", metadata=GEO),
]


async def test_search_and_invoke_cite_their_passages(store: Store, minilm: MiniLMEmbedder) -> None:
    kb = store.open("demo", minilm, description="demo facts")
    assert kb.add(DOCS) == 4 and kb.count() == 4
    hit = kb.search("What is France's capital city?", 3)[0]
    assert (hit.doc_id, hit.title, hit.metadata) == ("paris", "France", {"topic": "geo"})
    assert 0.5 < hit.similarity <= 1.0
    obs = await kb.invoke("s1", "Who patented the telephone?", None, timeout=30)
    assert obs.ok, obs.error
    assert [s.ref for s in obs.sources] == ["bell"]
    assert "Alexander Graham Bell patented the telephone." in obs.result
    assert not (await kb.invoke("s2", "A recipe for chocolate cake", None, timeout=30)).ok
    assert (await kb.health()).ok


async def test_where_filters_on_the_base_and_per_call(store: Store) -> None:
    kb = store.open("filtered", HashingEmbedder())
    kb.add(DOCS)
    assert {h.doc_id for h in kb.search("capital", 4, where={"topic": "geo"})} == {"paris", "rome"}
    geo = store.open("filtered", HashingEmbedder(), where={"topic": "geo"})
    assert {h.doc_id for h in geo.search("telephone light", 4)} == {"paris", "rome"}
    only_rome = {"doc_id": {"$in": ["rome"]}}
    assert [h.doc_id for h in geo.search("capital", 4, where=only_rome)] == ["rome"]
    bad = await kb.invoke("s1", "capital", {"where": {"topic": {"$nope": 1}}}, timeout=30)
    assert not bad.ok and "invalid 'where'" in (bad.error or "")


def test_another_embedder_is_refused_and_destroy_removes(store: Store) -> None:
    store.open("guarded", HashingEmbedder(64)).add(DOCS)
    with pytest.raises(EmbedderMismatchError, match="hashing-64"):
        store.open("guarded", HashingEmbedder(128))
    assert ChromaKnowledgeBase.destroy("guarded", store.folder, store.server)
    assert not ChromaKnowledgeBase.destroy("guarded", store.folder, store.server)
    assert store.open("guarded", HashingEmbedder(128)).count() == 0


def test_the_server_store_writes_nothing_on_disk(chroma_server_url: str, tmp_path: Path) -> None:
    kb = Store(tmp_path / "db", server_for_test(chroma_server_url)).open("x", HashingEmbedder())
    kb.add(DOCS)
    assert kb.count() == 4 and not (tmp_path / "db").exists()


def test_a_base_on_a_server_sees_what_another_process_wrote(
    chroma_server_url: str, tmp_path: Path
) -> None:
    server = server_for_test(chroma_server_url)
    kb = Store(tmp_path, server).open("shared", HashingEmbedder())
    kb.add(DOCS[:1])
    assert [h.doc_id for h in kb.search("telephone", 3)] == ["bell"]
    code = textwrap.dedent(
        f"""
        from agentroute.embeddings import HashingEmbedder
        from agentroute.knowledge import ChromaKnowledgeBase, ChromaServer, Document
        server = ChromaServer.model_validate_json({server.model_dump_json()!r})
        kb = ChromaKnowledgeBase("shared", {str(tmp_path)!r}, HashingEmbedder(), server=server)
        kb.add([Document(id="rome", text="Rome is the capital of Italy.")])
        """
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert other.returncode == 0, other.stderr
    assert [h.doc_id for h in kb.search("capital of Italy", 3)] == ["rome", "bell"]
    assert kb.count() == 2


def test_ingestion_on_a_server_reads_what_another_process_ingested(
    chroma_server_url: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "packages.jsonl"
    _records(corpus, PACKAGES)
    store = Store(tmp_path, server_for_test(chroma_server_url))
    first, second = store.open("pkgs", HashingEmbedder()), store.open("pkgs", HashingEmbedder())
    assert first.ingest([corpus]).documents_added == 30
    again = second.ingest([corpus])  # opened before the first ingested: nothing to do
    assert (again.files_unchanged, again.files_read, again.chunks_written) == (1, 0, 0)
