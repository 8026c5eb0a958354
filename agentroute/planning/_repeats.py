"""A request's parts asked once each, and at most ``MAX_PARTS`` of them.

"What's 6 times 7? What's 6 times 7?" pasted 7,000 times asks one thing: planned as 7,000
steps it ran 7,000 tool calls and took minutes for one answer. A part said again word for
word is planned once, and the answer says how often it was asked. A part that refers back
("double it. double it.") is kept each time: each one works on the result before it. A
request of more distinct parts than ``MAX_PARTS`` is planned for its first ``MAX_PARTS``;
the answer says how many were left out, so none is dropped silently.
"""

from __future__ import annotations

from agentroute.text import Clause, refers_back

__all__ = ["MAX_PARTS", "once_each"]

MAX_PARTS = 50
"""The most parts one turn plans: past it a request is a batch, asked better in pieces."""

_EDGES = " \t\n.?!;,:"


def _said(text: str) -> str:
    return " ".join(text.lower().strip(_EDGES).split())


def once_each(found: list[Clause], limit: int = MAX_PARTS) -> tuple[list[Clause], list[str]]:
    """``found`` without parts said again word for word (the first kept), cut to ``limit``
    parts, and the notices that tell the user so."""
    kept: list[Clause] = []
    times: dict[str, int] = {}
    first: dict[str, str] = {}
    for clause in found:
        key = _said(clause.text)
        if key in times and not refers_back(clause.text):
            times[key] += 1
            continue
        times.setdefault(key, 1)
        first.setdefault(key, clause.text.strip(_EDGES))
        kept.append(clause)
    notices = [
        f"{first[key]!r} was asked {n:,} times: answered once" for key, n in times.items() if n > 1
    ]
    if len(kept) > limit:
        notices.append(
            f"{len(kept) - limit:,} more parts were left out: one request is planned in at most "
            f"{limit} parts; ask the rest in another message"
        )
        kept = kept[:limit]
    return kept, notices
