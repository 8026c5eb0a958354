"""Target schemas as policies address them (policies are validated against these at load)."""

from __future__ import annotations

from typing import Any

from agentroute.protocols import Target
from agentroute.types import TargetKind

__all__ = ["policy_schemas"]

_EXPERT_SCHEMA = {  # also a tool's without its own schema
    "type": "object",
    "properties": {"query": {"type": "string"}},
    "required": ["query"],
}
_KB_SCHEMA = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "k": {"type": "integer"},
        "where": {"type": "object"},
    },
    "required": ["query"],
}
"""What a knowledge base's call carries: the question, how many passages, a metadata filter."""


def policy_schemas(targets: dict[str, Target]) -> dict[str, dict[str, Any]]:
    """Tool schemas as policies address them: ``server.tool``, ``expert.<name>``, ``kb.<name>``.

    Policies are validated against these at load time, so a condition on an argument a tool
    does not have is an error before the first call.
    """
    out: dict[str, dict[str, Any]] = {}
    for name, target in targets.items():
        kind = target.descriptor.kind
        if kind is TargetKind.TOOL:
            # without a schema, a tool takes the step's text as ``query`` (turn._steps)
            out[name] = target.descriptor.input_schema or _EXPERT_SCHEMA
        else:
            expert = kind is TargetKind.EXPERT
            out[("expert." if expert else "kb.") + name] = _EXPERT_SCHEMA if expert else _KB_SCHEMA
    return out
