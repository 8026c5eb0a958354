"""The chromadb store: a killed writer loses no case; a changed embedder is a clear error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore, EmbedderMismatchError

from .case_writer import start


def test_kill_9_loses_no_written_case(tmp_path: Path) -> None:
    path = tmp_path / "bank"
    proc = start(path, 0, 25, "kill", flush_every=10_000)
    assert proc.stdout is not None
    acked = []
    for line in proc.stdout:
        acked.append(line.split()[1])
        if len(acked) == 25:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    emb = HashingEmbedder(dim=128)
    with ChromaCaseStore(path, emb) as store:
        assert store.count(namespace="ns") == 25
        assert {c.id for c in store.cases(namespace="ns")} == set(acked)
        hits = store.search(emb.embed(["weather in city number 7"])[0], namespace="ns", n=1)
        assert hits[0][0].id == "c7"


def test_reopen_with_another_embedder_names_the_reindex_command(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bank"
    emb = HashingEmbedder(dim=128)
    with ChromaCaseStore(path, emb) as store:
        case = mk("weather in Paris")
        store.put(case, emb.embed([case.task])[0])
    other = HashingEmbedder(dim=64)
    with pytest.raises(EmbedderMismatchError, match="agentroute memory reindex"):
        ChromaCaseStore(path, other)
    assert ChromaCaseStore.reindex(path, other) == 1
    with ChromaCaseStore(path, other) as store:
        [(found, sim)] = store.search(
            other.embed(["weather in Paris"])[0], namespace="default", n=5
        )
        assert found.id == case.id and sim > 0.99
        assert found.provenance.embedder_id == other.id


def test_two_stores_in_one_process_share_the_bank(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=128)
    with (
        ChromaCaseStore(tmp_path / "bank", emb) as one,
        ChromaCaseStore(tmp_path / "bank", emb) as two,
    ):
        case = mk("weather in Paris")
        one.put(case, emb.embed([case.task])[0])
        [(found, _)] = two.search(emb.embed([case.task])[0], namespace="default", n=1)
        assert found.id == case.id
        assert two.delete(case.id)
        assert one.search(emb.embed([case.task])[0], namespace="default", n=1) == []


def test_reopen_loads_the_index_in_pages(
    tmp_path: Path, mk, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import agentroute.memory._chroma as chroma_mod

    monkeypatch.setattr(chroma_mod, "_PAGE", 3)  # 100k rows in one get overflow SQLite
    emb = HashingEmbedder(dim=128)
    cases = [mk(f"weather in town number {i}", namespace="p") for i in range(10)]
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        store.put_many(cases, emb.embed([c.task for c in cases]))
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        assert len(store.index("p")) == 10
        hit = store.search(emb.embed(["weather in town number 7"])[0], namespace="p", n=1)
        assert hit[0][0].id == cases[7].id


_TURN_WRITER = textwrap.dedent(
    """
    import sys, time
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import ChromaCaseStore, Case, CaseOutcome, Judge, Provenance
    from agentroute.types import Plan, Step
    emb = HashingEmbedder(dim=128)
    store = ChromaCaseStore(sys.argv[1], emb, flush_every=10_000, flush_interval_s=3600)
    def case(i):
        task = f"weather in city number {i}"
        return Case(id=f"c{i}", namespace="ns", task=task,
                    plan=Plan(steps=[Step(id="s1", query=task, target="weather.forecast")]),
                    outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
                    provenance=Provenance(session="s"))
    first = case(0)
    store.put(first, emb.embed([first.task])[0])
    store.flush()
    for i in range(1, 6):  # each turn: its case, and one more recall counted on the first
        first.recall.times_recalled = i
        store.put(case(i), emb.embed([case(i).task])[0], updates=[first])
        print(f"written c{i}", flush=True)
    time.sleep(600)
    """
)


def test_kill_9_loses_no_turn_and_no_recall_count(tmp_path: Path) -> None:
    path = tmp_path / "bank"
    env = {
        k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "VIRTUAL_ENV", "PYTHONPATH")
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", _TURN_WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    acked = [line.split()[1] for _, line in zip(range(5), proc.stdout, strict=False)]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    emb = HashingEmbedder(dim=128)
    with ChromaCaseStore(path, emb) as store:
        assert {c.id for c in store.cases(namespace="ns")} == {"c0", *acked}
        first = store.get("c0", namespace="ns")
        assert first is not None and first.recall.times_recalled == 5
