"""How far apart two years are, asked of an earlier part's answer.

"When was the web invented? How many years ago was that, counting from 2026?" and "what year
was penicillin discovered ... how many years before 2000 was the discovery?" ask for the
distance between the year a part found and a year the clause gives (or another part found):
arithmetic, written so a calculator reads it (``abs(2026 - {{s1}})``), whatever the direction
word ("before", "after", "ago", "since"). The words are data (``spans.json``).
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import alternation, cue_table

__all__ = ["year_span"]

_TABLES = cue_table("spans.json")
_ASKS = re.compile(rf"\b(?:{alternation(_TABLES['span_questions'])})\b", re.IGNORECASE)
_PAIR = re.compile(rf"\b(?:{alternation(_TABLES['pair_words'])})\b", re.IGNORECASE)
_MARK = re.compile(r"\{\{\s*[A-Za-z_][\w-]*\s*\}\}")
_YEAR = re.compile(r"(?<![\w.{])\d{3,4}(?![\w.}])")


def year_span(query: str) -> str | None:
    """``query`` (with its ``{{sN}}`` references) as the distance in years it asks for, or
    ``None`` when it asks no such thing: one reference and one year given ("how many years
    before 2000 was {{s1}}"), or two references paired ("how many years apart are {{s1}}
    and {{s2}}"). The scale word stays the caller's ("decades" is asked rarely enough)."""
    if _ASKS.search(query) is None:
        return None
    marks = _MARK.findall(query)
    years = _YEAR.findall(_MARK.sub(" ", query))
    if len(marks) == 1 and len(years) == 1:
        return f"abs({years[0]} - {marks[0]})"
    if len(marks) == 2 and not years and _PAIR.search(query):
        return f"abs({marks[1]} - {marks[0]})"
    return None
