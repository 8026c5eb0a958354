"""MiniLM's ONNX graph is built once into the disk cache and loaded from it after: the same
vectors, no ``onnx`` import on a warm start, a broken entry rebuilt, an unwritable cache
survived, a new entry when the weights or the config change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from structlog.testing import capture_logs

from agentroute.embeddings import MiniLMEmbedder
from agentroute.embeddings._bert import BertConfig
from agentroute.embeddings._cache import DiskCache
from agentroute.embeddings._minilm import find_minilm_model_dir, padded_batch
from agentroute.embeddings._onnx import OnnxBertEncoder, _cache_key

SENTENCES = ["x", "Which tool lists my open pull requests?", "Paris is the capital of France."]
MODEL_DIR = find_minilm_model_dir()
WEIGHTS = MODEL_DIR / "model.safetensors"
CONFIG = BertConfig.from_json(MODEL_DIR / "config.json")


@pytest.fixture(scope="module")
def batch() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tokenizer.no_padding()
    return padded_batch([e.ids for e in tokenizer.encode_batch(SENTENCES)])


@pytest.fixture(scope="module")
def fresh(batch: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]) -> npt.NDArray[np.float32]:
    """Hidden states from a graph built in memory, never cached."""
    return OnnxBertEncoder(WEIGHTS, CONFIG, cache=False).forward(*batch)


def _entries(root: Path) -> list[Path]:
    store = root / "onnx-bert"
    return sorted(p for p in store.iterdir() if p.is_dir()) if store.is_dir() else []


def test_an_empty_cache_dir_setting_builds_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    with capture_logs() as logs:
        model = MiniLMEmbedder(cache_size=0)
    assert model.backend == "onnx"
    assert not [e for e in logs if e["log_level"] == "warning"]  # asked for, not a fault
    # (ONNX Runtime's import writes its own device id under $XDG_CACHE_HOME/Microsoft.)
    assert not (tmp_path / "xdg" / "agentroute").exists()
    assert not (tmp_path / "home").exists()
    assert not (tmp_path / "onnx-bert").exists()


def test_the_cached_graph_gives_the_vectors_a_fresh_build_does(
    tmp_path: Path,
    batch: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]],
    fresh: npt.NDArray[np.float32],
) -> None:
    cold = OnnxBertEncoder(WEIGHTS, CONFIG, cache=tmp_path)
    (entry,) = _entries(tmp_path)
    assert {"graph.onnx", "graph.data", "word.npy", "pos.npy", "type0.npy"} <= {
        p.name for p in entry.iterdir()
    }
    built = (entry / "graph.data").stat().st_ino
    warm = OnnxBertEncoder(WEIGHTS, CONFIG, cache=tmp_path)
    assert _entries(tmp_path) == [entry]
    assert (entry / "graph.data").stat().st_ino == built  # loaded, not built again
    assert isinstance(warm._word, np.memmap) or isinstance(warm._word.base, np.memmap)
    for encoder in (cold, warm):
        np.testing.assert_allclose(encoder.forward(*batch), fresh, atol=1e-5, rtol=0)
    # No temporary directory is left behind.
    assert not [p for p in (tmp_path / "onnx-bert").iterdir() if p.name.startswith(".")]


_PROBE = """
import json, sys
from agentroute.embeddings import MiniLMEmbedder
from agentroute.observability import configure_logging
configure_logging()  # logs to stderr: stdout is the result
vector = MiniLMEmbedder().embed(["What is 17 * 23?"])[0]
print(json.dumps({"vector": vector.tolist(),
                  "onnx": "onnx" in sys.modules, "safetensors": "safetensors" in sys.modules}))
