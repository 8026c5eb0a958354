"""Whether a text gives a quantity to work on, and whether a target only works on one.

A calculator or a unit converter computes on the numbers the request gives it ("5 miles in
km", "12.5% of 80"); asked "how tall is Everest in metres" or "what is the SI unit of power"
it has nothing to compute on, whatever its description shares with the words. Which targets
are like that is read from their own examples (every one of them gives a quantity), not from
a list of names, so a new tool of the kind is recognised the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentroute.text._lexicon import (
    NUMBER_SCALES,
    NUMBER_TENS,
    NUMBER_WORDS,
    QUANTITY_WORDS,
    STOP_WORDS,
    cue_table,
)

__all__ = [
    "carries_quantity",
    "carries_unit",
    "numbers_in",
    "takes_quantity",
    "takes_unit",
]

_SPELLED = "|".join(sorted([*NUMBER_WORDS, *NUMBER_TENS, *NUMBER_SCALES, *QUANTITY_WORDS], key=len))
_QUANTITY = re.compile(
    rf"\d|\b(?:{_SPELLED})\b|\b(?:a|an|one|per|half\s+an?)\s+[^\W\d]",
    re.IGNORECASE,
)
"""A number in digits or words, or one of something ("a pound", "an hour")."""
_DIGITS = re.compile(r"(?<![\w.,/])(\d[\d,]*(?:\.\d+)?)(?!/)(?:\s*([^\W\d_]+))?")
_MIN_EXAMPLES = 3


def carries_quantity(text: str) -> bool:
    """Whether ``text`` gives a quantity ("5 miles", "twelve", "a pound")."""
    return bool(_QUANTITY.search(text))


def numbers_in(text: str) -> list[str]:
    """The numbers written in digits with the word after them, if any, cut to four letters
    and thousands separators dropped ("1,024 miles" → "1024 mile"): the same number of
    another thing ("1 mile", "1/299,792,458 of a second") is another quantity."""
    out = []
    for m in _DIGITS.finditer(text):
        number = m.group(1).rstrip(",").replace(",", "")
        word = (m.group(2) or "").lower()
        out.append(f"{number} {'' if word in STOP_WORDS else word[:4]}".strip())
    return out


def takes_quantity(examples: Sequence[str]) -> bool:
    """Whether a target's examples all give a quantity: it computes on one (a calculator, a
    converter), so a request without one is not for it."""
    return len(examples) >= _MIN_EXAMPLES and all(carries_quantity(e) for e in examples)


_FRACTION = rf"(?:\s+and\s+an?\s+(?:{'|'.join(cue_table('lexicon.json')['fraction_words'])}))?"
"""A part of one after the whole number ("2 and a half feet"): the unit comes after it."""
_MEASURED = re.compile(
    rf"(?<![\w.,/])(?:\d[\d,]*(?:\.\d+)?|\b(?:{_SPELLED})){_FRACTION}\s*(°?\s?[^\W\d_][\w/²³°]*)"
    r"(?:\s+([^\W\d_][\w/²³°]*))?"  # "1 US gallon": a word may stand before the unit
    r"|\b(?:a|an|one|per|half\s+an?)\s+([^\W\d_]+)",
    re.IGNORECASE,
)
_NOT_UNITS = (
    STOP_WORDS
    | frozenset(cue_table("clauses.json")["arithmetic_words"])
    | {"st", "nd", "rd", "th", "and"}
    | frozenset(cue_table("lexicon.json")["fraction_parts"])  # "three quarters of 200"
    | frozenset(w.lower() for w in (*NUMBER_WORDS, *NUMBER_TENS, *NUMBER_SCALES))
)
"""Words after a number that are no unit: "to", "times", the "th" of "4th"."""


def carries_unit(text: str) -> bool:
    """Whether ``text`` gives a number with a unit ("5 km", "5km", "100 °F", "an hour"),
    not only bare numbers ("3 to the 4th", "17 * 23")."""
    for m in _MEASURED.finditer(text):
        first = (m.group(1) or m.group(3) or "").lower().lstrip("° ")
        if first and first not in _NOT_UNITS:
            return True
        second = (m.group(2) or "").lower()
        if second and first not in _NOT_NUMBERED and second not in _NOT_UNITS:
            return True  # "1 US gallon", "20 square metres", not "3 to the 4th" or "7 and 8"
    return bool(_FEET_INCHES.search(text))


_FEET_INCHES = re.compile(r"\d\s*['′’]\s*\d*\s*(?:[\"″”]|'')?")
"""Feet and inches written with marks ("5'10\"", "6′")."""


_NOT_NUMBERED = frozenset({"to", "and", "or", "of", "the", "by", "in", "into", "from", "than"})
"""Words after a number that end its quantity ("3 to the 4th", "7 and 8")."""


def takes_unit(examples: Sequence[str]) -> bool:
    """Whether a target's examples all give a number with a unit: it converts measurements
    (a unit converter), so a clause of bare numbers is not for it."""
    return len(examples) >= _MIN_EXAMPLES and all(carries_unit(e) for e in examples)
