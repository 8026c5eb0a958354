"""``$request``: conditions on what the user asked in the turn a call serves (``delete`` only
when the user asked to delete), checked like a string, failing closed outside a turn."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec
from agentroute.policy import Policy, PolicyGate, PolicyValidationError, format_policy, parse
from agentroute.testing import ScriptedPlanner
from agentroute.types import TargetKind, ToolCall

SCHEMAS: dict[str, dict[str, Any]] = {
    "drive.delete_file": {"type": "object", "properties": {"file_id": {"type": "string"}}},
    "drive.list_files": {"type": "object", "properties": {}},
}
POLICY = """
def asked_to_delete() = lower($request) matches r"(?s).*\\b(delete|remove)\\b.*"
allow drive.list_files
allow drive.delete_file when asked_to_delete()
"""


def check(request: str | None, target: str = "drive.delete_file") -> str:
    gate = PolicyGate.from_text(POLICY, SCHEMAS, log_decisions=False)
    args = {"file_id": "13"} if target == "drive.delete_file" else {}
    call = ToolCall(step_id="s1", target=target, kind=TargetKind.TOOL, args=args, request=request)
    return str(gate.check(call, session="t").effect)


def test_a_deletion_is_allowed_only_in_a_turn_that_asked_for_one() -> None:
    assert check("Find and DELETE the largest file.") == "allow"
    assert check("Please remove file 13\nthanks") == "allow"
    assert check("What is the largest file in my drive?") == "deny"
    assert check("Who deleted-ish things? undeleted") == "deny"  # whole words only
    assert check("What is the largest file?", "drive.list_files") == "allow"


def test_without_a_request_the_condition_denies_and_says_why() -> None:
    assert check(None) == "deny"
    policy = Policy.from_text(POLICY, SCHEMAS)
    verdict = policy.decide("drive.delete_file", {"file_id": "13"})
    assert verdict.effect == "deny" and "request is not known" in verdict.reason
    asked = policy.decide("drive.delete_file", {"file_id": "13"}, request="delete file 13")
    assert asked.effect == "allow"


def test_request_is_given_by_the_call_and_is_a_string() -> None:
    with pytest.raises(PolicyValidationError, match=r"\$request is given by the call"):
        Policy.from_text('let request = "x"\nallow drive.list_files', SCHEMAS)
    with pytest.raises(PolicyValidationError, match="no fields"):
        Policy.from_text('allow drive.delete_file when $request.text == "x"', SCHEMAS)
    with pytest.raises(PolicyValidationError):
        Policy.from_text("allow drive.delete_file when $request > 3", SCHEMAS)
    # it compares on either side, and never as a constant folded at load
    policy = Policy.from_text("allow drive.delete_file when file_id == $request", SCHEMAS)
    assert policy.decide("drive.delete_file", {"file_id": "13"}, request="13").effect == "allow"
    assert policy.decide("drive.delete_file", {"file_id": "13"}, request="14").effect == "deny"


def test_format_keeps_request() -> None:
    text = format_policy(parse(POLICY))
    assert "$request" in text
    assert (
        Policy.from_text(text, SCHEMAS)
        .decide("drive.delete_file", {"file_id": "1"}, request="delete it")
        .effect
        == "allow"
    )


def test_the_turn_gives_the_gate_the_users_request(tmp_path: Path) -> None:
    """Through the real graph and the real calc server: the same planned call is allowed in
    the turn whose request says please, and denied in the one that does not."""
    calc = McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])
    policy = tmp_path / "p.policy"
    policy.write_text('allow calc.calculate when lower($request) contains "please"\n')
    step = ("17 * 23", "calc.calculate", {"query": "17 * 23"})
    planner = ScriptedPlanner([step], [step], [])  # the second turn replans after the deny
    with Agent(mcp=[calc], planner=planner, policy=policy) as agent:
        polite = agent.run("Please, what is 17 * 23?")
        curt = agent.run("what is 17 * 23")
    assert polite.steps[0].ok and "391" in polite.steps[0].result
    denied = curt.steps[0]
    assert denied.policy is not None and denied.policy.effect == "deny" and not denied.ok


def test_explain_and_test_take_the_request(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from agentroute.policy._cli import policy_app

    policy, schemas = tmp_path / "d.policy", tmp_path / "s.json"
    policy.write_text(POLICY)
    schemas.write_text(json.dumps(SCHEMAS))
    runner, call = CliRunner(), 'drive.delete_file {"file_id": "13"}'
    base = ["explain", str(policy), "--call", call, "--schemas", str(schemas)]
    assert runner.invoke(policy_app, [*base, "--request", "delete 13"]).output.startswith("ALLOW")
    without = runner.invoke(policy_app, base).output
    assert without.startswith("DENY") and "request is not known" in without
    cases = tmp_path / "cases.jsonl"
    lines = [
        {"call": call, "request": "please delete it", "expect": "allow"},
        {"call": call, "request": "list my files", "expect": "deny"},
    ]
    cases.write_text("\n".join(json.dumps(c) for c in lines) + "\n")
    res = runner.invoke(policy_app, ["test", str(policy), str(cases), "--schemas", str(schemas)])
    assert res.exit_code == 0, res.output
