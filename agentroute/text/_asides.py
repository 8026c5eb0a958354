"""A part of a request that only says what the user will do, or must not be done.

"show todo.md, I want to update it later": the second part is the user's own plan, not an
ask; routed on its own it went to the catch-all expert (or, with a write verb in it, near a
writing tool). "show me the diff, don't commit yet" limits the request and asks nothing
either. Both are read from words only (``asides.json``): a first-person plan that names a
change, or a restriction that denies one. A part that asks a question is never an aside.
"""

from __future__ import annotations

import re

from agentroute.text._effects import write_verb
from agentroute.text._lexicon import alternation, cue_table

__all__ = ["aside", "without_aside"]

_TABLE = cue_table("asides.json")
_CHANGES = frozenset(_TABLE["change_words"])
_ASKING = frozenset(_TABLE["asking_after_restriction"])
_PLAN = re.compile(
    rf"(?<![\w'])(?:{alternation(_TABLE['subjects'], any_space=True)})(?![\w'])"
    rf"(?:\s+\w+){{0,2}}?\s*(?:{alternation(_TABLE['plan_markers'], any_space=True)})(?![\w'])"
    r"(?P<rest>.*)$"
)
_LATER = re.compile(
    rf"^(?:\w+\s+)?(?:{alternation(_TABLE['subjects'], any_space=True)})\s+(?P<rest>.*?)"
    rf"\s+(?:{alternation(['later', 'afterwards', 'eventually'])})$"
)
_RESTRICTION = re.compile(
    rf"^(?:but\s+|and\s+|just\s+|please\s+)*(?:{alternation(_TABLE['restriction_leads'], any_space=True)})"
    r"\s+(?P<rest>.+)$"
)
_SUBJECT = rf"(?:{alternation(_TABLE['subjects'], any_space=True)})"
_FRAMED = re.compile(rf"^(?:{alternation(_TABLE['time_frames'])})\s+{_SUBJECT}\s+(?P<rest>.+)$")
_TAIL = re.compile(
    rf"[\s,;]+(?P<tail>(?:(?:{alternation(_TABLE['time_frames'])})\s+{_SUBJECT}\s"
    rf"|(?:{alternation(_TABLE['purposes'], any_space=True)})\s"
    rf"|(?:{alternation(_TABLE['restriction_leads'], any_space=True)})\s).*)$",
    re.IGNORECASE,
)
_OBJECTS = re.compile(
    rf"(?<![\w'])(?:{alternation(_TABLE['restriction_objects'], any_space=True)})(?![\w'])"
)


def _names_change(text: str) -> bool:
    words = re.findall(r"[a-z']+", text)
    return write_verb(text) is not None or any(w in _CHANGES for w in words)


def aside(part: str) -> bool:
    """Whether ``part`` only tells the user's own plan ("I might want to reset it", "the
    file I'm going to rewrite") or a limit ("don't commit yet", "without changing anything")
    beside what is asked."""
    text = " ".join(part.lower().replace("\u2019", "'").split()).strip(" ,.;!")
    if not text or "?" in text:
        return False
    limit = _RESTRICTION.match(text)
    if limit is not None:
        rest = limit.group("rest")
        if rest.split()[0] in _ASKING:  # "don't forget to add 5 to it" asks for it
            return False
        return _names_change(rest) and _OBJECTS.search(rest) is not None
    framed = _FRAMED.match(text)
    if framed is not None:  # "before I commit": when, beside what is asked
        return _names_change(framed.group("rest"))
    purpose = re.match(
        rf"^(?:{alternation(_TABLE['purposes'], any_space=True)})\s+(?P<rest>.+)$", text
    )
    if purpose is not None:
        return _names_change(purpose.group("rest"))
    plans = (_PLAN.search(text), _LATER.match(text))
    return any(p is not None and _names_change(p.group("rest")) for p in plans)


def without_aside(part: str) -> str:
    """``part`` without an aside it ends with ("what's in the data folder before i move
    things around", "show me budget.csv without changing anything", "show me the history so
    i can pick one to revert to"); unchanged when it ends with none or is nothing else."""
    found = _TAIL.search(part)
    if found is None or found.start() == 0 or not aside(found.group("tail")):
        return part
    head = part[: found.start()].rstrip(" ,;")
    return head if re.search(r"\w", head) else part
