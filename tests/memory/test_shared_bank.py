"""Any number of processes share one bank: real OS processes writing and recalling at once.

Each sees the others' cases, no write is lost or stored twice, a kill -9 loses nothing a
process acknowledged, and a forget or a quarantine by one holds in the others.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseStatus, ChromaCaseStore

from .shared_writer import start, task

N = 30


def _finish(proc: subprocess.Popen[str]) -> list[str]:
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    return out.splitlines()


@pytest.mark.parametrize("workers", [2, 4])
def test_processes_writing_and_recalling_at_once_see_every_case(
    tmp_path: Path, workers: int
) -> None:
    path = tmp_path / "bank"
    procs = [start(path, w, workers, N) for w in range(workers)]
    outs = [_finish(p) for p in procs]
    for w, lines in enumerate(outs):
        assert [ln for ln in lines if ln.startswith("written")] == [
            f"written w{w}-{i}" for i in range(N)
        ]
        assert "missing 0" in lines, lines[-3:]  # every worker's every case, recalled
    emb = HashingEmbedder(dim=128)
    with ChromaCaseStore(path, emb) as store:
        ids = [c.id for c in store.cases(namespace="ns")]
        assert len(ids) == len(set(ids)) == workers * N  # none lost, none twice
        assert store.count(namespace="ns") == workers * N
        for w in range(workers):
            [(found, _)] = store.search(emb.embed([task(w, N - 1)])[0], namespace="ns", n=1)
            assert found.id == f"w{w}-{N - 1}"


def test_processes_share_a_bank_on_a_chroma_server(chroma_server_url: str) -> None:
    from agentroute.memory import ServerCaseStore
    from tests.chroma_server import server_for_test

    server = server_for_test(chroma_server_url)
    procs = [start(f"{server.url}#{server.database}", w, 3, N) for w in range(3)]
    for lines in [_finish(p) for p in procs]:
        assert "missing 0" in lines, lines[-3:]
    with ServerCaseStore(server, HashingEmbedder(dim=128)) as store:
        ids = [c.id for c in store.cases(namespace="ns")]
        assert len(ids) == len(set(ids)) == 3 * N


def test_a_killed_writer_loses_nothing_it_acknowledged_while_another_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bank"
    victim = start(path, 0, 2, N, then="hold")
    other = start(path, 1, 2, N, then="hold")
    acked = {0: [], 1: []}  # type: dict[int, list[str]]
    for w, proc in ((0, victim), (1, other)):
        assert proc.stdout is not None
        for line in proc.stdout:
            acked[w].append(line.split()[1])
            if len(acked[w]) == N:
                break
    victim.send_signal(signal.SIGKILL)
    other.send_signal(signal.SIGKILL)
    victim.wait()
    other.wait()
    emb = HashingEmbedder(dim=128)
    with ChromaCaseStore(path, emb) as store:
        stored = {c.id for c in store.cases(namespace="ns")}
        assert stored == set(acked[0]) | set(acked[1])
        assert store.count(namespace="ns") == 2 * N


_FORGETTER = textwrap.dedent(
    """
    import sys
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import ChromaCaseStore, CaseStatus
    store = ChromaCaseStore(sys.argv[1], HashingEmbedder(dim=128), flush_interval_s=3600)
    assert store.delete(sys.argv[2], namespace="p")
    case = store.get(sys.argv[3], namespace="p")
    case.status = CaseStatus.QUARANTINED
    store.update(case)
    store.close()
    print("done", flush=True)
    """
)


def test_a_forget_and_a_quarantine_by_another_process_hold_here(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=128)
    gone, bad, kept = (mk(f"weather in {t}", namespace="p") for t in ("Oslo", "Rome", "Lima"))
    env = {
        k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "VIRTUAL_ENV", "PYTHONPATH")
    }
    with ChromaCaseStore(tmp_path / "bank", emb, flush_interval_s=3600) as store:
        for c in (gone, bad, kept):
            store.put(c, emb.embed([c.task])[0])
        recalled = store.get(bad.id, namespace="p")  # this process holds it as active
        assert recalled is not None and recalled.status is CaseStatus.ACTIVE
        done = subprocess.run(
            [sys.executable, "-c", _FORGETTER, str(tmp_path / "bank"), gone.id, bad.id],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.stdout.strip() == "done", done.stderr
        hits = store.search(emb.embed([gone.task])[0], namespace="p", n=3)
        assert gone.id not in [c.id for c, _ in hits] and store.get(gone.id) is None
        hits = store.search(emb.embed([bad.task])[0], namespace="p", n=3)
        assert bad.id not in [c.id for c, _ in hits]  # quarantined: never recalled
        # A turn here counting one more recall on its stale copy keeps the quarantine ...
        recalled.recall.times_recalled += 1
        new = mk("weather in Kyiv", namespace="p")
        store.put(new, emb.embed([new.task])[0], updates=[recalled])
        after = store.get(bad.id, namespace="p")
        assert after is not None and after.status is CaseStatus.QUARANTINED
        assert after.recall.times_recalled == 1
        # ... and does not bring the forgotten case back.
        store.put(
            mk("weather in Quito", namespace="p"),
            emb.embed(["weather in Quito"])[0],
            updates=[gone],
        )
        assert store.get(gone.id, namespace="p") is None
    with ChromaCaseStore(tmp_path / "bank", emb) as store:
        assert store.get(gone.id, namespace="p") is None
        after = store.get(bad.id, namespace="p")
        assert after is not None and after.status is CaseStatus.QUARANTINED
        assert store.count(namespace="p") == 4


def test_threads_and_the_flusher_of_two_stores_in_one_process_lose_nothing(
    tmp_path: Path, mk
) -> None:  # type: ignore[no-untyped-def]
    import threading

    emb = HashingEmbedder(dim=128)
    path = tmp_path / "bank"
    one = ChromaCaseStore(path, emb, flush_every=5, flush_interval_s=0.05)
    two = ChromaCaseStore(path, emb, flush_every=5, flush_interval_s=0.05)
    cases = [
        mk(task(w, i), namespace="t", case_id=f"t{w}-{i}") for w in range(4) for i in range(15)
    ]

    def write(w: int) -> None:
        store = one if w % 2 else two
        for c in cases[w * 15 : (w + 1) * 15]:
            store.put(c, emb.embed([c.task])[0])

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for store in (one, two):
        for c in cases:
            [(found, _)] = store.search(emb.embed([c.task])[0], namespace="t", n=1)
            assert found.id == c.id
    one.close()
    two.close()
    with ChromaCaseStore(path, emb) as store:
        ids = [c.id for c in store.cases(namespace="t")]
        assert sorted(ids) == sorted(c.id for c in cases)
