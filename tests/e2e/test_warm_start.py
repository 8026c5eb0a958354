"""A warm ``agentroute run`` (issue 14) reads the facts base from its snapshot and the case bank
from its saved index and journal: the process never imports chromadb (~0.5-1 s of a start),
and its answer and its memory are those of the first run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agentroute.memory._journal import Journal
from tests.e2e.conftest import cli

QUESTION = "What is 17 * 23, and how many kilometres are 5 miles?"

_PROBE = """
import atexit, sys
for heavy in ("chromadb", "networkx"):
    atexit.register(lambda m=heavy: print(m, "loaded:", m in sys.modules, file=sys.stderr))
sys.argv = ["agentroute", *sys.argv[1:]]
from agentroute.cli._app import main
main()
"""


def _probe(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AGENTROUTE_LOG": "error"}
    return subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_warm_run_imports_no_chromadb_nor_networkx(tmp_path: Path) -> None:
    """A warm run pays for neither: chromadb (the bases answer from their snapshots) nor
    networkx (the geography graph is built when a clause first asks it; a plan is checked
    with the standard library's sorter)."""
    first = cli("run", QUESTION, cwd=tmp_path, timeout=300)
    assert first.returncode == 0, first.stderr
    warm = first
    for _ in range(2):
        warm = _probe(tmp_path, "run", QUESTION)
        assert warm.returncode == 0, warm.stderr
        assert "chromadb loaded: False" in warm.stderr
        assert "networkx loaded: False" in warm.stderr
        assert warm.stdout.splitlines()[:2] == first.stdout.splitlines()[:2]
    journal = Journal(tmp_path / ".agentroute" / "memory")
    with journal.locked(exclusive=False):  # the warm runs' cases wait in the journal
        assert journal.applied() < journal.end()
    listed = cli("memory", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()  # the same success refreshes one case
    assert QUESTION[:30] in line
    shown = cli("memory", "show", line.split()[0], cwd=tmp_path)
    last_turn = warm.stdout.split("turn ")[-1].strip()
    assert json.loads(shown.stdout)["turn_id"] == last_turn  # the last run's write reached it
