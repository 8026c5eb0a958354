"""Split a request into clauses that can be routed on their own (no LLM)."""

from __future__ import annotations

import re

__all__ = ["split_clauses"]

# Words that start an independent question or command: a conjunction before one of these
# separates two sub-requests ("what is 17*23, and how many km are 5 miles").
_STARTERS = (
    "what|what's|whats|how|who|whom|whose|which|when|where|why|is|are|was|were|do|does|did|"
    "can|could|would|should|will|tell|give|list|find|show|calculate|compute|convert|read|get|"
    "fetch|search|look|explain|describe|summarize|summarise|translate|write|name|define|check|"
    "please|also|"
    # imperatives of tool requests ("..., and create a ticket", "then send an email")
    "create|make|send|add|delete|remove|update|set|open|close|start|stop|run|move|copy|rename|"
    "post|reply|book|schedule|cancel|stage|commit|push|pull|merge|deploy|restart|download|"
    "upload|share|assign|play|pause|remind|save|print|email|notify|install|generate"
)
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
