"""Plan bookkeeping: which steps are ready, and filling ``{{s1}}`` references."""

from __future__ import annotations

import re
from typing import Any

from agentroute._records import Observation, Step
from agentroute.planning._base import references

__all__ = ["dependencies", "fill_references", "ready_steps", "resolve_arguments"]

_REF = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")


def dependencies(step: Step) -> set[str]:
    return set(step.depends_on) | set(references(step.query))


def ready_steps(
    steps: dict[str, Step], order: list[str], observations: dict[str, Observation], routed: set[str]
) -> tuple[list[str], dict[str, str]]:
    """Steps whose inputs are all available, and steps blocked for good by a failed input."""
    ready: list[str] = []
    blocked: dict[str, str] = {}
    for sid in order:
        if sid in observations or sid in routed:
            continue
        deps = dependencies(steps[sid])
        failed = [d for d in deps if d in observations and not observations[d].ok]
        if failed:
            blocked[sid] = f"skipped: its input {', '.join(sorted(failed))} failed"
        elif all(d in observations for d in deps):
            ready.append(sid)
    return ready, blocked


def fill_references(text: str, observations: dict[str, Observation]) -> str:
    def sub(match: re.Match[str]) -> str:
        obs = observations.get(match.group(1))
        return obs.result if obs is not None and obs.ok else match.group(0)

    return _REF.sub(sub, text)


def resolve_arguments(query: str, args: dict[str, Any] | None, schema: dict[str, Any] | None):
    """The arguments a tool call will carry, known before the gate checks them.

    Explicit arguments win; a schema with a single string field takes the query; anything
    else is filled from the text by ``agentroute.mcp._argfill``.
    """
    if args is not None:
        return dict(args)
    if not schema:
        return {"query": query}
    props: dict[str, Any] = schema.get("properties") or {}
    strings = [k for k, v in props.items() if isinstance(v, dict) and v.get("type") == "string"]
    required = schema.get("required") or []
    if len(props) == 1 and strings:
        return {strings[0]: query}
    if len(required) == 1 and required[0] in strings and not any(
        r for r in required if r not in strings
    ) and len(strings) == 1:
        return {required[0]: query}
    from agentroute.mcp._argfill import fill_arguments

    return fill_arguments(query, schema)
