"""The attribute a question asks of its entity, and whether a passage gives it.

Why: the entity check (``_names``, ``text.named_entities``) stops a passage about another
entity, but a passage about the right one that lacks the fact asked was still the answer:
"population of germany" was answered with Germany's passage (capital, language, currency),
"how tall is everest" with Everest's sentence about its first ascent, "how many moons does
mars have" with the list of the planets. A question asking an attribute (``attribute_words.json``:
"population", "tall"/"how high", "founded", "GDP", "area"...) is answered only by a passage
writing one of the words that attribute is given in ("inhabitants", "metres", "established"),
the word itself or a form of it (``text.stem``). A question asking none is not checked: man
pages' and Python's questions ask how to do things, and their words are the passages' to judge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Set
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from agentroute.knowledge._answer import units
from agentroute.text import STOP_WORDS, mentions, stem, word_list

__all__ = ["Attribute", "asked_attributes", "entity_words", "gives_of", "ungiven"]

_ASKING = word_list("agentroute.knowledge", "asking_words.txt")
_LEANING = word_list("agentroute.knowledge", "answer_words.txt")
"""A statement's first words that lean on the one before it ("Its capital is Paris")."""
_WORD = re.compile(r"[a-z0-9²/-]+")
_YEAR = re.compile(r"(?<!\d)\d{3,4}s?(?!\d)")
"""A year in figures ("1889", "1890s", "1867" of "1867-1934"): what "#year" stands for."""


@dataclass(frozen=True)
class Attribute:
    """One attribute: the words and phrases a question asks it with, those a passage gives
    it in (each a tuple of words)."""

    name: str
    asked: tuple[tuple[str, ...], ...]
    given: tuple[tuple[str, ...], ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@cache
def _table() -> dict[str, Any]:
    text = resources.files("agentroute.knowledge").joinpath("attribute_words.json")
    table: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return table


@cache
def _attributes() -> tuple[Attribute, ...]:
    table = _table()
    return tuple(
        Attribute(
            name,
            tuple(tuple(_words(p)) for p in spec["asked"]),
            tuple((p,) if p.startswith("#") else tuple(_words(p)) for p in spec["given"]),
        )
        for name, spec in table.items()
        if not name.startswith("_")
    )


def _holds(words: list[str], stems: set[str], phrase: tuple[str, ...]) -> bool:
    """Whether ``words`` (with their ``stems``) write ``phrase``: one word in any of its forms,
    several in a row as written."""
    if phrase == ("#year",):
        return any(_YEAR.search(w) for w in words)
    if len(phrase) == 1:
        return phrase[0] in words or (bool(stems) and stem(phrase[0]) in stems)
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def asked_attributes(query: str) -> list[Attribute]:
    """The attributes ``query`` asks ("how tall is the Eiffel Tower" → height), each by its
    words as listed (no other form: "found" of "isn't found" asks no founding)."""
    words = _words(query)
    return [a for a in _attributes() if any(_holds(words, set(), p) for p in a.asked)]


def ungiven(asked: list[Attribute], text: str) -> list[str]:
    """The names of the ``asked`` attributes ``text`` does not give."""
    if not asked:
        return []
    words = _words(text)
    stems = {stem(w) for w in words}
    return [a.name for a in asked if not any(_holds(words, stems, p) for p in a.given)]


def entity_words(query: str, asked: list[Attribute], ignore: Set[str] = frozenset()) -> list[str]:
    """What ``query`` asks the ``asked`` attributes of: its words that neither ask nor give
    them ("away" of "how far away") nor frame the question ("how", "many", ``_frame``; stop words; ``asking_words.txt``), nor are
    in ``ignore`` (the base's generic words): "currency of india" → india, "how many moons does mars have" →
    mars. A lower-case name the entity check cannot see; a past participle ("in what year
    was that patent granted") tells what happened to it, not what it is."""
    frame = set(_table()["_frame"]) | STOP_WORDS | _ASKING
    asking = {w for a in asked for p in (*a.asked, *a.given) for w in p}
    stems = {stem(w) for w in asking}
    return [
        w
        for w in dict.fromkeys(_words(query))
        if len(w) > 2
        and w not in frame
        and w not in ignore
        and w not in asking
        and stem(w) not in stems
        and not w.isdigit()
        and not (len(w) > 4 and w.endswith("ed"))  # "granted", "sent": a deed, not a name
    ]


def gives_of(asked: list[Attribute], subject: str, title: str, passage: str) -> bool:
    """Whether ``passage`` gives the ``asked`` attributes of ``subject`` (the most telling word
    the entity is named by, "" when not known): one of its statements gives them all and,
    with the passage's title and the statement it leans on ("Its capital is Paris",
    ``answer_words.txt``), writes ``subject``. Why: France's
    passage names Switzerland among its neighbours, and its capital is Paris, not
    Switzerland's. Without a ``subject``, the passage as a whole must give them."""
    if not subject:
        return not ungiven(asked, f"{title} {passage}")
    statements = [u.text for u in units(passage)] or [passage]
    for i, statement in enumerate(statements):
        first = _words(statement)[:1]
        before = statements[i - 1] if i and first and first[0] in _LEANING else ""
        window = f"{title} {before} {statement}"
        if not ungiven(asked, window) and mentions(window, subject):
            return True
    return False
