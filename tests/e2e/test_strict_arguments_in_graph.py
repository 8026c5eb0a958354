"""Strict arguments through the real graph: a planned call carrying an argument the real
calc server's schema does not declare is denied by the policy, never dispatched."""

from __future__ import annotations

import sys
from pathlib import Path

from agentroute import Agent
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedPlanner


def test_a_misspelt_argument_is_denied_with_the_name_it_meant(tmp_path: Path) -> None:
    calc = McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])
    planner = ScriptedPlanner(
        [("what is 17 * 23", "calc.calculate", {"query": "17 * 23", "qeury": "2 * 2"})],
        [("what is 17 * 23", "calc.calculate", {"query": "17 * 23"})],
        [],
    )
    policy = tmp_path / "p.policy"
    policy.write_text("allow calc.calculate\n")
    with Agent(mcp=[calc], planner=planner, policy=policy) as agent:
        result = agent.run("what is 17 * 23")
    first, second = result.steps
    assert first.policy is not None and first.policy.effect == "deny" and not first.ok
    assert "'qeury' (did you mean 'query'?)" in first.policy.reason
    assert second.ok and "391" in second.result  # the replan with declared arguments runs
