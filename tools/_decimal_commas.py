"""Decimal commas: "3,5 km", "12,5% of 80", "2,5 times 4" as people in much of Europe write them.

A comma between digits that is followed by one or two digits (never three: "1,250" is a
thousands separator) and is not one of a run of commas ("1,2,3" is a list) is a decimal point.
"""

from __future__ import annotations

import re

__all__ = ["decimal_points"]

_DECIMAL_COMMA = re.compile(r"(?<![\d,.])(\d+),(\d{1,2})(?![\d,])")


def decimal_points(text: str) -> str:
    """``text`` with its decimal commas written as points ("3,5" → "3.5")."""
    return _DECIMAL_COMMA.sub(r"\1.\2", text)
