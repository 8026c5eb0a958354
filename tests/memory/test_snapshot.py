"""The saved index: a reopened bank answers as one read from chromadb, and a write after the
snapshot was saved is never hidden by it (a kill included)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore
from agentroute.memory._index import VectorIndex
from agentroute.memory._snapshot import load_snapshot, save_snapshot


def _data(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((20, dim)).astype(np.float32)
    x = c[rng.integers(0, 20, n)] + 0.5 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_an_ivf_index_saved_and_mapped_back_answers_the_same(tmp_path: Path) -> None:
    x = _data(3200)
    index = VectorIndex(32, ivf_min_rows=1000)
    index.add_many([f"c{i}" for i in range(3000)], x[:3000], np.ones(3000, bool))
    for i in range(3000, 3200):  # a tail beside the lists
        index.add(f"c{i}", x[i])
    index.remove("c5")
    index.remove("c3100")
    index.set_active("c6", False)
    save_snapshot(tmp_path, "ns", index, embedder_id="e")
    back = load_snapshot(tmp_path, "ns", dim=32, embedder_id="e", count=len(index))
    assert back is not None and len(back) == len(index) == 3198
    for q in x[::37]:
        assert back.search(q, 8) == index.search(q, 8)
        assert back.exact_search(q, 8, active_only=False) == index.exact_search(
            q, 8, active_only=False
        )
    assert "c5" not in back and "c6" not in {c for c, _ in back.exact_search(x[6], 5)}
    back.add("c5", x[5])  # a restored index takes writes (its mapped rows stay read-only)
    back.remove("c7")
    packed = sorted(p.name for p in tmp_path.glob("index/ns.packed-*.npy"))
    save_snapshot(tmp_path, "ns", back, embedder_id="e")  # packed rows unchanged: kept
    assert sorted(p.name for p in tmp_path.glob("index/ns.packed-*.npy")) == packed
    again = load_snapshot(tmp_path, "ns", dim=32, embedder_id="e", count=len(back))
    assert again is not None and "c7" not in again and again.search(x[5], 1)[0][0] == "c5"
    for q in x[::41]:
        assert again.search(q, 8) == back.search(q, 8)
    back.rebuild()
    assert back.search(x[5], 1)[0][0] == "c5"
    save_snapshot(tmp_path, "ns", back, embedder_id="e")  # rebuilt (flat at the default size)
    assert not set(packed) & {p.name for p in tmp_path.glob("index/ns.packed-*.npy")}
    rebuilt = load_snapshot(tmp_path, "ns", dim=32, embedder_id="e", count=len(back))
    assert rebuilt is not None and rebuilt.search(x[9], 8) == back.search(x[9], 8)
    assert load_snapshot(tmp_path, "ns", dim=32, embedder_id="e", count=7) is None
    assert load_snapshot(tmp_path, "ns", dim=32, embedder_id="other", count=3198) is None


def test_a_reopened_bank_answers_as_one_read_from_chromadb(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=128)
    cases = [mk(f"weather in town number {i}", namespace="p") for i in range(40)]
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        store.put_many(cases[:30], emb.embed([c.task for c in cases[:30]]))
        for c in cases[30:]:
            store.put(c, emb.embed([c.task])[0])
        store.delete(cases[3].id)
    assert list((tmp_path / "bank" / "index").glob("*.json"))
    shutil.copytree(tmp_path / "bank", tmp_path / "fresh")
    shutil.rmtree(tmp_path / "fresh" / "index")
    queries = emb.embed([f"weather in town number {i}" for i in range(0, 40, 3)])
    with ChromaCaseStore(tmp_path / "bank", emb) as saved:
        with_snapshot = [
            [(c.id, round(s, 5)) for c, s in saved.search(q, namespace="p", n=5)] for q in queries
        ]
    with ChromaCaseStore(tmp_path / "fresh", emb) as fresh:
        from_chroma = [
            [(c.id, round(s, 5)) for c, s in fresh.search(q, namespace="p", n=5)] for q in queries
        ]
    assert with_snapshot == from_chroma
    assert cases[3].id not in {cid for hits in with_snapshot for cid, _ in hits}


def test_a_snapshot_that_missed_writes_is_not_used(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=128)
    a, b = mk("weather in Oslo", namespace="p"), mk("weather in Rome", namespace="p")
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        store.put(a, emb.embed([a.task])[0])
    old = tmp_path / "old-index"
    shutil.copytree(tmp_path / "bank" / "index", old)
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        store.put(b, emb.embed([b.task])[0])
    shutil.rmtree(tmp_path / "bank" / "index")
    shutil.copytree(old, tmp_path / "bank" / "index")  # as if written by code without snapshots
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        [(found, _)] = store.search(emb.embed([b.task])[0], namespace="p", n=1)
        assert found.id == b.id


_QUARANTINE_THEN_DIE = textwrap.dedent(
    """
    import sys, time
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import ChromaCaseStore, CaseStatus
    store = ChromaCaseStore(sys.argv[1], HashingEmbedder(dim=128), flush_interval_s=3600)
    case = store.get(sys.argv[2], namespace="p")
    case.status = CaseStatus.QUARANTINED
    store.update(case)
    store.flush()  # in chromadb, the journal gone: only the snapshot could still say "active"
    print("done", flush=True)
    time.sleep(600)
    """
)


def test_a_write_then_a_kill_never_leaves_a_stale_snapshot(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=128)
    a, b = mk("weather in Oslo", namespace="p"), mk("weather in Rome", namespace="p")
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        store.put_many([a, b], emb.embed([a.task, b.task]))
    assert list((tmp_path / "bank" / "index").glob("*.json"))
    env = {
        k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "VIRTUAL_ENV", "PYTHONPATH")
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", _QUARANTINE_THEN_DIE, str(tmp_path / "bank"), a.id],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "done"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        found = [c.id for c, _ in store.search(emb.embed([a.task])[0], namespace="p", n=5)]
        assert found == [b.id]
