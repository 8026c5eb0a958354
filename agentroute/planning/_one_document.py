"""Two pieces of one ask that a single document answers are one step, not two.

Why: the clause readers cut a question where a junction looks confident ("how to compute the
mean | and median of a list in python", "which names are reserved: what do leading | and
trailing double underscores mean"): each piece then goes, alone, to the same knowledge base,
which is asked twice what its one document answers at once. A piece that opens no request of
its own ("median of a list in python", "fast AWK interpreter"), refers back to nothing, and
whose best passage in that base comes from the same document as the piece before it, is read
again with that piece as one step. Two asks of different documents stay apart ("the language
of Brazil and the currency of Hungary"), and so does every piece that opens a question or
command of its own or uses the one before it ("and the river it lies on").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from agentroute.text import starts_request
from agentroute.types import REFERENCE, Step

__all__ = ["one_document"]


def one_document(
    request: str,
    steps: list[Step],
    said: Mapping[str, str],
    document: Callable[[str, str], str | None],
) -> tuple[list[Step], dict[str, str]]:
    """``steps`` with each piece joined to the one before it when both ask the same knowledge
    base what one document answers (``document(base, text)``: the title of the document of
    the base's best answering passage, ``None`` when the base is no knowledge base or none
    answers); ``said`` holds each step's clause as the request wrote it. Returns the steps and
    which step each removed one was joined into."""
    out: list[Step] = []
    joined: dict[str, str] = {}
    texts = dict(said)
    for step in steps:
        before = out[-1] if out else None
        text = texts.get(step.id, "")
        if (
            before is not None
            and step.target is not None
            and before.target == step.target
            and not step.depends_on
            and not REFERENCE.search(step.query)
            and text
            and not starts_request(text)
            and texts.get(before.id)
        ):
            first = document(step.target, texts[before.id])
            if first is not None and first == document(step.target, text):
                whole = _spanning(request, texts[before.id], text)
                out[-1] = before.model_copy(update={"query": whole})
                texts[before.id] = whole
                joined[step.id] = before.id
                continue
        out.append(_renamed(step, joined) if joined else step)
    return out, joined


def _spanning(request: str, first: str, second: str) -> str:
    """The request's own text from ``first`` through ``second``, or the two joined."""
    start = request.find(first)
    end = request.find(second, start + len(first)) if start >= 0 else -1
    if start >= 0 and end >= 0:
        return request[start : end + len(second)]
    return f"{first} {second}"


def _renamed(step: Step, joined: Mapping[str, str]) -> Step:
    """``step`` depending on the steps its removed ones were joined into."""
    query = REFERENCE.sub(
        lambda m: "{{" + joined.get(m.group(1), m.group(1)) + "}}",
        step.query,
    )
    deps = list(dict.fromkeys(joined.get(d, d) for d in step.depends_on))
    return step.model_copy(update={"query": query, "depends_on": deps})
