"""The gate of an agent with no policy file: read-only calls pass, calls that may change the
world wait for a human. Its own module, so a run without a policy never loads the policy
language (its parser and compiler)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from agentroute.types import PolicyDecision, PolicyEffect, TargetDescriptor, TargetKind, ToolCall

__all__ = ["SafeDefaultGate"]


_NOUN = {TargetKind.KNOWLEDGE: "a knowledge base", TargetKind.EXPERT: "an expert model"}
"""How chat names a kind that never acts ("knowledges only read" read as a typo)."""


class _Described(Protocol):
    @property
    def descriptor(self) -> TargetDescriptor: ...


class SafeDefaultGate:
    """The gate when no policy is configured (implements ``agentroute.protocols.Gate``).

    A tool whose effect (``TargetDescriptor.effect``: its MCP annotations, else its name and
    description) is ``write`` or ``destructive`` is sent to a human (``ask``); everything
    else (read-only tools, tools that say nothing of an effect, experts, knowledge bases) is
    allowed, and every decision says which default decided. A tool missing from ``targets``
    (its server's tool list changed) is asked about too: fail closed.

    ``targets`` is read at each call, so it follows tool lists that change while the agent
    runs. A policy that allows a writing tool is how a user lets it run unasked.
    """

    def __init__(self, targets: Mapping[str, _Described]) -> None:
        self.targets = targets

    def describe(self) -> str:
        """What chat says of this gate: the default, and the tools that will ask first."""
        writers = [
            name
            for name, t in list(self.targets.items())
            if t.descriptor.kind is TargetKind.TOOL and t.descriptor.writes
        ]
        asks = f": {', '.join(writers)} ask you first" if writers else ""
        return f"no policy file: read-only calls run, calls that write ask first{asks}"

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        if call.kind is not TargetKind.TOOL:
            what = _NOUN.get(call.kind, call.kind.value)
            return self._decide(call, "allow", f"no policy configured: {what} only reads")
        target = self.targets.get(call.target)
        effect = target.descriptor.effect if target is not None else "unknown"
        if effect in ("write", "destructive", "unknown"):
            said = "an unknown tool" if effect == "unknown" else f"a {effect} tool"
            return self._decide(
                call,
                "ask",
                f"no policy configured, and {call.target} is {said}: a human decides "
                "(a policy that allows it lets it run unasked)",
            )
        reason = "is read-only" if effect == "read" else "declares no side effect"
        return self._decide(call, "allow", f"no policy configured: {call.target} {reason}")

    @staticmethod
    def _decide(call: ToolCall, effect: PolicyEffect, reason: str) -> PolicyDecision:
        return PolicyDecision(
            step_id=call.step_id,
            target=call.target,
            effect=effect,
            rule=None,
            reason=reason,
        )
