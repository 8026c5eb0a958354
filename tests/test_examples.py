"""Every script in examples/ runs, as a user would run it, and says what it should."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

EXPECTED = {
    "quickstart.py": ["391", "8.04672", "calc.calculate", "units.convert"],
    "ask_a_human.py": ["6 * 7 = 42", "approval needed for calc.calculate", "121932631115635269"],
    "replay_router.py": ["routed to", "a point", "cost $"],
    "cascade.py": ["accepted", "paid for: ", "cost $"],
}


def test_every_example_is_covered() -> None:
    assert {p.name for p in (REPO / "examples").glob("*.py")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str, tmp_path: Path) -> None:
    proc = subprocess.run(  # as a user runs it: no arguments (the replay examples read data/)
        [sys.executable, str(REPO / "examples" / name)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "AGENTROUTE_LOG": "error"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for text in EXPECTED[name]:
        assert text in proc.stdout, proc.stdout
