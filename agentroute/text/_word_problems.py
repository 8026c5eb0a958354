"""Whether a clause with numbers is an everyday word problem: arithmetic on what it gives.

Why: "I drive 55 mph for 3 hours, how far", "I earn 22.50 an hour and work 38 hours",
"split a 84 dollar bill 3 ways plus 15% tip" name hours, miles and dollars, so they sit closer
to a unit converter's examples than to a calculator's, or to no tool at all; yet a converter
turns one quantity into another unit, and these relate several quantities (a rate over a
span, money with percentages or shared between people). A clause is one when it gives two
numbers or more and a rate or money or sharing relates them, or one everyday rate ("35 a
month") and the span it asks over ("per year"). The cues are data (``word_problems.json``).
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import alternation, cue_table

__all__ = ["asks_result", "compound_quantities", "word_problem"]

_CUES = cue_table("word_problems.json")
_NUM = r"(?<![\w.])\d[\d,]*(?:\.\d+)?"
_NUMBERS = re.compile(rf"{_NUM}|\d+(?:\.\d+)?\s*%")
_PLURAL = r"(?:s|es)?"
_PERIOD = rf"(?:{alternation(_CUES['periods'])}){_PLURAL}"
_RATE = re.compile(
    rf"{_NUM}\s*(?:{alternation(_CUES['rate_words'])}\b|(?:[^\W\d]+\s+)?(?:of\s+[^\W\d]+\s+)?"
    rf"(?:{alternation(_CUES['rate_articles'])})\s+{_PERIOD}\b)",
    re.IGNORECASE,
)
"""A rate: "55 mph", "250 a week", "2 litres an hour", "40 miles per gallon"."""
_EVERYDAY_RATE = re.compile(rf"{_NUM}\s+(?:[^\W\d]+\s+)?an?\s+{_PERIOD}\b", re.IGNORECASE)
"""A rate said with an article ("35 a month", "7.5 hours a night"): money or a habit, where
"5 miles per hour" may be a speed to convert."""
_SPAN = re.compile(
    rf"\b(?:per|a|an|over\s+a|in\s+a|for\s+a|after\s+a)\s+(?:whole\s+|full\s+|entire\s+)?"
    rf"{_PERIOD}\b.*$|\b{_PERIOD}ly\b",
    re.IGNORECASE,
)
_MONEY = re.compile(rf"[$€£]|\b(?:{alternation(_CUES['money'], any_space=True)})\b", re.I)
_MEASURES = re.compile(rf"\b(?:{alternation(_CUES['measures'], any_space=True)})\b", re.I)
_SHARING = re.compile(rf"\b(?:{alternation(_CUES['sharing'], any_space=True)})\b", re.I)


_CONVERSION = re.compile(
    rf"{_NUM}\s*(?:[^\W\d][\w/]*\s+){{1,3}}(?:in|into|to)\s+(?!an?\b|the\b)[^\W\d]"
    rf"|\bhow\s+many\s+[^\W\d]+\s+(?:is|are|in)\s+{_NUM}",
    re.IGNORECASE,
)
"""A quantity asked in another unit ("10 kilometers an hour in miles per hour", "how many km
is 40 miles"): a conversion, whatever else the clause says."""


def word_problem(clause: str) -> bool:
    """Whether ``clause`` relates several quantities by a rate, money or sharing (arithmetic a
    calculator does), not one quantity to convert."""
    if _CONVERSION.search(clause):
        return False
    count = len(_NUMBERS.findall(clause))
    rate = _RATE.search(clause)
    if count >= 2:
        return bool(
            rate or _MONEY.search(clause) or _SHARING.search(clause) or _MEASURES.search(clause)
        )
    everyday = _EVERYDAY_RATE.search(clause)
    return bool(everyday and _SPAN.search(clause[everyday.end() :]))


_RESULT = re.compile(
    rf"^(?:(?:and|so|then|now)\s+)?(?:{alternation(_CUES['result_questions'], any_space=True)})\b",
    re.IGNORECASE,
)


def asks_result(part: str) -> bool:
    """Whether ``part`` asks for the result of quantities stated before it ("how much is
    left", "what do I pay", "what's that in C", "by what percent did it go up")."""
    return bool(_RESULT.match(part.strip()))


_PAIRS = frozenset(
    (big, small) for bigs, smalls in _CUES["compound_units"] for big in bigs for small in smalls
)
_TWO = re.compile(
    rf"({_NUM})\s*([^\W\d][\w]*)\s*(?:,\s*)?(?:and|plus|\+)?\s*({_NUM})\s*([^\W\d][\w]*)",
    re.IGNORECASE,
)


def compound_quantities(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes one quantity in a bigger and a smaller unit ("4 km and 750 m", "1
    week and 3 days", "5 ft 11 in"): spans no part boundary may cut."""
    return [
        m.span() for m in _TWO.finditer(text) if (m.group(2).lower(), m.group(4).lower()) in _PAIRS
    ]
