"""Split a request into clauses that can be routed on their own (no LLM)."""

from __future__ import annotations

import re

from agentroute.text._lexicon import CLAUSE_STARTERS

__all__ = ["split_clauses"]

_STARTERS = "|".join(CLAUSE_STARTERS)
_SENTENCE = re.compile(r"(?<=[?!])\s+|(?<=[.;])\s+(?=[A-Z])|\s*;\s*")
_JOIN = re.compile(
    rf"(?:,\s*|\s+)(?:and\s+(?:then\s+|also\s+)?|then\s+|also\s+|plus\s+)(?=(?:{_STARTERS})\b)"
    rf"|,\s*(?=(?:{_STARTERS})\b)",
    re.IGNORECASE,
)
_TRIM = " \t\n,.;:!"


def split_clauses(text: str) -> list[str]:
    """Clauses in order; each keeps a trailing '?' so it still reads as a question."""
    clauses: list[str] = []
    for sentence in _SENTENCE.split(text.strip()):
        for part in _JOIN.split(sentence):
            part = part.strip(_TRIM)
            if part.lower().startswith(("and ", "also ", "then ")):
                part = part.split(" ", 1)[1]
            if len(part) >= 2:
                clauses.append(part)
    return clauses or ([text.strip()] if text.strip() else [])
