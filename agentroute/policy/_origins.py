"""Where a call's argument values came from, as conditions read it: ``recipient from tool``.

The turn labels every argument of a call before the gate sees it (``agentroute.turn``): a
label is a kind, alone or with the target that produced the value. A value may carry several
(it is in the user's words and in a tool's output). ``x from KIND`` holds when any label of
``x`` has that kind, ``x from "pattern"`` when any label's target matches the glob: one
tainted part taints the value.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

__all__ = ["DYNAMIC_CONSTANTS", "ORIGINS_KEY", "ORIGIN_KINDS", "REQUEST_KEY", "origin_matches"]

ORIGIN_KINDS = ("user", "tool", "expert", "knowledge", "memory", "default", "planner")
"""``user``: the request's text; ``tool`` / ``expert`` / ``knowledge``: a step's output (the
label names the target: ``tool:slack.read_channel``); ``memory``: a recalled case;
``default``: a schema or server default; ``planner``: none of these (an LLM planner wrote it)."""

ORIGINS_KEY = "\x00origins"
"""Where a condition's environment carries the call's labels (no argument can be named so)."""

REQUEST_KEY = "\x00request"
"""Where it carries the user's request the call serves (``$request``), when known."""

DYNAMIC_CONSTANTS = frozenset({"call", "request"})
"""``$`` names given by the call, not by a ``let``: ``$call.x`` (inside ``then``) and
``$request`` (the user's request of the turn). Neither can be defined."""


def origin_matches(labels: Iterable[str], want: str) -> bool:
    """Whether any label is of kind ``want``, or (``want`` not a kind) names a target that
    matches the glob ``want``."""
    kind_wanted = want in ORIGIN_KINDS
    for label in labels:
        kind, _, target = label.partition(":")
        if kind_wanted:
            if kind == want:
                return True
        elif target and fnmatch.fnmatchcase(target, want):
            return True
    return False
