"""A variable no value is given for: "what's x plus 3", "multiply y by 7", "n squared".

Why: such a clause went to the calculator (which failed, or read "z minus 4" as "-4") or to
the general expert; nothing holds a value for the letter, so the honest answer is to decline.
A letter is a variable when it stands alone (not "a" or "I", words of their own), beside an
operation (``variables.json``), with only a lead ("what is") or another operation before it
("vitamin c plus zinc" names a thing), and not between two numbers ("5 x 3" multiplies) nor
after a number ("3 m plus 5 m": a unit). A request that gives a value or asks for algebra
("if x = 2", "solve", "simplify") is not such a clause.
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import cue_table

__all__ = ["undefined_variable"]

_TABLE = cue_table("variables.json")
_OPERATIONS = frozenset(_TABLE["operations"])
_LEADS = frozenset(_TABLE["leads"])
_DEFINING = frozenset(_TABLE["defining"])
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[-+*/^=]")
_NUMBER = re.compile(r"\d")
_OPTION = re.compile(r"(?<![\w-])--?[a-z][\w-]*|[a-z]+/[a-z]+")
"""A command's option ("-v", "--verbose") or a unit of rate ("km/h", "m/s"): no operation
on a letter."""


def undefined_variable(clause: str) -> str | None:
    """The letter ``clause`` operates on with no value given for it, or ``None``."""
    tokens = _TOKEN.findall(_OPTION.sub(" ", clause.lower()))
    if not _DEFINING.isdisjoint(tokens):
        return None
    for i, token in enumerate(tokens):
        if len(token) != 1 or not token.isalpha() or token in "ai":
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if before is not None and _NUMBER.match(before):
            continue  # "5 x 3", "3 m plus 5 m"
        if before is not None and before not in _LEADS and before not in _OPERATIONS:
            continue  # "vitamin c plus zinc"
        if (before in _OPERATIONS and before != "x") or (after in _OPERATIONS and after != "x"):
            return token
    return None
