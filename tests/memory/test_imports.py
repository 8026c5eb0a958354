"""Memory loads chromadb only when it needs it (its import costs ~0.5-1 s, issue 14): not with
``agentroute.memory``, not to recall from or write to a bank on disk; to apply a batch of
journaled writes, it does."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseBank, InMemoryCaseStore
emb = HashingEmbedder(dim=64)
CaseBank(InMemoryCaseStore(emb.id, emb.dim), emb).recall("weather in Oslo", namespace="n")
print("chromadb" in sys.modules)
"""

_ON_DISK = """
import sys
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore
from tests.memory.conftest import make_case
emb = HashingEmbedder(dim=64)
path, step = sys.argv[1], sys.argv[2]
store = ChromaCaseStore(path, emb, defer_up_to=2)
if step == "seed":  # chromadb holds these, and a saved index of them
    cases = [make_case(f"weather in town {i}", namespace="n", case_id=f"c{i}") for i in range(3)]
    store.put_many(cases, emb.embed([c.task for c in cases]))
elif step == "write":
    case = make_case(f"weather in town {sys.argv[3]}", namespace="n", case_id=f"c{sys.argv[3]}")
    store.put(case, emb.embed([case.task])[0])
hits = store.search(emb.embed(["weather in town 1"])[0], namespace="n", n=10)
store.close()
print(len(hits), "chromadb" in sys.modules)
"""


def _run(code: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def test_an_in_memory_bank_never_imports_chromadb() -> None:
    assert _run(_PROBE) == "False"


def test_a_bank_on_disk_recalls_and_writes_without_chromadb_until_a_batch_is_due(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bank = str(tmp_path / "bank")
    assert _run(_ON_DISK, bank, "seed") == "3 True"  # a bulk load goes straight to chromadb
    assert _run(_ON_DISK, bank, "read") == "3 False"
    assert _run(_ON_DISK, bank, "write", "7") == "4 False"  # journaled, left for later
    assert _run(_ON_DISK, bank, "write", "8") == "5 False"
    assert _run(_ON_DISK, bank, "write", "9") == "6 True"  # 3 queued > defer_up_to: applied
    assert _run(_ON_DISK, bank, "read") == "6 False"
