"""Re-filling a reused plan: the old request's details swapped for the new request's.

The old task and the new task are aligned word by word; each differing span (a city, a number,
a name) is substituted, all at once, into the old plan's step queries and string arguments.
A request that differs by more than a few words, or adds or drops content words, is not the
same request with other details: no plan comes back.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from agentroute._records import Plan, Step
from agentroute.memory._checks import content_words

__all__ = ["refill_plan"]

_TOKEN = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def refill_plan(
    plan: Plan, old_task: str, new_task: str, *, max_span: int = 4, min_equal: float = 0.5
) -> tuple[list[Step], dict[str, str]] | None:
    """``(steps, substitutions)`` for ``new_task``, or ``None`` when the tasks do not align."""
    old, new = _tokens(old_task), _tokens(new_task)
    a = [m.group(0).lower() for m in old]
    b = [m.group(0).lower() for m in new]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    equal = sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal")
    if equal < min_equal * max(len(a), len(b), 1):
        return None
    subs: dict[str, str] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag in ("insert", "delete"):
            if content_words(" ".join(a[i1:i2] + b[j1:j2])):
                return None
            continue
        if i2 - i1 > max_span or j2 - j1 > max_span:
            return None
        src = old_task[old[i1].start() : old[i2 - 1].end()]
        dst = new_task[new[j1].start() : new[j2 - 1].end()]
        subs[src] = dst
    if not subs:
        return [s.model_copy(deep=True) for s in plan.steps], {}
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(s) for s in sorted(subs, key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    lowered = {k.lower(): v for k, v in subs.items()}

    def fill(text: str) -> str:
        return pattern.sub(lambda m: lowered[m.group(0).lower()], text)

    def fill_value(value: Any) -> Any:
        if isinstance(value, str):
            return fill(value)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and str(value) in subs:
            return _number(subs[str(value)], value)
        if isinstance(value, dict):
            return {k: fill_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill_value(v) for v in value]
        return value

    steps = [
        s.model_copy(
            update={
                "query": fill(s.query),
                "args": fill_value(s.args) if s.args is not None else None,
            },
            deep=True,
        )
        for s in plan.steps
    ]
    return steps, subs


def _number(text: str, like: int | float) -> Any:
    try:
        return type(like)(text.replace(",", ""))
    except ValueError:
        return text