"""


def _probe(cache: Path) -> dict[str, object]:
    env = {**os.environ, "AGENTROUTE_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_warm_start_neither_imports_onnx_nor_reads_the_weights(tmp_path: Path) -> None:
    cold = _probe(tmp_path)
    warm = _probe(tmp_path)
    assert cold["onnx"] and cold["safetensors"]  # the first process built the graph
    assert not warm["onnx"] and not warm["safetensors"]
    np.testing.assert_allclose(warm["vector"], cold["vector"], atol=1e-6)  # type: ignore[arg-type]


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x07" * path.stat().st_size)  # same size: the manifest cannot tell


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


@pytest.mark.parametrize(
    ("name", "damage", "warned"),
    [
        ("graph.onnx", _garbage, True),
        ("word.npy", _garbage, True),
        ("graph.data", _truncate, False),
        ("entry.json", _truncate, False),
    ],
)
def test_a_broken_entry_is_rebuilt_and_embeds_right(
    tmp_path: Path,
    batch: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]],
    fresh: npt.NDArray[np.float32],
    name: str,
    damage: object,
    warned: bool,
) -> None:
    OnnxBertEncoder(WEIGHTS, CONFIG, cache=tmp_path)
    (entry,) = _entries(tmp_path)
    damage(entry / name)  # type: ignore[operator]
    with capture_logs() as logs:
        encoder = OnnxBertEncoder(WEIGHTS, CONFIG, cache=tmp_path)
    np.testing.assert_allclose(encoder.forward(*batch), fresh, atol=1e-5, rtol=0)
    unreadable = [e for e in logs if e["event"] == "embeddings.cache_unreadable"]
    assert [e["log_level"] for e in unreadable] == (["warning"] if warned else [])
    # The entry is whole again: the next start loads it without a word.
    assert _entries(tmp_path) == [entry]
    with capture_logs() as logs:
        again = OnnxBertEncoder(WEIGHTS, CONFIG, cache=tmp_path)
    assert not [e for e in logs if e["log_level"] == "warning"]
    np.testing.assert_allclose(again.forward(*batch), fresh, atol=1e-5, rtol=0)


def test_an_unwritable_cache_dir_builds_in_memory_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(blocker / "cache"))
    with capture_logs() as logs:
        model = MiniLMEmbedder(cache_size=0)
    assert model.backend == "onnx"
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == [
        "embeddings.cache_unwritable"
    ]
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(tmp_path / "writable"))
    reference = MiniLMEmbedder(cache_size=0)
    assert _entries(tmp_path / "writable")
    np.testing.assert_allclose(
        model.embed(SENTENCES), reference.embed(SENTENCES), atol=1e-5, rtol=0
    )
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_the_key_follows_the_weights_bytes_the_config_and_the_builder(tmp_path: Path) -> None:
    store = DiskCache(tmp_path / "cache")
    base = _cache_key(store, WEIGHTS, CONFIG, fused=True)
    copy = tmp_path / "copy.safetensors"
    shutil.copyfile(WEIGHTS, copy)
    assert _cache_key(store, copy, CONFIG, fused=True) == base  # content, not path
    with copy.open("r+b") as f:  # one byte of the last weight, size unchanged
        f.seek(-1, os.SEEK_END)
        last = f.read(1)
        f.seek(-1, os.SEEK_END)
        f.write(bytes([last[0] ^ 1]))
    os.utime(copy, ns=(0, copy.stat().st_mtime_ns + 1_000_000))
    changed = _cache_key(store, copy, CONFIG, fused=True)
    other_config = BertConfig(**{**CONFIG.__dict__, "layer_norm_eps": 1e-11})
    keys = {
        base,
        changed,
        _cache_key(store, WEIGHTS, other_config, fused=True),
        _cache_key(store, WEIGHTS, CONFIG, fused=False),
        _cache_key(store, WEIGHTS, CONFIG, fused=True, int8=True),
    }
    assert len(keys) == 5


def test_a_files_hash_is_remembered_by_its_size_and_mtime(tmp_path: Path) -> None:
    data = tmp_path / "weights.bin"
    data.write_bytes(b"weights v1")
    first = DiskCache(tmp_path / "cache").file_hash(data)
    memo = json.loads((tmp_path / "cache" / "hashes.json").read_text(encoding="utf-8"))
    assert memo[str(data.resolve())][2] == first
    # A later process trusts the memo while size and mtime match: it only stats the file.
    memo[str(data.resolve())][2] = "remembered"
    (tmp_path / "cache" / "hashes.json").write_text(json.dumps(memo), encoding="utf-8")
    assert DiskCache(tmp_path / "cache").file_hash(data) == "remembered"
    data.write_bytes(b"weights v2")
    os.utime(data, ns=(0, data.stat().st_mtime_ns + 1_000_000))
    second = DiskCache(tmp_path / "cache").file_hash(data)
    assert second not in (first, "remembered")


def test_two_writers_at_once_publish_one_whole_entry(tmp_path: Path) -> None:
    store = DiskCache(tmp_path)
    both_filling = threading.Barrier(2)
    published: list[Path] = []

    def fill(tag: str) -> None:
        def write(d: Path) -> None:
            (d / "part1").write_text(tag * 1000, encoding="utf-8")
            both_filling.wait(timeout=30)
            (d / "part2").write_text(tag * 1000, encoding="utf-8")

        published.append(store.put("key", write))

    threads = [threading.Thread(target=fill, args=(tag,)) for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert published == [tmp_path / "key"] * 2
    entry = store.entry("key")
    assert entry == tmp_path / "key"
    parts = {(entry / p).read_text(encoding="utf-8") for p in ("part1", "part2")}
    assert parts in ({"a" * 1000}, {"b" * 1000})  # one writer's files, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["key"]


def test_publishing_removes_entries_long_unused_and_a_killed_writers_leftovers(
    tmp_path: Path,
) -> None:
    store = DiskCache(tmp_path)

    def write(d: Path) -> None:
        (d / "data").write_text("x", encoding="utf-8")

    for key in ("old", "recent", "used-long-ago"):
        store.put(key, write)
    leftover = tmp_path / ".new.half-written"
    leftover.mkdir()
    long_ago = time.time() - 86400 * (DiskCache.STALE_DAYS + 1)
    for path in (tmp_path / "old", tmp_path / "used-long-ago", leftover):
        os.utime(path, (long_ago, long_ago))
    assert store.entry("used-long-ago") is not None  # loading marks it used
    store.put("new", write)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "recent", "used-long-ago"]


def test_the_vocabularys_words_are_read_from_the_cache_after_the_first_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(tmp_path))
    model = MiniLMEmbedder()
    tokens = model._tokenizer.get_vocab()
    want = frozenset(w for w in tokens if w.isalpha() and w.islower())
    assert model.words() == want
    assert model.words() is model.words()  # once per process
    (entry,) = (p for p in (tmp_path / "vocab-words").iterdir() if p.name.startswith("words-"))
    listing = entry / "words.txt"
    # Same size, one word changed: a fresh embedder reads the list, not the tokenizer.
    listing.write_text(listing.read_text(encoding="utf-8").replace("\nriver\n", "\nrivex\n"))
    warm = MiniLMEmbedder().words()
    assert "rivex" in warm and "river" not in warm
    assert warm ^ want == {"river", "rivex"}
