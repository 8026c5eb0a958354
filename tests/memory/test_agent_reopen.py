"""Two agents on one data directory share its case bank: closed one after the other, or open
side by side (each recalls what the other remembered, with no warning)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentroute import Agent


def test_a_second_agent_reopens_the_bank_after_the_first_is_closed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    first = Agent.default(tmp_path)
    try:
        before = first.run("What is 17 * 23?")
    finally:
        first.close()
    assert before.case_id is not None and before.steps[0].ok

    with Agent.default(tmp_path) as second:
        after = second.run("What is 17 * 23?")
    assert before.case_id in [h.case_id for h in after.memory]
    assert after.case_id == before.case_id  # written: the same task and plan refresh one case
    err = capfd.readouterr().err
    assert "memory.unavailable" not in err, err
    assert not re.search(r'\[warning\s*\]|"level": "warning"', err), err  # console or JSON


def test_two_agents_open_side_by_side_share_the_bank(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Agent.default(tmp_path) as first:
        before = first.run("What is 17 * 23?")
        with Agent.default(tmp_path) as second:
            seen = second.run("What is 17 * 23?")
            again = first.run("What is 17 * 23?")
    assert before.case_id is not None and before.case_id in [h.case_id for h in seen.memory]
    assert seen.case_id is not None and seen.case_id in [h.case_id for h in again.memory]
    err = capfd.readouterr().err
    assert "memory.unavailable" not in err, err
    assert not re.search(r'\[warning\s*\]|"level": "warning"', err), err
