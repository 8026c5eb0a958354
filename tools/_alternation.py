"""A regular-expression alternation of listed phrases, as the tools' readers match their word
tables (``word_problems.json``, ``dates.json``): longest first, so "feb" never wins over
"february", and a space in a phrase matches any run of spaces."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["alternation"]


def alternation(words: Iterable[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
