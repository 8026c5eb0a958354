"""The user's cache of embedded texts: an agent started in a new data directory reads back the
vectors an agent in another directory embedded (the bundled passages, the targets'
descriptions), and answers the same; an unusable cache only costs the forward passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings._cache_dir import CACHE_DIR_ENV
from tests.targets.test_vector_cache import CountingEmbedder

QUESTION = "What is the capital of France, and what is 17 * 23?"


def start_and_ask(data_dir: Path) -> tuple[list[str], str]:
    """The texts embedded while the agent started, and its answer."""
    embedder = CountingEmbedder()
    with Agent.default(data_dir, embedder=embedder, warm_spares=False) as agent:
        agent.start()
        at_start = list(embedder.texts)
        answer = agent.run(QUESTION).answer
    return at_start, answer


def test_a_new_data_directory_embeds_nothing_another_one_embedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    first, answer = start_and_ask(tmp_path / "one")
    assert any("Paris" in text for text in first)  # the bundled passages were embedded here
    again, same = start_and_ask(tmp_path / "two")
    assert again == []
    assert same == answer and "Paris" in same and "391" in same


def test_without_a_cache_every_directory_embeds_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, "")  # set empty: no user cache at all
    first, answer = start_and_ask(tmp_path / "one")
    again, same = start_and_ask(tmp_path / "two")
    assert sorted(again) == sorted(first) and same == answer
    assert not (tmp_path / "cache").exists()


def test_an_unreadable_cache_costs_forward_passes_not_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "text_vectors.sqlite").write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    first, answer = start_and_ask(tmp_path / "one")
    assert first and "Paris" in answer
    again, _ = start_and_ask(tmp_path / "two")
    assert again == []  # the file was set aside and a good one started in its place
