"""The CLI starts up without automatic garbage collections and resumes them, with start-up's
heap frozen, once its agent has started (issue 14); a program that imports agentroute keeps
its collector as it set it. Each case runs in its own interpreter: the collector is global."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_PROBE = """
import gc, json, sys
from agentroute import Agent
from agentroute._runtime import pause_collection
if sys.argv[1] == "cli":
    pause_collection()
seen = {"paused": not gc.isenabled()}
with Agent.default(sys.argv[2]) as agent:
    seen["after_start"] = gc.isenabled()
    seen["frozen"] = gc.get_freeze_count()
    seen["answer"] = agent.run("What is 17 * 23?").answer
print(json.dumps(seen))
"""


def _probe(mode: str, data_dir: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout.splitlines()[-1]))


def test_the_cli_collects_again_once_the_agent_has_started(tmp_path: Path) -> None:
    seen = _probe("cli", tmp_path)
    assert seen["paused"] is True
    assert seen["after_start"] is True  # a long chat or server collects as usual
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000  # start-up's heap
    assert "391" in str(seen["answer"])


def test_a_program_keeps_its_collector(tmp_path: Path) -> None:
    seen = _probe("library", tmp_path)
    assert seen["paused"] is False
    assert seen["after_start"] is True
    assert seen["frozen"] == 0
    assert "391" in str(seen["answer"])
