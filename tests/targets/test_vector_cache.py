"""The index's on-disk vector cache: a restart embeds nothing it embedded before, a changed
text is embedded again, and an unreadable file costs a forward pass, never the index."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from agentroute import Agent
from agentroute.embeddings import HashingEmbedder, default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.targets._index import TargetIndex
from agentroute.testing import ScriptedTarget
from agentroute.types import TargetDescriptor, TargetKind


class CountingEmbedder:
    """The real MiniLM, counting the texts that reach its forward pass."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.texts: list[str] = []

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts += list(texts)
        return self.inner.embed_uncached(texts)

    def embed_with_tokens(self, texts: Sequence[str]) -> Any:
        self.texts += list(texts)
        return self.inner.embed_with_tokens(texts)


def tool(name: str, description: str) -> TargetDescriptor:
    return TargetDescriptor(
        name=name, kind=TargetKind.TOOL, description=description, server=name.split(".")[0]
    )


TOOLS = [
    tool("git.git_status", "Shows the working tree status of a git repository"),
    tool("weather.get_forecast", "Weather forecast for a city: temperature, rain, wind"),
    tool("slack.post_message", "Post a message to a Slack channel"),
    tool("files.read_text_file", "Read the complete contents of a file as text"),
]
QUERIES = ["will it rain in Oslo", "which files did I change", "tell #general hello"]


def ranking(index: TargetIndex) -> list[list[tuple[str, float]]]:
    return [[(h.descriptor.name, h.rank_score) for h in index.search(q, k=4)] for q in QUERIES]


def test_a_second_index_embeds_nothing_and_ranks_the_same(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    first = CountingEmbedder()
    cold = TargetIndex(first, cache=TextVectorCache(path))
    cold.add(TOOLS)
    assert len(first.texts) == len(TOOLS)
    assert len(TextVectorCache(path)) == len(TOOLS)

    second = CountingEmbedder()
    warm = TargetIndex(second, cache=TextVectorCache(path))
    warm.add(TOOLS)
    assert second.texts == []  # every description came from the file
    uncached = TargetIndex(default_embedder())
    uncached.add(TOOLS)
    for got, want in zip(ranking(warm), ranking(uncached), strict=True):
        assert [n for n, _ in got] == [n for n, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-5)


def test_a_changed_description_is_embedded_again(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    TargetIndex(CountingEmbedder(), cache=TextVectorCache(path)).add(TOOLS)
    changed = [*TOOLS[:-1], tool("files.read_text_file", "Print a text file, head or tail")]
    embedder = CountingEmbedder()
    index = TargetIndex(embedder, cache=TextVectorCache(path))
    index.add(changed)
    assert len(embedder.texts) == 1 and "Print a text file" in embedder.texts[0]
    assert index.search("show the last lines of app.log", k=1)[0].descriptor.name == (
        "files.read_text_file"
    )


def test_another_embedder_never_reads_these_vectors(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    small, large = HashingEmbedder(dim=64), HashingEmbedder(dim=128)
    TargetIndex(small, cache=TextVectorCache(path)).add(TOOLS)
    index = TargetIndex(large, cache=TextVectorCache(path))
    index.add(TOOLS)  # a dim mismatch would raise while stacking the rows
    assert index.search("rain in Oslo", k=1)[0].descriptor.name == "weather.get_forecast"
    assert len(TextVectorCache(path)) == 2 * len(TOOLS)


def test_an_unreadable_file_is_set_aside_and_nothing_fails(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    path.write_bytes(b"this is not a database, " * 400)
    embedder = CountingEmbedder()
    index = TargetIndex(embedder, cache=TextVectorCache(path))
    index.add(TOOLS)
    assert len(embedder.texts) == len(TOOLS)
    assert index.search("will it rain in Oslo", k=1)[0].descriptor.name == "weather.get_forecast"
    aside = list(tmp_path.glob("vectors.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")  # kept, not lost
    with sqlite3.connect(path) as conn:  # a fresh, working cache in its place
        (count,) = conn.execute("SELECT COUNT(*) FROM text_vectors").fetchone()
    assert count == len(TOOLS)


def test_the_cache_stays_within_its_bound(tmp_path: Path) -> None:
    cache = TextVectorCache(tmp_path / "vectors.sqlite", max_entries=3)
    TargetIndex(HashingEmbedder(dim=32), cache=cache).add(TOOLS)
    assert len(cache) == 3


def test_an_agent_restart_reads_the_index_from_its_cache(tmp_path: Path) -> None:
    """Through the real agent and graph: the second agent over the same file embeds no
    description, and still routes the request to the right target."""
    path = tmp_path / "index_vectors.sqlite"
    targets = [
        ScriptedTarget(d.name, f"{d.name} answered", description=d.description) for d in TOOLS
    ]
    answers = []
    for _ in range(2):
        embedder = CountingEmbedder()
        with Agent(targets=targets, embedder=embedder, index_cache=path, checkpoint=False) as agent:
            described = [t for t in embedder.texts if "Slack channel" in t]
            result = agent.run("post hello to the Slack channel #general")
        answers.append((described, result.answer))
    assert len(answers[0][0]) == 1 and answers[1][0] == []
    assert "slack.post_message answered" in answers[1][1]


def test_a_locked_cache_is_skipped_not_set_aside(tmp_path: Path) -> None:
    """Another process holding the file is no corruption: nothing is moved, nothing fails."""
    path = tmp_path / "vectors.sqlite"
    first = TextVectorCache(path)
    TargetIndex(HashingEmbedder(dim=32), cache=first).add(TOOLS)
    first.close()
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        index = TargetIndex(
            HashingEmbedder(dim=32), cache=TextVectorCache(path, lock_timeout_s=0.1)
        )
        index.add(TOOLS)
        assert len(index) == len(TOOLS)
    finally:
        holder.rollback()
        holder.close()
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert len(TextVectorCache(path)) == len(TOOLS)  # the file is intact
