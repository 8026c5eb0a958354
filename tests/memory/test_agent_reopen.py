"""``Agent.close`` releases the case bank: a second agent in the same process opens it again.

The bank holds an exclusive lock on its folder; ``Agent.default`` opens the bank itself, so
closing the agent must close the bank, or the next agent runs without memory (with a warning
that blamed "another process").
"""

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
    assert after.case_id is not None and after.case_id != before.case_id
    err = capfd.readouterr().err
    assert "memory.unavailable" not in err, err
    assert not re.search(r'\[warning\s*\]|"level": "warning"', err), err  # console or JSON


def test_while_the_first_agent_is_open_the_second_is_told_so(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Agent.default(tmp_path) as first:
        first.run("What is 17 * 23?")
        with Agent.default(tmp_path) as second:
            alone = second.run("What is 17 * 23?")
    assert alone.memory == [] and alone.case_id is None
    err = capfd.readouterr().err
    assert "memory.unavailable" in err and "already open in this process" in err, err
