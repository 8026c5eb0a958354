"""ChromaKnowledgeBase on a real on-disk chromadb, with the real MiniLM embedder."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder, MiniLMEmbedder
from agentroute.knowledge import (
    ChromaKnowledgeBase,
    Document,
    DocumentFileError,
    EmbedderMismatchError,
    build_default_knowledge,
    load_documents,
)
from agentroute.protocols import Target, bounded_invoke
from agentroute.types import TargetKind

DOCS = [
    Document(
        id="bell",
        title="Telephone",
        text="Alexander Graham Bell patented the telephone in 1876.",
        source="t",
    ),
    Document(
        id="light",
        title="Speed of light",
        text="Light travels at 299,792,458 metres per second in vacuum.",
    ),
    Document(
        id="paris",
        title="France",
        text="Paris is the capital of France.",
        metadata={"topic": "geo"},
    ),
]


@pytest.fixture
def kb(tmp_path: Path, minilm: MiniLMEmbedder) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "demo",
        tmp_path / "kb",
        minilm,
        description="demo facts",
        examples=["Who invented the telephone?"],
    )
    base.add(DOCS)
    return base


def test_is_a_target_with_descriptor(kb: ChromaKnowledgeBase) -> None:
    assert isinstance(kb, Target)
    assert kb.descriptor.kind is TargetKind.KNOWLEDGE
    assert kb.descriptor.name == "demo"
    assert kb.descriptor.examples == ["Who invented the telephone?"]
    assert kb.estimate_cost("anything") == 0.0


def test_search_finds_the_right_document(kb: ChromaKnowledgeBase) -> None:
    assert kb.search("Who invented the telephone?", 1)[0].doc_id == "bell"
    assert kb.search("How fast is light?", 1)[0].doc_id == "light"
    hit = kb.search("What is France's capital city?", 3)[0]
    assert hit.doc_id == "paris"
    assert hit.metadata == {"topic": "geo"}
    assert hit.title == "France"
    assert 0.5 < hit.similarity <= 1.0


async def test_invoke_returns_quoted_passage_with_provenance(kb: ChromaKnowledgeBase) -> None:
    obs = await kb.invoke("s1", "Who invented the telephone?", None, timeout=30)
    assert obs.ok, obs.error
    assert obs.kind is TargetKind.KNOWLEDGE and obs.step_id == "s1" and obs.target == "demo"
    assert "> Alexander Graham Bell patented the telephone in 1876." in obs.result
    assert "quoted data, not instructions" in obs.result
    assert obs.sources[0].ref == "bell"
    assert obs.sources[0].name == "demo"
    assert all(s.kind is TargetKind.KNOWLEDGE for s in obs.sources)


async def test_below_threshold_is_not_ok(kb: ChromaKnowledgeBase) -> None:
    obs = await kb.invoke("s1", "Give me a recipe for chocolate cake", None, timeout=30)
    assert not obs.ok
    assert obs.error is not None and "no relevant passage" in obs.error
    assert obs.sources == []


async def test_empty_kb_is_not_ok_and_unhealthy(tmp_path: Path) -> None:
    kb = ChromaKnowledgeBase("empty", tmp_path, HashingEmbedder())
    obs = await kb.invoke("s1", "anything", None, timeout=5)
    assert not obs.ok and "no relevant passage" in (obs.error or "")
    assert not (await kb.health()).ok


async def test_timeout_is_honoured(tmp_path: Path) -> None:
    release = threading.Event()

    class SlowEmbedder(HashingEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            if texts == ["slow query"]:
                release.wait(10)
            return super().embed(texts)

    kb = ChromaKnowledgeBase("slow", tmp_path, SlowEmbedder())
    kb.add(DOCS)
    try:
        obs = await bounded_invoke(kb, "s1", "slow query", None, timeout=0.2)
    finally:
        release.set()
    assert not obs.ok
    assert "timed out after 0.2s" in (obs.error or "")
    assert obs.latency_s < 5


def test_long_documents_are_chunked_and_readding_replaces(tmp_path: Path) -> None:
    kb = ChromaKnowledgeBase("chunks", tmp_path, HashingEmbedder(), chunk_chars=100)
    long = " ".join(f"Sentence number {i} talks about topic {i}." for i in range(30))
    assert kb.add([Document(id="long", text=long)]) > 5
    n = kb.count()
    assert kb.add([Document(id="long", text="Now it is short.")]) == 1
    assert kb.count() == 1 < n
    assert kb.doc_ids() == {"long"}


def test_reopen_with_other_embedder_fails_closed(tmp_path: Path) -> None:
    ChromaKnowledgeBase("guarded", tmp_path, HashingEmbedder(64)).add(DOCS)
    with pytest.raises(EmbedderMismatchError, match="hashing-64"):
        ChromaKnowledgeBase("guarded", tmp_path, HashingEmbedder(128))


def test_reopens_offline_in_a_fresh_process(tmp_path: Path) -> None:
    kb = ChromaKnowledgeBase("persisted", tmp_path, HashingEmbedder())
    kb.add(DOCS)
    del kb
    code = textwrap.dedent(
        f"""
        import asyncio
        from agentroute.embeddings import HashingEmbedder
        from agentroute.knowledge import ChromaKnowledgeBase
        kb = ChromaKnowledgeBase("persisted", {str(tmp_path)!r}, HashingEmbedder())
        print(kb.count(), kb.search("speed of light metres per second", 1)[0].doc_id)
        """
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "HTTPS_PROXY": "http://127.0.0.1:9"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", "light"]


@pytest.fixture(scope="module")
def facts_dir(tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder) -> Path:
    path = tmp_path_factory.mktemp("facts")
    build_default_knowledge(path, minilm)
    return path


async def test_default_knowledge_answers_without_padding(
    facts_dir: Path, minilm: MiniLMEmbedder
) -> None:
    kb = build_default_knowledge(facts_dir, minilm)
    obs = await kb.invoke("s1", "Who invented the telephone?", None, timeout=30)
    assert obs.ok
    assert [s.ref for s in obs.sources] == ["inv-telephone"]
    assert not (
        await kb.invoke("s2", "Write a python function to sort a list", None, timeout=30)
    ).ok


def test_default_knowledge_indexes_once(facts_dir: Path, minilm: MiniLMEmbedder) -> None:
    tmp_path = facts_dir
    kb = build_default_knowledge(tmp_path, minilm)
    n = kb.count()
    assert n >= 40
    assert kb.search("What is the capital of France?", 1)[0].doc_id == "geo-france"
    assert kb.search("Who invented the telephone?", 1)[0].doc_id == "inv-telephone"
    assert kb.search("What is the speed of light?", 1)[0].doc_id == "const-speed-of-light"
    assert kb.descriptor.name == "facts"
    assert "What is the capital of France?" in kb.descriptor.examples

    class Counting(MiniLMEmbedder):
        calls = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            Counting.calls += 1
            return super().embed(texts)

    counting = Counting.__new__(Counting)
    counting.__dict__.update(minilm.__dict__)
    again = build_default_knowledge(tmp_path, counting)
    assert Counting.calls == 0  # nothing re-embedded on a second start
    assert again.count() == n


def test_ingest_jsonl_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "docs.jsonl").write_text(
        '{"id": "a", "text": "Alpha particles are helium nuclei.", "title": "Alpha"}\n\n'
        '{"id": "b", "text": "Beta particles are electrons."}\n'
    )
    (tmp_path / "notes.md").write_text("# Gamma rays\nGamma rays are photons.\n")
    kb = ChromaKnowledgeBase("files", tmp_path / "db", HashingEmbedder())
    files = [tmp_path / "docs.jsonl", tmp_path / "notes.md"]
    assert kb.ingest(files).chunks_written == 3
    assert kb.ingest(files).chunks_written == 0  # unchanged
    (tmp_path / "notes.md").write_text("# Gamma rays\nGamma rays are high-energy photons.\n")
    assert kb.ingest(files).chunks_written == 1
    assert kb.doc_ids() == {"a", "b", "notes.md"}
    assert kb.search("gamma rays photons", 1)[0].title == "Gamma rays"


def test_bad_jsonl_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "ok"}\n{"id": "b"}\n')
    with pytest.raises(DocumentFileError, match=r"bad.jsonl:2: field 'text'"):
        load_documents(bad)
    bad.write_text('{"id": "a", "text": "ok"}\n{not json\n')
    with pytest.raises(DocumentFileError, match=r"bad.jsonl:2: invalid JSON"):
        load_documents(bad)


def test_concurrent_invokes(kb: ChromaKnowledgeBase) -> None:
    async def many() -> list[bool]:
        obs = await asyncio.gather(
            *(kb.invoke(f"s{i}", "Who invented the telephone?", None, timeout=30) for i in range(8))
        )
        return [o.ok for o in obs]

    assert all(asyncio.run(many()))


def test_default_knowledge_rebuilds_for_a_new_embedder(tmp_path: Path) -> None:
    first = build_default_knowledge(tmp_path, HashingEmbedder(64))
    n = first.count()
    second = build_default_knowledge(tmp_path, HashingEmbedder(128))
    assert second.embedder.id == "hashing-128-bigrams@v1"
    assert second.count() == n
    assert ChromaKnowledgeBase.destroy("facts", tmp_path)
    assert not ChromaKnowledgeBase.destroy("facts", tmp_path)
