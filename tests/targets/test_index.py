"""TargetIndex: semantic retrieval over target descriptors, with the real MiniLM embedder."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from agentroute.embeddings import HashingEmbedder, default_embedder
from agentroute.targets._index import TargetIndex, descriptor_texts, retrieval_text
from agentroute.types import TargetDescriptor, TargetKind


def tool(name: str, description: str, *examples: str, **props: str) -> TargetDescriptor:
    schema = {
        "type": "object",
        "properties": {k: {"type": "string", "description": v} for k, v in props.items()},
    }
    return TargetDescriptor(
        name=name, kind=TargetKind.TOOL, description=description, examples=list(examples),
        input_schema=schema, server=name.split(".")[0],
    )  # fmt: skip


CATALOGUE = [
    tool("time.get_current_time", "Get the current time in a specific timezone",
         "what time is it in Tokyo", timezone="IANA timezone name"),
    tool("git.git_status", "Shows the working tree status of a git repository",
         "which files did I change in my repo", repo_path="path to the repository"),
    tool("filesystem.read_text_file", "Read the complete contents of a file as text",
         "show me what is inside notes.txt", path="file path"),
    tool("weather.get_forecast", "Weather forecast for a city: temperature, rain, wind",
         "will it rain in Paris tomorrow", city="city name"),
    tool("slack.post_message", "Post a message to a Slack channel",
         "tell the team on #general that the build is green", channel="channel id", text="message"),
    TargetDescriptor(name="kb.physics", kind=TargetKind.KNOWLEDGE,
                     description="Encyclopedia articles about physics: mechanics, relativity, quantum theory"),
    TargetDescriptor(name="expert.coder", kind=TargetKind.EXPERT,
                     description="A model that writes and explains Python code"),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> TargetIndex:
    idx = TargetIndex(default_embedder())
    idx.add(CATALOGUE)
    return idx


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("What's the clock showing in Sydney right now?", "time.get_current_time"),
        ("are there uncommitted modifications in the project checkout", "git.git_status"),
        ("open README.md and print it", "filesystem.read_text_file"),
        ("do I need an umbrella in London this weekend", "weather.get_forecast"),
        ("let my colleagues know in the channel that I'm late", "slack.post_message"),
        ("explain general relativity", "kb.physics"),
        ("write a function that reverses a list in Python", "expert.coder"),
    ],
)
def test_best_target_is_the_one_that_fits(index: TargetIndex, query: str, expected: str) -> None:
    hits = index.search(query, k=3)
    assert hits[0].descriptor.name == expected, [
        (h.descriptor.name, round(h.score, 3)) for h in hits
    ]
    assert hits[0].score > hits[1].score
    assert hits[0].best_text in descriptor_texts(hits[0].descriptor)


def test_scores_are_cosine_similarities_best_first() -> None:
    index = TargetIndex(default_embedder(), token_weight=0, argument_bonus=0, server_weight=0)
    index.add(CATALOGUE)
    hits = index.search("what time is it in Tokyo", k=len(CATALOGUE))
    assert len(hits) == len(CATALOGUE)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)  # the example itself, verbatim
    assert hits[0].best_text == "what time is it in Tokyo"
    assert all(-1.0 <= s <= 1.0 + 1e-5 for s in scores)


def test_kinds_filter(index: TargetIndex) -> None:
    hits = index.search("explain general relativity", k=5, kinds={TargetKind.TOOL})
    assert hits and all(h.descriptor.kind is TargetKind.TOOL for h in hits)
    only_kb = index.search("what time is it", k=5, kinds={TargetKind.KNOWLEDGE})
    assert [h.descriptor.name for h in only_kb] == ["kb.physics"]


def test_prior_bonus_reorders(index: TargetIndex) -> None:
    query = "show me what is in the project"
    plain = index.search(query, k=7)
    last = plain[-1].descriptor.name
    boosted = index.search(query, k=7, prior={last: 2.0, "not.a.target": 5.0})
    assert boosted[0].descriptor.name == last
    assert boosted[0].score == pytest.approx(plain[-1].score + 2.0, abs=1e-5)


def test_descriptor_texts() -> None:
    texts = descriptor_texts(CATALOGUE[0])
    assert texts == [
        "get current time (time): Get the current time in a specific timezone",
        "what time is it in Tokyo",
    ]
    bare = tool("db.run_sql", "", sql="The SQL statement to run. Read only.")
    assert descriptor_texts(bare) == ["run sql (db): Arguments: sql (The SQL statement to run)."]


class CountingEmbedder:
    """Wraps a real embedder and counts the texts it embeds (is anything embedded per query?)."""

    def __init__(self) -> None:
        self.inner = HashingEmbedder(dim=64)
        self.calls: list[int] = []

    @property
    def id(self) -> str:
        return "counting"

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(len(texts))
        return self.inner.embed(texts)


def test_targets_are_embedded_once_and_queries_cached() -> None:
    emb = CountingEmbedder()
    idx = TargetIndex(emb)
    idx.add(CATALOGUE)
    assert emb.calls == [sum(len(descriptor_texts(d)) for d in CATALOGUE)]
    for _ in range(3):
        idx.search("what time is it", k=2)
        idx.search("read a file", k=2)
    assert emb.calls[1:] == [1, 1]


def test_add_replaces_and_remove_forgets() -> None:
    idx = TargetIndex(HashingEmbedder(dim=128))
    idx.add(CATALOGUE)
    assert len(idx) == len(CATALOGUE) and "git.git_status" in idx
    idx.add([tool("git.git_status", "Completely different: bake a cake")])
    assert len(idx) == len(CATALOGUE)
    assert idx.descriptor("git.git_status").description == "Completely different: bake a cake"
    assert idx.remove("git.git_status") is True
    assert idx.remove("git.git_status") is False
    names = {h.descriptor.name for h in idx.search("git status", k=50)}
    assert "git.git_status" not in names and len(names) == len(CATALOGUE) - 1
    assert idx.search("anything", k=0) == []


def test_empty_index_and_bad_embedder() -> None:
    assert TargetIndex(HashingEmbedder(dim=32)).search("hello") == []

    class Broken(CountingEmbedder):
        def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            return np.zeros((len(texts), 3), np.float32)

    with pytest.raises(ValueError, match="expected"):
        TargetIndex(Broken()).add(CATALOGUE[:1])
    with pytest.raises(ValueError, match="mean_weight"):
        TargetIndex(HashingEmbedder(dim=32), mean_weight=2.0)
    with pytest.raises(ValueError, match="token_weight"):
        TargetIndex(HashingEmbedder(dim=32), token_weight=-0.1)
    with pytest.raises(ValueError, match="argument_bonus"):
        TargetIndex(HashingEmbedder(dim=32), argument_bonus=-1.0)


def test_mean_weight_blends_best_and_mean() -> None:
    emb = default_embedder()
    plain = {"token_weight": 0.0, "argument_bonus": 0.0, "server_weight": 0.0}
    best_only, blended = TargetIndex(emb, **plain), TargetIndex(emb, mean_weight=0.5, **plain)
    best_only.add(CATALOGUE)
    blended.add(CATALOGUE)
    q = "what time is it in Tokyo"
    a, b = best_only.search(q, k=1)[0], blended.search(q, k=1)[0]
    assert a.descriptor.name == b.descriptor.name == "time.get_current_time"
    vec = emb.embed(descriptor_texts(a.descriptor)) @ emb.embed([q])[0]
    assert b.score == pytest.approx(0.5 * vec.max() + 0.5 * vec.mean(), abs=1e-4)


def test_retrieval_text_shortens_paths_only() -> None:
    assert (
        retrieval_text("What is inside /tmp/pytest-of-root/p-22/files?") == "What is inside files?"
    )
    assert retrieval_text("git status of /srv/repo/") == "git status of repo"
    assert retrieval_text("read ./src/app.py") == "read app.py"
    unchanged = ["fetch https://example.com/a/b", "what is 3/4", "open README.md"]
    assert [retrieval_text(t) for t in unchanged] == unchanged


def test_long_paths_do_not_drown_the_request(index: TargetIndex) -> None:
    deep = "/tmp/pytest-of-root/pytest-22/test_route_fill_and_call_across0/work/notes.txt"
    hits = index.search(f"show me what is inside {deep}", k=2)
    assert hits[0].descriptor.name == "filesystem.read_text_file"
    assert hits[0].score == pytest.approx(
        index.search("show me what is inside notes.txt", k=1)[0].score, abs=1e-5
    )
