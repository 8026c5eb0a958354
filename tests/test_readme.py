"""The README's Python blocks run as written (issue 11), the way a new user pastes them: each
block in a fresh process, in an empty working directory (no clone beside it), with
the virtual environment's ``python`` first on ``PATH``. A block may be followed by a few lines
of this test's own that use what it built and check the result; a new block without an entry
here fails the suite."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)

# For each block, in order: (code run after it in the same process, text its output must hold).
CHECKS: list[tuple[str, list[str]]] = [
    ("", ["391", "8.04672", "calc.calculate", "units.convert"]),
    (
        "with agent:\n"
        "    r = agent.run('What is the current time in Europe/Paris?')\n"
        "    print([(s.target, s.ok, s.policy.effect) for s in r.steps])\n",
        ["('time.get_current_time', True, 'allow')"],
    ),
]


def test_every_block_is_checked() -> None:
    assert len(BLOCKS) == len(CHECKS)


@pytest.mark.parametrize("index", range(len(CHECKS)))
def test_block_runs_as_written(index: int, tmp_path: Path) -> None:
    epilogue, expected = CHECKS[index]
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "AGENTROUTE_LOG": "error",
        # The blocks build an OpenAI model: a placeholder key, and a closed loopback port in
        # case anything ever called it (nothing may leave the machine).
        "OPENAI_API_KEY": "sk-placeholder",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "OPENAI_API_BASE": "http://127.0.0.1:9/v1",
    }
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKS[index] + "\n" + epilogue],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for text in expected:
        assert text in proc.stdout, proc.stdout


def test_policy_blocks_load() -> None:
    """The README's policy examples parse and type-check (no schemas: any argument)."""
    from agentroute.policy import Policy

    blocks = re.findall(r"```policy\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    assert blocks
    for text in blocks:
        assert Policy.from_text(text).rules
