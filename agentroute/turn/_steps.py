"""Plan bookkeeping: which steps are ready, and filling ``{{s1}}`` references."""

from __future__ import annotations

import re
from typing import Any

from agentroute.text import carried_unit, carries_unit, principal_value, value_for
from agentroute.types import REFERENCE, Observation, Step, TargetDescriptor, TargetKind

__all__ = ["dependencies", "fill_references", "ready_steps", "resolve_arguments"]


def dependencies(step: Step) -> set[str]:
    return step.inputs


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


def fill_references(
    text: str,
    observations: dict[str, Observation],
    target: TargetDescriptor | None = None,
    steps: dict[str, Step] | None = None,
) -> str:
    """``{{s1}}`` replaced by what step s1 found, in the form ``target`` takes it: the whole
    text for one without a schema (an expert, a knowledge base), the principal value (a number,
    with its unit where the clause converts) for a tool; a missing or failed one stays. With
    the plan's ``steps``, a number computed from quantities keeps their unit (`_unit_of`)."""
    takes_text = target is None or not target.input_schema

    def sub(match: re.Match[str]) -> str:
        obs = observations.get(match.group(1))
        if obs is None or not obs.ok:
            return match.group(0)
        unit = _unit_of(match.group(1), observations, steps or {}, set())
        return value_for(
            text,
            match.end(),
            obs.result,
            obs.data,
            takes_text=takes_text,
            unit=unit,
            asked=obs.query,
        )

    return REFERENCE.sub(sub, text)


def _unit_of(
    sid: str, observations: dict[str, Observation], steps: dict[str, Step], seen: set[str]
) -> str:
    """The unit of step ``sid``'s number: its own, or the one unit of the quantities it
    computed on (a tool step that took earlier results: "add 10 to that")."""
    obs = observations.get(sid)
    if obs is None or not obs.ok or sid in seen:
        return ""
    seen.add(sid)
    own = principal_value(obs.result, obs.data)
    step = steps.get(sid)
    inputs = sorted(dependencies(step)) if step is not None else []
    computed = obs.kind is TargetKind.TOOL and bool(inputs)
    units = [_unit_of(d, observations, steps, seen) for d in inputs] if computed else []
    carried = carried_unit(own, units, computed)
    if carried or obs.kind is not TargetKind.TOOL:
        return carried
    # "how far is that in miles": a bare number a tool computed is in the unit it was asked in
    asked = _ASKED_IN.search(obs.query)
    return asked.group(1) if asked and carries_unit(f"1 {asked.group(1)}") else ""


_ASKED_IN = re.compile(r"\bin\s+([^\W\d_][\w/]*)\W*$", re.IGNORECASE)
"""The unit a question asks its answer in ("how far is that in miles")."""


def resolve_arguments(
    query: str, args: dict[str, Any] | None, schema: dict[str, Any] | None, tool: str | None = None
) -> dict[str, Any]:
    """The arguments a tool call will carry, known before the gate checks them.

    Explicit arguments (from an LLM plan or a reused case) are validated against the schema;
    otherwise they are filled from the text by ``agentroute.text.fill_arguments``. Targets without a
    schema (experts, knowledge bases) take the query itself. Raises ``ValueError`` with the
    reason when no valid arguments can be had: the step fails clearly instead of dispatching.
    """
    if not schema:
        return dict(args) if args is not None else {"query": query}
    from agentroute.text import ArgumentFillError, fill_arguments, validate_arguments

    if args is not None:
        args = {**_required_defaults(schema), **args}
        problems = validate_arguments(args, schema)
        if problems:
            raise ValueError(f"invalid arguments for {tool or 'the tool'}: {'; '.join(problems)}")
        return dict(args)
    try:
        return fill_arguments(query, schema, tool=tool)
    except ArgumentFillError as exc:
        raise ValueError(
            f"could not derive arguments for {tool or 'the tool'} from {query!r}: {exc}"
        ) from None


def _required_defaults(schema: dict[str, Any]) -> dict[str, Any]:
    """Required arguments with a default in the schema (a server-level default such as the
    git server's repository): explicit arguments that leave one out still carry it."""
    props = schema.get("properties") or {}
    return {
        name: props[name]["default"]
        for name in schema.get("required") or []
        if isinstance(props.get(name), dict) and props[name].get("default") is not None
    }
