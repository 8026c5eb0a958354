"""Per-task policies from an LLM: validated, applied only as an intersection, skipped offline."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from agentroute.policy import PolicyGate, apropose_policy, propose_policy
from agentroute.types import TargetKind, ToolCall

SCHEMAS: dict[str, dict[str, Any]] = {
    "mail.send": {
        "type": "object",
        "properties": {"to": {"type": "string"}, "body": {"type": "string"}},
        "required": ["to", "body"],
    },
    "mail.read": {"type": "object", "properties": {}},
}
STATIC = 'allow mail.send when to endswith "@example.com"\nallow mail.read'


def _call(**args: Any) -> ToolCall:
    return ToolCall(step_id="1", target="mail.send", kind=TargetKind.TOOL, args=args)


def test_offline_the_step_is_skipped_with_a_reason() -> None:
    p = propose_policy(None, "mail bob", SCHEMAS)
    assert not p.applied and "no LLM configured" in p.reason and p.policy is None


def test_a_valid_proposal_narrows_and_cannot_widen() -> None:
    reply = '```policy\nallow mail.send when to == "bob@example.com"\nallow mail.send when to == "eve@evil.io"\n```'
    p = propose_policy(FakeListChatModel(responses=[reply]), "mail bob", SCHEMAS)
    assert p.applied and p.policy is not None
    gate = PolicyGate.from_text(STATIC, SCHEMAS)
    gate.narrow("t1", p.policy)
    assert gate.check(_call(to="bob@example.com", body="x"), session="t1").effect == "allow"
    assert gate.check(_call(to="alice@example.com", body="x"), session="t1").effect == "deny"
    # the proposal "allows" eve, but the static policy does not: the intersection denies
    assert gate.check(_call(to="eve@evil.io", body="x"), session="t1").effect == "deny"
    assert gate.check(_call(to="alice@example.com", body="x"), session="t2").effect == "allow"


async def test_an_invalid_proposal_is_rejected_and_the_static_policy_applies() -> None:
    model = FakeListChatModel(responses=['allow mail.send when recipient == "x"'])
    p = await apropose_policy(model, "mail bob", SCHEMAS)
    assert not p.applied and "no argument 'recipient'" in p.reason and p.policy is None
