"""A gate that checks nothing, for an agent whose author says so in code (``policy=AllowAllGate()``);
with no policy at all, ``SafeDefaultGate`` decides."""

from __future__ import annotations

from agentroute.types import PolicyDecision, ToolCall

__all__ = ["AllowAllGate"]


class AllowAllGate:
    """Allows every call, and the decision says so.

    Only ever built by a user who passes it; every decision still names the reason, so the
    trace shows that nothing was checked."""

    def describe(self) -> str:
        return "AllowAllGate: every call allowed, nothing checked"

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect="allow",
            rule=None,
            reason="AllowAllGate: every call allowed, nothing checked",
        )
