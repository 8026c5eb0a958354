"""Pieces the clause readers cut out of one ask, read as one clause again.

Why: bench_kb_routing's dev9 (written before this was) asked single questions in forms the
readers cut in two, and each piece then went alone to a knowledge base (often two steps of one
base, or the second to another base on its few words):

* the two terms of a comparison: "what's the difference between sort -n | and sort -g" (the
  rules read "and sort" as a new command), "between StrictUndefined | and ChainableUndefined in
  jinja2" (the junction model's cut). What comes after "between X and" is the other thing
  compared, never a new part: a comparison asks one question of two things.
* a leading situation addressed to the user or said of them, then a comma and the question:
  "you need a random url-safe token in python, | which function", "when you write x < y <= z
  in python, | how often is y evaluated". The first piece asks nothing; it is what the question
  after it is about (as ``_preamble.framed`` reads "In rich, ..."). Only across a bare comma
  and with no number: "...; after that, how do you ..." asks one thing after another, and a
  situation with numbers ("if you save 250 a week, ...") is a word problem's stated facts.
  Likewise a leading topic of a few words that asks nothing ("pip wheel subcommand, | what does
  it build", "jinja2's sort filter, | how do I sort case sensitively").
"""

from __future__ import annotations

import re

from agentroute.text import Clause, opens_question, starts_request

__all__ = ["rejoined"]

_BETWEEN = re.compile(r"\bbetween\s+(?:(?!\band\b)[^,;:?!.])+$", re.IGNORECASE)
"""A piece ending in "between X" (the comparison's first term, no "and" yet)."""
_AND = re.compile(r"\s*,?\s*and\s+", re.IGNORECASE)
_SITUATION = re.compile(
    r"^(?:(?:when|if|whenever|once|say)\s+)?(?:you|i|we)(?:['’](?:re|ve|d|ll|m))?\s", re.IGNORECASE
)
"""A piece opening with the user as its subject ("you need ...", "when you write ...", "if I
run ..."): a situation, not an ask."""
_COMMA = re.compile(r"\s*,\s*")
_NUMBER = re.compile(r"(?<![\w.])\d")
"""A number of its own ("250 a week"), not a digit in a name ("jinja2", "sha256sum")."""
TOPIC_WORDS = 5
"""A leading topic is this short at most ("jinja2's sort filter"): a longer piece without a
question word says more than what the question is about."""


def _between(request: str, first: str, second: str) -> str | None:
    """The request's span from ``first`` through ``second`` when ``first`` ends a
    comparison's first term and only "and" stands between them; else ``None``."""
    if _BETWEEN.search(first) is None:
        return None
    return _span(request, first, second, _AND)


def _asks(text: str) -> bool:
    """Whether ``text`` asks anything itself: a question mark, or a question word or command
    opening it."""
    return "?" in text or opens_question(text) or starts_request(text)


def _topic(text: str) -> bool:
    """Whether ``text`` only names what is asked about: a few words, no ask of its own."""
    return 0 < len(text.split()) <= TOPIC_WORDS and not _asks(text)


def _situated(request: str, first: str, second: str) -> str | None:
    """The request's span from ``first`` through ``second`` when ``first`` is a situation
    (``_SITUATION``) or a topic (``_topic``) with no question mark nor number, a bare comma
    stands between them and ``second`` opens a question or a command; else ``None``."""
    if (
        (_SITUATION.match(first.strip()) is None and not _topic(first))
        or "?" in first
        or _NUMBER.search(first) is not None
        or not (opens_question(second) or starts_request(second))
    ):
        return None
    return _span(request, first, second, _COMMA)


def _span(request: str, first: str, second: str, gap: re.Pattern[str]) -> str | None:
    """The request's own text from ``first`` through ``second`` when what stands between
    them is all ``gap``; else ``None``."""
    start = request.find(first)
    if start < 0:
        return None
    end = start + len(first)
    at = request.find(second, end)
    if at < 0 or gap.fullmatch(request[end:at]) is None:
        return None
    return request[start : at + len(second)]


def rejoined(found: list[Clause], request: str) -> list[Clause]:
    """``found`` with each comparison's two terms, and a leading situation or topic with the
    question after it, read as one clause (the request's own words between them kept)."""
    out: list[Clause] = []
    for clause in found:
        before = out[-1] if out else None
        if before is not None:
            whole = _between(request, before.text, clause.text)
            if whole is None and len(out) == 1:
                whole = _situated(request, before.text, clause.text)
            if whole is not None:
                out[-1] = Clause(whole, before.group, before.facts)
                continue
        out.append(clause)
    return out
