"""The same request answered the same way twice leaves one case, refreshed, not two twins."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import cli


def test_a_repeated_success_refreshes_its_case(tmp_path: Path) -> None:
    turns = []
    for _ in range(2):
        proc = cli("run", "What is 17 * 23?", "--json", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        turns.append(json.loads(proc.stdout)["turn_id"])
    dump = cli("memory", "export", "-", cwd=tmp_path)
    assert dump.returncode == 0, dump.stderr
    (case,) = [json.loads(line) for line in dump.stdout.splitlines()]
    assert case["turn_id"] == turns[1]  # /good after the second turn reaches it
    assert case["recall"]["successes"] == 1  # the second turn recalled it and went well
    other = cli("run", "What is 18 * 23?", cwd=tmp_path)  # another task: a case of its own
    assert other.returncode == 0, other.stderr
    assert len(cli("memory", "list", cwd=tmp_path).stdout.splitlines()) == 2
