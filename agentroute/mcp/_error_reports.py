"""Tool results that are error reports although the server did not set ``isError``.

Some servers answer a failed call with ordinary text (the official filesystem server's
``read_multiple_files`` returns ``"<path>: Error - Access denied - ..."`` per file); taken at
face value that text becomes the answer and the planner never replans. The phrasings live in
``error_reports.txt`` beside this module, so adding a server's wording is a data change.
"""

from __future__ import annotations

import functools
import re

from agentroute.text import word_list

__all__ = ["error_report"]

_SEPARATOR = re.compile(r"-{3,}|={3,}")
_LABEL = r"(?:(?:(?!: ).){1,500}?: )?"
"""An optional ``<label>: `` before the phrase (a path, a tool name); it holds no ``": "``,
so only the first one counts and a sentence that mentions an error later is not a report."""


@functools.cache
def _pattern() -> re.Pattern[str]:
    phrases = word_list("agentroute.mcp", "error_reports.txt")
    alternatives = "|".join(
        re.escape(p) + (r"(?!\w)" if p[-1].isalnum() else "")
        for p in sorted(phrases, key=len, reverse=True)
    )
    return re.compile(rf"{_LABEL}(?:{alternatives})", re.IGNORECASE)


def error_report(text: str) -> str | None:
    """``text`` (stripped) when every non-empty line of it reports an error, else ``None``.

    Every line, not any: a file or a man page that talks about errors is content.
    """
    lines = [line.strip() for line in text.splitlines()]
    reports = [line for line in lines if line and not _SEPARATOR.fullmatch(line)]
    if not reports or not all(_pattern().match(line) for line in reports):
        return None
    return text.strip()
