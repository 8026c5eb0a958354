"""Whether a target's own words show it does what a clause asks ("subtract", "*").

Embedding similarity ranks close tools by the shape of a question more than by its operation:
"what's 3*3" sits nearer a converter's "how many feet are in 3 metres" than a calculator's
"What is 17 * 23". What the clause names settles it: its content words, and an operator
written between two numbers, found in a tool's description and examples ("subtract" in
"subtraction", "*" between the digits of an example). Only the tool's own text is read, so a
new tool is judged the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agentroute.text._lexicon import STOP_WORDS
from agentroute.text._values import digits_for_words

__all__ = ["evidence", "numbers_operated", "shows_arithmetic"]

_OPERATOR = re.compile(
    r"\d\s*(?:[-+*/^×÷x]|\b(?:times|plus|minus|over|divided\s+by|multiplied\s+by)\b)\s*\(?\d",
    re.IGNORECASE,
)
"""An operator between two numbers ("3*3", "3,000 - 1,200", "2 x 50", "25 times 4")."""
_ARITHMETIC = re.compile(
    r"\d\s*(?:[+*^×÷]|\b(?:times|plus|minus|multiplied\s+by|divided\s+by)\b)\s*\(?\d",
    re.IGNORECASE,
)
"""An arithmetic operator between two numbers that no date, range or code writes ("7200 * 52",
"25 times 4"; not the "-" of "2024-01-05" nor the "/" of "3/4/2025")."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LONG = 7


def _stem(word: str) -> str:
    """Enough of a word to find its relatives ("subtract" in "subtraction", "multiply" in
    "multiplication"): a long word less a short ending; a short one whole ("times" is no
    sign of "time")."""
    return word[:-2] if len(word) >= _LONG else word


def shows_arithmetic(clause: str, texts: Iterable[str]) -> bool:
    """Whether the clause writes an arithmetic operation between numbers and the ``texts``
    (a target's description and examples) write one too: a calculator's "17 * 23" is its
    own word for "What is 7200 * 52?", however far the embedding puts the two numbers."""
    return bool(_ARITHMETIC.search(clause)) and bool(_ARITHMETIC.search("\n".join(texts)))


def numbers_operated(clause: str) -> str:
    """``clause`` with its numbers in words as digits when they are an operation's operands
    ("two thousand minus three hundred and fifty" → "2000 minus 350"), a share ("seven
    percent of two hundred") or a measure asked in another unit ("a hundred kmh in mph", "half
    a mile in metres"), else as it is: numbers in prose stay words ("the plot in three
    sentences")."""
    spoken = digits_for_words(_HALF.sub("0.5 ", _A_SCALE.sub(r"one \1", clause)))
    if spoken != clause and (
        _OPERATOR.search(spoken) or _SHARE.search(spoken) or _CONVERTED.search(spoken)
    ):
        return spoken
    return clause


_A_SCALE = re.compile(r"(?<![\w-])an?\s+(hundred|thousand|million)\b", re.IGNORECASE)
"""A scale said with an article ("a hundred", "a thousand"): one of it."""
_HALF = re.compile(r"(?<![\w-])(?:(?:a|one)\s+)?half\s+(?:of\s+)?an?\s+(?=[^\W\d])", re.I)
"""Half of one unit ("half a mile", "half an hour")."""
_SHARE = re.compile(r"\d\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_CONVERTED = re.compile(
    r"\d\s*[^\W\d][\w°/]*(?:\s+[^\W\d]+)?\s+(?:to|in|into)\s+[^\W\d]"
    r"|\bhow\s+many\s+[^\W\d]+\s+(?:are\s+)?in\s+\d",
    re.IGNORECASE,
)
"""A quantity asked in another unit ("10 kilos to pounds", "how many feet in 3 miles")."""


def evidence(clause: str, texts: Iterable[str]) -> int:
    """How many of the clause's own signs (content words, an operator between numbers, its
    numbers in words read as digits) the ``texts`` (a target's description and examples) show
    too."""
    said = "\n".join(texts).lower()
    clause = numbers_operated(clause)  # "two thousand minus 350": an operator between numbers
    found = 0
    if _OPERATOR.search(clause) and _OPERATOR.search(said):
        found += 1
    seen = set()
    for word in _WORD.findall(clause.lower()):
        base = word.split("'")[0]
        if len(base) < 3 or base in STOP_WORDS or base in seen:
            continue
        seen.add(base)
        if re.search(rf"\b{re.escape(_stem(base))}", said):
            found += 1
    return found
