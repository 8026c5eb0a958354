"""Provenance through the real graph: each argument is labelled with where its value came
from, and a policy that asks (``query from tool``) decides on it, on the embedded default's
real MCP servers."""

from __future__ import annotations

import sys
from pathlib import Path

from agentroute import Agent
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedPlanner

POLICY = """
allow calc.calculate
deny units.convert when query from tool fallback "A computed value is converted only on request."
allow units.convert
"""


def _gate_events(result, step_id: str) -> list[dict]:
    return [
        e.data
        for e in result.trace
        if e.node == "gate" and e.kind == "policy" and e.data.get("step_id") == step_id
    ]


def test_a_value_from_a_tool_is_labelled_and_a_provenance_rule_denies_it(tmp_path: Path) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text(POLICY)
    with Agent.default(tmp_path / "data", policy=policy, memory=None) as agent:
        chained = agent.run("What is 17 * 23, and how many kilometres are that many miles?")
        direct = agent.run("how many kilometres are 391 miles?")
    first, second = chained.steps  # no replan repeats the denied call
    assert first.target == "calc.calculate" and first.ok
    assert second.target == "units.convert" and not second.ok
    assert second.policy is not None and second.policy.effect == "deny"
    origins = _gate_events(chained, second.id)[0]["origins"]
    assert "tool:calc.calculate" in origins["query"]
    assert _gate_events(chained, first.id)[0]["origins"]["query"] == ["user"]
    assert "A computed value is converted only on request." in chained.answer

    (step,) = direct.steps
    assert step.ok and step.policy is not None and step.policy.effect == "allow"
    assert _gate_events(direct, step.id)[0]["origins"] == {"query": ["user"]}
    assert "629.25" in direct.answer


def test_an_llm_plans_reference_inside_an_argument_is_filled_and_labelled(
    tmp_path: Path,
) -> None:
    units = McpServerSpec(
        name="units", command=sys.executable, args=["-m", "agentroute_tools.units"]
    )
    calc = McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])
    planner = ScriptedPlanner(
        [
            ("what is 17 * 23", "calc.calculate", {"query": "17 * 23"}),
            ("convert it", "units.convert", {"query": "{{s1}} miles in km"}),
        ],
        [],
    )
    policy = tmp_path / "p.policy"
    policy.write_text(POLICY)
    with Agent(mcp=[calc, units], planner=planner, policy=policy) as agent:
        result = agent.run("what is 17 * 23, then convert it from miles to km")
    second = result.steps[1]
    origins = _gate_events(result, second.id)[0]["origins"]
    assert origins["query"] == ["planner"]  # an LLM wrote it: not the user's, not a tool's
    assert second.policy is not None and second.policy.effect == "allow"
    assert "629.25" in second.result  # {{s1}} became 391 before the call


def test_a_target_the_policy_never_allows_is_never_planned(tmp_path: Path) -> None:
    policy = tmp_path / "p.policy"
    policy.write_text("allow calc.calculate\nallow kb.*\n")  # units.convert: denied whatever
    with Agent.default(tmp_path / "data", policy=policy, memory=None) as agent:
        result = agent.run("What is 17 * 23, and how many kilometres are 5 miles?")
        summary = agent.policy_summary()  # what chat shows on /policy
    assert summary.startswith(f"policy {policy} (sha256:")
    assert summary.endswith("; never planned: units.convert")
    assert all(s.target != "units.convert" for s in result.steps)
    assert not [
        e for e in result.trace if e.kind == "policy" and e.data["target"] == "units.convert"
    ]
    plans = [e.data for e in result.trace if e.kind == "plan"]
    assert plans and all(p["hidden_by_policy"] == ["units.convert"] for p in plans)
    assert "391" in result.answer
