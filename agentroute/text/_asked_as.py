"""A request searched with the words tools name its job by, when it asks in others.

Tools describe themselves tersely ("Shows the commit logs", "Get current time in a specific
timezone"); people ask "git history please", "is it evening in London yet", "jot down 'buy
stamps' in errands.txt". The sentence embedding puts such a clause under every threshold, or
nearer a neighbour that shares a word ("history" → a diff, "evening" → the translator). A
small table of ways of asking (``asked_as.json``) gives the generic words of the job asked
for; the clause is searched with them beside it. Only retrieval reads them: which target is
chosen among the hits and how it is called still read the clause as written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from agentroute.text._effects import write_verb
from agentroute.text._value_kinds import value_kinds

__all__ = ["asked_as", "searched_as"]


@dataclass(frozen=True)
class _Group:
    means: str
    pattern: re.Pattern[str]
    kind: str | None
    act: bool
    whole: bool
    """The phrase must be the whole clause ("tree"), not a word in it ("the tallest tree")."""


@cache
def _groups() -> tuple[_Group, ...]:
    data = json.loads(resources.files("agentroute.text").joinpath("asked_as.json").read_text())
    out = []
    for group in data["groups"]:
        phrases = sorted(group["phrases"], key=len, reverse=True)
        alternatives = "|".join(re.escape(p) for p in phrases)
        if group.get("whole"):
            body = rf"^(?:{alternatives})$"
        elif group.get("opens"):
            body = rf"^(?:{alternatives})(?![\w-])"
        else:
            body = rf"(?<![\w-])(?:{alternatives})(?![\w-])"
        out.append(
            _Group(
                means=group["means"],
                pattern=re.compile(body),
                kind=group.get("with"),
                act=bool(group.get("act")),
                whole=bool(group.get("whole")),
            )
        )
    return tuple(out)


_TRIM = re.compile(r"^[\W_]+|[\W_]+$")


def asked_as(clause: str) -> list[str]:
    """The words of the jobs ``clause`` asks for in other words, in the table's order."""
    low = clause.lower().replace("\u2019", "'")
    bare = _TRIM.sub("", " ".join(low.split()))
    kinds: frozenset[str] | None = None
    acts: bool | None = None
    out: list[str] = []
    for group in _groups():
        if group.means in out or not group.pattern.search(bare if group.whole else low.strip()):
            continue
        if group.kind is not None:
            kinds = value_kinds(clause) if kinds is None else kinds
            if group.kind not in kinds:
                continue
        acts = write_verb(clause) is not None if acts is None else acts
        if group.act != acts:
            # a read's words beside a write verb ("create a tree view of my files") would
            # read as a tool that makes a directory: such a clause is searched as written
            continue
        out.append(group.means)
    return out


def searched_as(clause: str) -> str:
    """``clause`` with the words of the jobs it asks for in other words beside it ("git
    history please (commit log)"); unchanged when it asks in the tools' own words."""
    words = asked_as(clause)
    return f"{clause} ({'; '.join(words)})" if words else clause
