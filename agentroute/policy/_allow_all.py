"""The gate of an agent with no policy: its own module, so a run without one never loads the
policy language (its parser and compiler)."""

from __future__ import annotations

from agentroute.types import PolicyDecision, ToolCall

__all__ = ["AllowAllGate"]


class AllowAllGate:
    """The gate when no policy is configured: allows, and the decision says so.

    Built only where the user asked for no policy; every decision still names the reason, so
    the trace shows that nothing was checked."""

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect="allow",
            rule=None,
            reason="no policy configured: gate allows every call",
        )
