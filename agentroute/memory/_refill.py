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
from collections.abc import Callable, Iterable
from typing import Any

from agentroute.memory._checks import content_words
from agentroute.types import Plan, Step

__all__ = ["carried_values", "refill_plan"]

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
    phrasing: dict[str, str] = {}  # "what is" -> "what's": said otherwise, asked the same
    used = _plan_words(plan)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag in ("insert", "delete"):
            if content_words(" ".join(a[i1:i2] + b[j1:j2])) or _operators(a[i1:i2] + b[j1:j2]):
                return None
            continue
        if i2 - i1 > max_span or j2 - j1 > max_span:
            return None
        src = old_task[old[i1].start() : old[i2 - 1].end()]
        dst = new_task[new[j1].start() : new[j2 - 1].end()]
        first = i1 == 0 or j1 == 0  # a sentence-initial capital is not a name
        if _operators(a[i1:i2] + b[j1:j2]):
            return None  # "12 * 7" and "12 + 7" ask different things
        if not first and _is_detail(old_task, old[i1:i2]) and _is_detail(new_task, new[j1:j2]):
            if _shape(old[i1:i2]) != _shape(new[j1:j2]):
                return None  # "UTC" is no city, "Paris" no code: the plan read another kind
            if i2 - i1 == j2 - j1:  # word for word, so "12 USD" -> "40 EUR" also fills args
                subs.update((old[i1 + x].group(0), new[j1 + x].group(0)) for x in range(i2 - i1))
            else:
                subs[src] = dst
        elif content_words(src) & used or content_words(dst) & used:
            return None  # the plan depends on a word the new request changed
        else:
            rephrased += max(i2 - i1, j2 - j1)
            phrasing[src] = dst
    if equal == 0 or rephrased > min_equal * max(len(a), len(b)):
        return None
    subs = {k: v for k, v in subs.items() if k != v}
    kept = {
        a[i] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal" for i in range(i1, i2)
    }
    if any(k.lower() in kept for k in subs):
        return None  # "9 * 9" → "9 * 8": which 9 the plan's text means is unknown
    reword = _swapper({**phrasing, **subs})
    whole = _norm(old_task)
    if not subs:
        return [_asked(s.model_copy(deep=True), whole, reword) for s in plan.steps], {}
    pattern, fill = _whole_words(subs), _swapper(subs)

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

    said = {w.lower() for w in _TOKEN.findall(old_task)}

    def args_of(step: Step) -> dict[str, Any] | None:
        """The step's arguments with the new values, or ``None`` (the target re-reads them
        from the query) when a value sits inside text the old request never said:
        "Asia/Tokyo" was read from "Tokyo", and "Asia/Paris" is no reading of "Paris"."""
        if step.args is None:
            return None
        for text in _strings(step.args):
            words = {w.lower() for w in _TOKEN.findall(text)}
            if pattern.search(text) and not words <= said:
                return None
        filled: dict[str, Any] = fill_value(step.args)
        return filled

    steps = [
        _asked(
            s.model_copy(update={"query": fill(s.query), "args": args_of(s)}, deep=True),
            whole,
            reword,
            was=s.query,
        )
        for s in plan.steps
    ]
    return steps, subs


_OPERATOR = re.compile(r"^[^\w\s?.!,;:'\"“”‘’()]$")


def _operators(tokens: list[str]) -> bool:
    """Whether any token is an operator or symbol (``*``, ``+``, ``/``, ``%``), not punctuation."""
    return any(_OPERATOR.match(t) for t in tokens)


def _shape(toks: list[re.Match[str]]) -> set[str]:
    """The values' kinds: numbers, ALLCAPS codes, Names (so only like swaps like)."""
    return {
        "number" if any(c.isdigit() for c in w) else "code" if w.isupper() else "name"
        for w in (m.group(0) for m in toks)
        if re.match(r"[^\W_]", w)
    }


def _norm(text: str) -> str:
    return " ".join(m.group(0).lower() for m in _TOKEN.finditer(text) if m.group(0).isalnum())


def _whole_words(spans: Iterable[str]) -> re.Pattern[str]:
    """Any of ``spans`` as whole words, the longest tried first, case ignored."""
    alternatives = "|".join(re.escape(s) for s in sorted(spans, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def _swapper(swaps: dict[str, str]) -> Callable[[str], str]:
    """Every ``swaps`` span of a text replaced, whole words only, case ignored."""
    if not swaps:
        return lambda text: text
    pattern = _whole_words(swaps)
    lowered = {k.lower(): v for k, v in swaps.items()}
    return lambda text: pattern.sub(lambda m: lowered[m.group(0).lower()], text)


def _asked(step: Step, whole: str, reword: Callable[[str], str], was: str | None = None) -> Step:
    """A step that asked the old request word for word asks the new one in its words
    ("what is 12 * 7?" -> "what's 12 * 7?"), and so do its arguments that were that request;
    words the new request only adds ("please") stay out, as the planner leaves them out."""
    old_query = step.query if was is None else was
    if _norm(old_query) != whole:
        return step
    step.query = reword(old_query)
    if step.args is not None:
        step.args = {
            k: reword(v) if isinstance(v, str) and _norm(v) == whole else v
            for k, v in step.args.items()
        }
    return step


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return []


def _values(text: str) -> set[str]:
    """The request's values as ``_is_detail`` reads them, lower-cased (no sentence-initial
    capital: "Show me ..." names nothing)."""
    toks = _tokens(text)
    return {
        m.group(0).lower()
        for i, m in enumerate(toks)
        if re.match(r"[^\W_]", m.group(0)) and (i > 0 or not m.group(0)[0].isupper())
        if _is_detail(text, [m])
    }


def _said(value: Any) -> list[str]:
    """A step argument's words and numbers, lower-cased (``5.0`` read as ``5``)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [f"{value:g}".lower()]
    if isinstance(value, str):
        return [m.group(0).lower() for m in _TOKEN.finditer(value)]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _said(v)]
    if isinstance(value, list):
        return [w for v in value for w in _said(v)]
    return []


def carried_values(old_task: str, new_task: str, steps: list[Step]) -> list[str]:
    """Values of the old request that a refilled plan still sends although the new request
    never says them: a value must be read from the request it answers, never carried over
    ("5" written ``5.0`` in an argument escapes the word-for-word refill)."""
    old = _values(old_task) - _values(new_task) - {w.lower() for w in _TOKEN.findall(new_task)}
    old |= {f"{float(v.replace(',', '')):g}" for v in old if _is_number(v)}
    if not old:
        return []
    sent: set[str] = set()
    for step in steps:
        sent.update(_said(step.args or {}))
        sent.update(m.group(0).lower() for m in _TOKEN.finditer(step.query))
    sent |= {f"{float(w.replace(',', '')):g}" for w in sent if _is_number(w)}
    return sorted(old & sent)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _number(text: str, like: int | float) -> Any:
    try:
        return type(like)(text.replace(",", ""))
    except ValueError:
        return text
