"""Re-filling a reused plan: the old request's details swapped for the new request's.

The old task and the new task are aligned word by word; each differing span that is a *detail*
(numbers, capitalised names, codes, quoted text) is substituted, all at once, into the old
plan's step queries and string arguments. Other differences are allowed only when they are
phrasing the plan never used ("please tell me" vs "can you find"). A request that changes a
word the plan depends on ("population of" vs "local time in"), adds or drops content words, or
differs by more than a few words, is not the same request with other details: no plan.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from agentroute.memory._checks import content_words
from agentroute.types import Plan, Step

__all__ = ["refill_plan"]

_TOKEN = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _is_detail(text: str, toks: list[re.Match[str]]) -> bool:
    """A value, not a word of the request's intent: numbers, Capitalised names, ALLCAPS codes,
    or anything between quotes."""
    start, end = toks[0].start(), toks[-1].end()
    if start > 0 and end < len(text) and text[start - 1] in "'\"“‘" and text[end] in "'\"”’":
        return True
    words = [m.group(0) for m in toks if re.match(r"[^\W_]", m.group(0))]
    return bool(words) and all(
        any(ch.isdigit() for ch in w) or w[0].isupper() or w.isupper() for w in words
    )


def _plan_words(plan: Plan) -> set[str]:
    words: set[str] = set()
    for s in plan.steps:
        words |= content_words(s.query)
        words |= content_words(str(s.args or ""))
        words |= content_words((s.target or "").replace(".", " ").replace("_", " "))
    return words


def refill_plan(
    plan: Plan, old_task: str, new_task: str, *, max_span: int = 4, min_equal: float = 0.5
) -> tuple[list[Step], dict[str, str]] | None:
    """``(steps, substitutions)`` for ``new_task``, or ``None`` when the tasks do not align."""
    old, new = _tokens(old_task), _tokens(new_task)
    a = [m.group(0).lower() for m in old]
    b = [m.group(0).lower() for m in new]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    equal = sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal")
    rephrased = 0  # words changed that are not details
    subs: dict[str, str] = {}
    used = _plan_words(plan)
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
        first = i1 == 0 or j1 == 0  # a sentence-initial capital is not a name
        if not first and _is_detail(old_task, old[i1:i2]) and _is_detail(new_task, new[j1:j2]):
            if i2 - i1 == j2 - j1:  # word for word, so "12 USD" -> "40 EUR" also fills args
                subs.update((old[i1 + x].group(0), new[j1 + x].group(0)) for x in range(i2 - i1))
            else:
                subs[src] = dst
        elif content_words(src) & used or content_words(dst) & used:
            return None  # the plan depends on a word the new request changed
        else:
            rephrased += max(i2 - i1, j2 - j1)
    if equal == 0 or rephrased > min_equal * max(len(a), len(b)):
        return None
    subs = {k: v for k, v in subs.items() if k != v}
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
