"""Memory loads chromadb only when a bank on disk is opened (its import costs ~0.8 s)."""

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


def test_an_in_memory_bank_never_imports_chromadb() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_opening_a_bank_on_disk_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    probe = _PROBE.replace(
        "CaseBank(InMemoryCaseStore(emb.id, emb.dim), emb)",
        f"CaseBank.open({str(tmp_path / 'bank')!r}, embedder=emb)",
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr
