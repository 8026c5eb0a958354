"""Between sibling tools that fit a clause alike, the one the clause gives arguments for.

A server often offers close variants ("get the current time" / "convert a time between
zones"); their descriptions score within a few hundredths of each other for "If it's 9:00 in
Tokyo, what time is it in Berlin?", and the first may be the one that drops the "9:00" the
request is about, or one that cannot be called at all ("time in Paris please" has no time to
convert). What the request says settles it: among a server's tools scoring close to the best
of them, one whose required arguments the clause cannot supply steps back, and the one that
takes more of the clause's values comes first. Arguments are read as the call will read them
(`agentroute.text.fill_arguments`, server-level defaults included).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from agentroute.planning._candidate import Scored
from agentroute.text import FILE_NAME, ArgumentFillError, argument_kinds, fill_arguments
from agentroute.types import TargetDescriptor, TargetKind

__all__ = [
    "echoes_clause",
    "fillable_first",
    "filled_arguments",
    "required_said",
    "takes_path_said",
]

CLOSE = 0.08
"""Siblings within this similarity of the best are compared by their arguments (the time
server's two tools score 0.41/0.41 and 0.51/0.47 for a conversion; farther apart, the
description is the better evidence)."""

TYPED = frozenset(
    {"timezone", "time", "date", "datetime", "number", "path", "glob", "url", "host", "email"}
)
"""Kinds of value read by their form (a zone, a clock time, a path): free text or a revision
read out of any words is no sign the clause meant that tool."""

ECHO_WORDS = 3
"""A required argument holding every word of a clause of at least this many words is the
clause echoed back (the filler's last resort), not a value the clause gives."""

S = TypeVar("S", bound=Scored)
_WORD = re.compile(r"[^\W_]+(?::\d+)?")


def filled_arguments(clause: str, descriptor: TargetDescriptor) -> dict[str, Any] | None:
    """The arguments the call will read from ``clause`` for the tool, server defaults
    included (``None``: the filler cannot, a required one is missing)."""
    try:
        schema = descriptor.input_schema or {}
        return fill_arguments(clause, schema, tool=descriptor.name.split(".", 1)[-1])
    except (ArgumentFillError, ValueError):
        return None


def _filled(clause: str, descriptor: TargetDescriptor) -> int | None:
    """How many of the tool's arguments the clause supplies beyond the defaults (``None``: a
    required one is missing)."""
    schema = descriptor.input_schema
    if not schema:
        return 0
    args = filled_arguments(clause, descriptor)
    if args is None:
        return None
    said = {w.lstrip("0") for w in _WORD.findall(clause.lower())}
    props = schema.get("properties") or {}
    return sum(
        1
        for name, value in args.items()
        if argument_kinds({"properties": {name: props.get(name) or {}}}) & TYPED
        and _said(value, said)
    )


def takes_path_said(clause: str, descriptor: TargetDescriptor, name: str) -> bool:
    """Whether a reading tool takes the file or folder ``name`` the clause names as one of
    its path arguments (the filled path ends with it): a file reader does, a repository's
    tools (their path is the repository, a server default) and a calculator do not."""
    if descriptor.kind is not TargetKind.TOOL or descriptor.writes or not descriptor.input_schema:
        return False
    args = filled_arguments(clause, descriptor)
    if not args:
        return False
    props = descriptor.input_schema.get("properties") or {}
    tail = name.lower().strip("/")
    for key, value in args.items():
        if "path" not in argument_kinds({"properties": {key: props.get(key) or {}}}):
            continue
        for one in value if isinstance(value, list) else [value]:
            path = str(one).lower().replace("\\", "/").rstrip("/")
            if path == tail or path.endswith("/" + tail):
                return True
    return False


def required_said(clause: str, descriptor: TargetDescriptor) -> int | None:
    """How many of the tool's required arguments take a value the clause says in so many
    words ("HEAD~2" as the revision to show); ``None`` when the filler could give one
    nothing but the clause itself ("show me my unstaged changes" as the branch to compare
    with). A value it cannot find at all counts neither way: it may come from an earlier
    step at dispatch ("read them")."""
    schema = descriptor.input_schema
    if not schema:
        return 0
    args = filled_arguments(clause, descriptor)
    if args is None:
        return 0
    lower = clause.lower()
    words = _WORD.findall(lower)
    props = schema.get("properties") or {}
    said = 0
    for name in schema.get("required") or []:
        value = args.get(name)
        if "default" in (props.get(name) or {}) or not isinstance(value, str):
            continue
        if len(words) >= ECHO_WORDS and set(words) <= set(_WORD.findall(value.lower())):
            return None
        said += len(value) >= 2 and value.lower() in lower
    return said


def echoes_clause(clause: str, descriptor: TargetDescriptor) -> bool:
    """Whether the filler could give a required argument of the tool nothing but the clause
    itself: no value for it is said (`required_said`)."""
    return required_said(clause, descriptor) is None


def _said(value: object, said: set[str]) -> bool:
    """Whether an argument's value comes from the clause ("Asia/Tokyo" from "Tokyo", "9:00"
    for "09:00"), not from a default or a fallback ("HEAD", the server's repository)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return False
    words = [w.lstrip("0") for w in _WORD.findall(str(value).lower())]
    return any(w in said for w in words if len(w) >= 2)


def fillable_first(clause: str, fit: Sequence[S], close: float = CLOSE) -> list[S]:
    """``fit`` with the best tool's close siblings ordered by the arguments ``clause`` gives
    them (unchanged when the best is no tool or has no close sibling). A tool of another
    server at least as similar to the clause competes too when the best takes none of the
    clause's typed values: "show the contents of notes.txt" gives a file's path, which a file
    reader takes and a commit viewer does not, however much "show" its name says (only for a
    clause naming a file: "90 km/h in m/s" is no path)."""
    if not fit:
        return []
    best = fit[0]
    server = best.descriptor.server if best.descriptor.kind is TargetKind.TOOL else None
    if server is None:
        return list(fit)
    mine = _filled(clause, best.descriptor) if FILE_NAME.search(clause) else None
    close_ones = [
        h
        for h in fit
        if h.descriptor.kind is TargetKind.TOOL
        and (
            (h.descriptor.server == server and abs(best.score - h.score) <= close)
            or (mine == 0 and h.score >= best.score)
        )
        and (best.descriptor.writes or not h.descriptor.writes)  # never a write for a read
    ]
    if len(close_ones) < 2:
        return list(fit)
    counts = {id(h): _filled(clause, h.descriptor) for h in close_ones}
    most = max((c for c in counts.values() if c is not None), default=None)
    if most is None or counts[id(best)] == most:
        return list(fit)  # the order the planner gave stands unless the clause says otherwise
    chosen = next(h for h in close_ones if counts[id(h)] == most)
    return [chosen, *(h for h in fit if h is not chosen)]
