"""Case writes left in the journal by a clean close (no chromadb import) are never lost: a later
process reads them, a killed one after it loses none, and the first batch applied puts them all
in chromadb."""

from __future__ import annotations

import signal
from pathlib import Path

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore
from agentroute.memory._journal import Journal

from .case_writer import start


def _write(path: Path, first: int, last: int, then: str) -> list[str]:
    proc = start(path, first, last, then)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.strip())
        if len(lines) == last - first + (then == "close"):
            break
    if then == "kill":
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=120)
    return lines


def test_deferred_cases_survive_a_kill_and_reach_chromadb(tmp_path: Path) -> None:
    path = tmp_path / "bank"
    emb = HashingEmbedder(dim=128)
    out = _write(path, 0, 5, "close")
    assert out[-1] == "closed False"  # left journaled: chromadb never imported
    assert not (path / "chroma").exists()
    out = _write(path, 5, 9, "kill")  # adopts the five, writes four more, killed
    assert out == [f"written c{i}" for i in range(5, 9)]
    with ChromaCaseStore(path, emb) as store:  # a reader sees all nine, from the journal
        for i in range(9):
            [(found, _)] = store.search(
                emb.embed([f"weather in city number {i}"])[0], namespace="ns", n=1
            )
            assert found.id == f"c{i}"
        assert store.count(namespace="ns") == 9  # counting applies the batch to chromadb
    journal = Journal(path)  # every op the journal holds is in chromadb
    with journal.locked(exclusive=False):
        assert journal.applied() == journal.end() and journal.end()[1] > 0
    journal.close()
    with ChromaCaseStore(path, emb) as store:
        assert {c.id for c in store.cases(namespace="ns")} == {f"c{i}" for i in range(9)}
