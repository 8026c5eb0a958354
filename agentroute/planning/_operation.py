"""Arithmetic follow-ups: an operation on the last result, the last operation changed, or
more values for the list the last clause worked on.

After "What is 7 plus 8?" people write "and 5 more" (15 + 5, not 7 + 5); after "What is 6
times 7" they write "now add 8" (42 + 8). But after "What is 12 squared?" a bare "and cubed?"
changes the operation (12 cubed, not 144 cubed), as "and minus 30%?" does after "250 plus
30%", and after a conversion "and minus 40?" is a new value (-40 °C), not a subtraction. After
"the average of 4, 8 and 15", "include 21 too" adds to the list. The operation's kind decides:
a binary operation with an amount works on the result; a modifier of the same family as one
the previous clause used (powers, percentage changes) replaces it.
Words are data (``agentroute/text/followup.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentroute.text._lexicon import alternation, cue_table

__all__ = ["NUMBER", "Rework", "extend_list", "rework"]

_CUES = cue_table("followup.json")
_NUM = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_TRIM = " \t\n?.!,;:"
NUMBER = re.compile(rf"(?<![\w.]){_NUM}(?![\w])")
"""A number standing alone, not part of a word or a version ("4", "1,200", "-3.5")."""


_INCREMENT = re.compile(
    rf"^(?:(?P<verb>{alternation(_CUES['operator_verbs'])})\s+|another\s+)?(?P<n>{_NUM})"
    rf"\s+(?P<word>{alternation(_CUES['increments'])})$",
    re.I,
)
""""5 more", "minus 200 more", "3 fewer", "another 10 more": an amount on the result."""
_VERB = re.compile(rf"^(?P<verb>{alternation(_CUES['operator_verbs'])})\s+(?P<n>{_NUM})$", re.I)
"""'add 8', 'divide by 4', 'times 3': an operation with its amount."""
_POWER = re.compile(
    r"\b(?:squared|cubed|to\s+the\s+(?:power\s+(?:of\s+)?)?(?:\d+|[a-z]+?)(?:st|nd|rd|th)?"
    r"(?:\s+power)?)(?=[\s?.!,]|$)",
    re.I,
)
"""A power modifier: 'squared', 'cubed', 'to the power of 12', 'to the 5th'."""
_ADJUST = re.compile(rf"(?:plus|minus|add|less|\+|-)\s*{_NUM}\s*(?:%|percent\b|per\s+cent\b)", re.I)
"""A percentage change: 'plus 30%', 'minus 15 percent'."""
_NEGATIVE = re.compile(rf"^(?:{alternation(_CUES['negatives'])})\s*(?P<n>\d+(?:\.\d+)?)$", re.I)
_OF_THEM = re.compile(rf"^(?P<n>{_NUM})\s+of\s+(?:them|those|these)$", re.I)
_LIST_OPERATION = re.compile(rf"\b(?:{alternation(_CUES['list_operations'])})\b", re.I)
_INCLUDE = re.compile(
    rf"^(?:also\s+)?(?P<verb>{alternation(_CUES['include_verbs'])})\s+(?P<values>-?\d[\d.,\s]*"
    rf"(?:(?:and|&)\s+-?\d[\d.,]*)?)(?:\s+(?P<tail>{alternation(_CUES['include_tails'])}))?$",
    re.I,
)
""""include 21 too", "add 4 and 9 as well": more values for the list the previous clause
works on."""


@dataclass(frozen=True)
class Rework:
    """How an arithmetic follow-up reads: ``chain`` (a new query on the result, routed anew),
    ``substitute`` (the previous query changed, same target) or ``value`` (a new value to
    put in the previous query's place)."""

    how: str
    text: str


def rework(core: str, previous: str, result: str | None, conversion: bool) -> Rework | None:
    """``core`` (the follow-up without its opener) read against the previous clause, the
    number its result gave and whether it converted a quantity; ``None``: not arithmetic."""
    core = core.strip(_TRIM)
    extended = _included(core, previous)
    if extended is not None:  # "include 21 too" after "the average of 4, 8 and 15"
        return Rework("substitute", extended)
    more = _INCREMENT.match(core)
    if more and result is not None:  # "5 more": on the result
        verb = more.group("verb")
        infix = (
            _CUES["operator_verbs"][verb.lower()]
            if verb
            else _CUES["increments"][more.group("word").lower()]
        )
        return Rework("chain", f"{result} {infix} {more.group('n')}")
    power = _POWER.fullmatch(core)
    old_power = list(_POWER.finditer(previous))
    if power and old_power:  # "and cubed?" after "12 squared": the operation replaced
        m = old_power[-1]
        return Rework("substitute", previous[: m.start()] + core + previous[m.end() :])
    old_adjust = list(_ADJUST.finditer(previous))
    if _ADJUST.fullmatch(core) and old_adjust:  # "and minus 30%?" after "250 plus 30%"
        m = old_adjust[-1]
        return Rework("substitute", previous[: m.start()] + core + previous[m.end() :])
    negative = _NEGATIVE.match(core)
    if negative and conversion:  # "and minus 40?" after "40 °C in °F": a value below zero
        return Rework("value", f"-{negative.group('n')}")
    verb = _VERB.match(core)
    if verb and result is not None:  # "now add 8" after "6 times 7": on the result
        infix = _CUES["operator_verbs"][verb.group("verb").lower()]
        return Rework("chain", f"{result} {infix} {verb.group('n')}")
    many = _OF_THEM.match(core)
    if many and conversion:  # "26.2 of them" after "1 mile in km": that many of the unit
        return Rework("value", many.group("n"))
    return None


def _included(core: str, previous: str) -> str | None:
    """The previous clause's list of numbers with the new ones added ("include 21 too" after
    "average of 4, 8 and 15"), when it works on a list and the follow-up adds to it (an
    "add" only with "too", "as well", "to the list": "add 5" alone is arithmetic)."""
    m = _INCLUDE.match(core)
    if m is None or not _LIST_OPERATION.search(previous) or len(NUMBER.findall(previous)) < 2:
        return None
    if m.group("verb").lower() == "add" and not m.group("tail"):
        return None  # "add 5" alone is arithmetic on the result
    return extend_list(previous, m.group("values"))


def extend_list(previous: str, rest: str) -> str | None:
    """ "add 4 to the list" after "the average of 3, 5 and 10" → "... of 3, 5, 10 and 4"."""
    olds = list(NUMBER.finditer(previous))
    news = [m.group(0) for m in NUMBER.finditer(rest)]
    if len(olds) < 2 or not news:
        return None
    first, final = olds[0].start(), olds[-1].end()
    values = [m.group(0) for m in olds] + news
    listed = ", ".join(values[:-1]) + f" and {values[-1]}"
    return previous[:first] + listed + previous[final:]
