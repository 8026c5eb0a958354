"""Where each argument of a call came from: the labels policies condition on
(``deny slack.send_direct_message when recipient from tool``).

The plan makes this deterministic. A step's arguments are read from its clause of the
user's request, with ``{{sN}}`` filled by the outputs of the steps it depends on, or written by
an LLM planner, or reused from a recalled case. A value found in the request is ``user``; found
in a dependency's output, that step's ``tool:<target>`` (``expert:``, ``knowledge:``); equal to
the schema's default, ``default``. A value found nowhere is labelled by what could have made
it: everything that fed the clause (its request text and every dependency) when our argument
filler read it, ``planner`` when an LLM planner wrote it, ``memory`` in a reused case's plan.
Taint is conservative: a value in two places carries both labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from agentroute.types import Observation, Step

__all__ = ["argument_origins"]

_SPACE = re.compile(r"\s+")


def argument_origins(
    args: Mapping[str, Any],
    *,
    request: str,
    step: Step,
    inputs: Mapping[str, Observation],
    schema: dict[str, Any] | None,
    reused_case: str | None = None,
) -> dict[str, list[str]]:
    """Labels for each argument of ``step``'s call; ``inputs``: the observations of the
    steps it depends on."""
    sources = [("user", _norm(request))]
    for obs in inputs.values():
        if obs.ok:
            sources.append((f"{obs.kind.value}:{obs.target}", _norm(_output_text(obs))))
    fed = [label for label, _ in sources]
    if reused_case is not None:
        unfound = ["memory"]
    elif step.args is not None:
        unfound = ["planner"]
    else:
        unfound = fed
    props = (schema or {}).get("properties") or {}
    out: dict[str, list[str]] = {}
    for name, value in args.items():
        labels: set[str] = set()
        default = props.get(name, {}).get("default") if isinstance(props.get(name), dict) else None
        for leaf in _leaves(value):
            text = _norm(leaf)
            found = {label for label, source in sources if text and _occurs(text, source)}
            if not found and default is not None and value == default:
                found = {"default"}
            labels |= found or set(unfound)
        out[name] = sorted(labels or unfound)
    return out


def _output_text(obs: Observation) -> str:
    """Everything a step produced that a later value could be taken from."""
    parts = [obs.result]
    if obs.data:
        parts += [str(v) for v in _leaves(obs.data)]
    return " ".join(parts)


def _leaves(value: Any) -> Iterator[str]:
    """The strings and numbers inside a value (lists and objects walked)."""
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, float) and value.is_integer():
        yield str(int(value))
    else:
        yield str(value)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _occurs(value: str, source: str) -> bool:
    """``value`` appears in ``source`` as a whole token run (``7`` is not in ``17``)."""
    if value not in source:
        return False
    pattern = (r"(?<![\w.])" if value[0].isalnum() else "") + re.escape(value)
    pattern += r"(?![\w])" if value[-1].isalnum() else ""
    return re.search(pattern, source) is not None
