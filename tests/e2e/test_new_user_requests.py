"""Requests a new user tries on the embedded default, through the real Agent and graph: a
huge one, unicode, and what the answer says back about them."""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent


def test_a_huge_request_is_answered_without_being_echoed_whole(default_agent: Agent) -> None:
    """A 50 KB request whose tail matched nothing came back whole inside its 'No suitable
    target' line; the part answered is still answered, the rest named, shortened."""
    filler = "lorem ipsum dolor sit amet " * 1900
    result = default_agent.run("What is 2 + 2? " + filler)
    assert "2 + 2 = 4 [calc.calculate]" in result.answer
    (said,) = [line for line in result.answer.splitlines() if "No suitable target" in line]
    assert "characters, shortened)" in said and len(said) < 400, said[:500]
    assert result.unmatched and len(result.unmatched[0]) > 50_000  # the data keeps it whole


def test_a_unicode_request_keeps_its_characters(default_agent: Agent) -> None:
    result = default_agent.run("How many kilometres are 5 miles? Привет 😀")
    assert "8.04672" in result.answer
    assert "Привет" in result.answer  # named as it was written, not mangled


def test_the_trace_names_the_targets_a_policy_hid(tmp_path: Path) -> None:
    """A policy that denies calc outright hides it from the planner: the run said only 'No
    suitable target for ...', and its trace did not say why either."""
    from agentroute.mcp import McpServerSpec
    from agentroute.observability import format_trace

    policy = tmp_path / "units.policy"
    policy.write_text('default deny fallback "only units"\nallow units.convert\n')
    specs = [
        McpServerSpec(name="calc", module="agentroute_tools.calc"),
        McpServerSpec(name="units", module="agentroute_tools.units"),
    ]
    with Agent(mcp=specs, policy=policy, checkpoint=False) as agent:
        result = agent.run("What is 2 + 2?")
    assert "No suitable target" in result.answer
    said = [line for line in format_trace(result.trace) if "not shown to the planner" in line]
    assert said and said[0].endswith("(the policy denies them): calc.calculate"), said
