"""Two ``agentroute chat`` processes on one thread at once (a second terminal on the same
``--thread``): each turn continues from the turn before it, whichever session ran it. Both once
read the same checkpoint and the later write dropped the other's turn; a session was even shown
the other's answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agentroute import Agent

TURNS = 8


def _chat(cwd: Path, offset: int) -> subprocess.Popen[str]:
    lines = "".join(f"What is {i} + {offset}?\n" for i in range(1, TURNS + 1)) + "/quit\n"
    (cwd / f"in-{offset}.txt").write_text(lines)
    return subprocess.Popen(
        [sys.executable, "-m", "agentroute", "chat", "--thread", "shared"],
        cwd=cwd,
        env={**os.environ, "AGENTROUTE_LOG": "error", "COLUMNS": "200"},
        stdin=(cwd / f"in-{offset}.txt").open(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_chats_on_one_thread_keep_every_turn(tmp_path: Path) -> None:
    first, second = _chat(tmp_path, 1000), _chat(tmp_path, 2000)
    outs = [p.communicate(timeout=600) for p in (first, second)]
    for offset, (out, err) in zip((1000, 2000), outs, strict=True):
        answers = [line for line in out.splitlines() if line.startswith("- ")]
        wanted = [f"- {i} + {offset} = {i + offset} [calc.calculate]" for i in range(1, TURNS + 1)]
        assert answers == wanted, (out, err)  # its own answers, every one, in order
    with Agent.default(tmp_path / ".agentroute", warm_spares=False, memory=None) as agent:
        asked = [request for request, _ in agent.history("shared")]
    assert len(asked) == 2 * TURNS, asked  # no turn dropped from the thread
    for offset in (1000, 2000):
        mine = [q for q in asked if q.endswith(f"+ {offset}?")]
        assert mine == [f"What is {i} + {offset}?" for i in range(1, TURNS + 1)], asked
