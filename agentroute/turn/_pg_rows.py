"""Many rows of one ``INSERT ... ON CONFLICT`` statement as one statement.

LangGraph's saver writes a checkpoint's blobs and a task's writes with ``executemany``: one
statement execution per row, ~130 a turn, each with its own client and server work. A batch
of the write-behind queue instead sends each statement once with all its rows in ``VALUES``.
One statement may not touch a row twice (``DO UPDATE`` refuses), so rows of the same conflict
key are merged first as the row-by-row execution would have left them: the last one for
``DO UPDATE``, the first one for ``DO NOTHING``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["MAX_PARAMS", "multi_row"]

MAX_PARAMS = 30_000
"""Parameters in one statement (the protocol allows 65,535)."""

_INSERT = re.compile(
    r"^\s*INSERT INTO (?P<table>\S+)\s*\((?P<columns>[^)]*)\)\s*VALUES\s*(?P<values>\([^)]*\))"
    r"\s*ON CONFLICT\s*\((?P<keys>[^)]*)\)\s*DO (?P<action>NOTHING|UPDATE)(?P<rest>.*)$",
    re.DOTALL | re.IGNORECASE,
)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


def multi_row(sql: str, rows: Sequence[Sequence[Any]]) -> list[tuple[str, list[Any]]]:
    """``(statement, parameters)`` pairs that write ``rows`` as executing ``sql`` once per row
    would; ``sql`` itself per row when it is not a single-row ``INSERT ... ON CONFLICT``."""
    found = _INSERT.match(sql)
    if found is None or not rows:
        return [(sql, list(row)) for row in rows]
    columns = _names(found["columns"])
    try:
        key_at = [columns.index(key) for key in _names(found["keys"])]
    except ValueError:  # a conflict target that is not a plain column
        return [(sql, list(row)) for row in rows]
    merged: dict[tuple[Any, ...], Sequence[Any]] = {}
    last_wins = found["action"].upper() == "UPDATE"
    try:
        for row in rows:
            key = tuple(row[i] for i in key_at)
            if last_wins or key not in merged:
                merged[key] = row
    except TypeError:  # a key value that cannot be compared this way
        return [(sql, list(row)) for row in rows]
    head = sql[: found.start("values")]
    tail = sql[found.end("values") :]
    per_statement = max(1, MAX_PARAMS // len(columns))
    kept = list(merged.values())
    out = []
    for a in range(0, len(kept), per_statement):
        chunk = kept[a : a + per_statement]
        values = ", ".join([found["values"]] * len(chunk))
        out.append((f"{head}{values}{tail}", [value for row in chunk for value in row]))
    return out
