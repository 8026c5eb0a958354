"""What chat shows for a call the no-policy default allows: plain words per kind."""

from __future__ import annotations

from agentroute.policy._safe_default import SafeDefaultGate
from agentroute.testing import ScriptedTarget
from agentroute.types import TargetKind, ToolCall


def test_a_base_and_an_expert_are_named_in_words() -> None:
    base = ScriptedTarget("handbook", kind=TargetKind.KNOWLEDGE)
    expert = ScriptedTarget("local", kind=TargetKind.EXPERT)
    gate = SafeDefaultGate({"handbook": base, "local": expert})
    said = [
        gate.check(
            ToolCall(step_id="s1", target=t.descriptor.name, kind=t.descriptor.kind), session="x"
        )
        for t in (base, expert)
    ]
    assert [d.effect for d in said] == ["allow", "allow"]
    assert [d.reason for d in said] == [
        "no policy configured: a knowledge base only reads",
        "no policy configured: an expert model only reads",
    ]
