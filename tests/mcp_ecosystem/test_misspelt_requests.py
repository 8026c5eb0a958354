"""Misspelt routing words through the real graph: the official git server, started by the
agent, serves "git stauts" and "shwo the comit log" as it serves them spelt right
(`agentroute.text.Speller`, built by `agentroute.build` from the targets' own words). Without
the speller "git stauts" goes elsewhere (checked: this test fails with it off)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec

MISSPELT = [
    ("git stauts", "git.git_status", "notes-untracked.txt"),
    ("shwo me the git comit log", "git.git_log", "Add the app entry point"),
]


@pytest.mark.parametrize(("request_text", "target", "shown"), MISSPELT)
def test_a_misspelt_request_reaches_the_tool_it_names(
    git_spec: McpServerSpec, repo: Path, request_text: str, target: str, shown: str
) -> None:
    with Agent(mcp=[git_spec], max_rounds=1, warm_spares=False) as agent:
        result = agent.run(request_text)
    assert [s.target for s in result.steps] == [target], result.trace
    assert shown in str(result.answer)
