"""Strict arguments: a call carrying an argument its tool's schema does not declare is denied
with the name and the nearest declared one, whatever the rules say."""

from __future__ import annotations

from typing import Any

from agentroute.policy import Policy, PolicyGate
from agentroute.types import TargetKind, ToolCall

SCHEMAS: dict[str, dict[str, Any]] = {
    "banking.update_scheduled_transaction": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "recipient": {"type": "string"},
            "amount": {"type": "number"},
        },
        "required": ["id"],
    },
    "web.fetch": {
        "type": "object",
        "properties": {"url": {"type": "string"}},
        "additionalProperties": True,
    },
}
RULES = """
allow banking.update_scheduled_transaction when id in [6, 7] and (not has(recipient) or recipient in ["US1"])
allow web.fetch
"""
KEY = "banking.update_scheduled_transaction"


def test_a_misspelt_argument_is_denied_and_the_reason_names_it() -> None:
    policy = Policy.from_text(RULES, SCHEMAS)
    verdict = policy.decide(KEY, {"id": 7, "recipeint": "US133"})
    assert verdict.effect == "deny"
    assert "'recipeint'" in verdict.reason and "did you mean 'recipient'" in verdict.reason


def test_declared_arguments_are_decided_by_the_rules() -> None:
    policy = Policy.from_text(RULES, SCHEMAS)
    assert policy.decide(KEY, {"id": 7, "recipient": "US1"}).effect == "allow"
    assert policy.decide(KEY, {"id": 7}).effect == "allow"
    assert policy.decide(KEY, {"id": 7, "recipient": "US2"}).effect == "deny"


def test_a_schema_that_admits_more_arguments_is_not_strict() -> None:
    policy = Policy.from_text(RULES, SCHEMAS)
    assert policy.decide("web.fetch", {"url": "https://a.example", "extra": 1}).effect == "allow"


def test_without_schemas_nothing_is_known_to_be_undeclared() -> None:
    policy = Policy.from_text(RULES)
    assert policy.decide(KEY, {"id": 7, "recipeint": "US133"}).effect == "allow"


def test_the_gate_reports_the_denial_and_its_reason() -> None:
    gate = PolicyGate(Policy.from_text(RULES, SCHEMAS))
    call = ToolCall(step_id="s1", target=KEY, kind=TargetKind.TOOL, args={"id": 6, "amont": 5})
    decision = gate.check(call, session="t")
    assert decision.effect == "deny" and "strict arguments" in decision.reason
    assert "did you mean 'amount'" in decision.reason


def test_every_decision_names_the_policy_version_that_made_it() -> None:
    first = PolicyGate(Policy.from_text(RULES, SCHEMAS))
    same = PolicyGate(Policy.from_text(RULES, SCHEMAS))
    edited = PolicyGate(Policy.from_text(RULES + "deny web.fetch priority 9\n", SCHEMAS))
    call = ToolCall(step_id="s1", target=KEY, kind=TargetKind.TOOL, args={"id": 6})
    v1 = first.check(call, session="t").policy_version
    assert v1 is not None and v1.startswith("sha256:")
    assert same.check(call, session="t").policy_version == v1
    assert edited.check(call, session="t").policy_version != v1
