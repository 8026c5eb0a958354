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
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from agentroute.knowledge._answer import units
from agentroute.text import STOP_WORDS, mentions, stem, word_list

__all__ = [
    "FRAGMENT_WORDS",
    "Attribute",
    "asked_attributes",
    "entity_words",
    "gives_of",
    "ungiven",
]

_ASKING = word_list("agentroute.knowledge", "asking_words.txt")
_LEANING = word_list("agentroute.knowledge", "answer_words.txt")
"""A statement's first words that lean on the one before it ("Its capital is Paris")."""
_WORD = re.compile(r"[a-z0-9²/-]+")
_YEAR = re.compile(r"(?<!\d)\d{3,4}s?(?!\d)")
"""A year in figures ("1889", "1890s", "1867" of "1867-1934"): what "#year" stands for."""


@dataclass(frozen=True)
class Attribute:
    """One attribute: the words and phrases a question asks it with, those a passage gives
    it in (each a tuple of words; a given word by its stem, so any of its forms gives it)."""

    name: str
    asked: tuple[tuple[str, ...], ...]
    given: tuple[tuple[str, ...], ...]
    given_stems: frozenset[str] = frozenset()


_stem = lru_cache(maxsize=1 << 16)(stem)
"""``text.stem``, remembered: a base's passages write the same words again and again."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@cache
def _table() -> dict[str, Any]:
    text = resources.files("agentroute.knowledge").joinpath("attribute_words.json")
    table: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return table


@cache
def _attributes() -> tuple[Attribute, ...]:
    out = []
    for name, spec in _table().items():
        if name.startswith("_"):
            continue
        given = tuple((p,) if p.startswith("#") else tuple(_words(p)) for p in spec["given"])
        out.append(
            Attribute(
                name,
                tuple(tuple(_words(p)) for p in spec["asked"]),
                tuple(p for p in given if len(p) > 1 or p[0].startswith("#")),
                frozenset(stem(p[0]) for p in given if len(p) == 1 and not p[0].startswith("#")),
            )
        )
    return tuple(out)


@cache
def _asking_phrases() -> dict[tuple[str, ...], tuple[Attribute, ...]]:
    """Each asking word or phrase, and the attributes it asks."""
    out: dict[tuple[str, ...], list[Attribute]] = {}
    for a in _attributes():
        for phrase in a.asked:
            out.setdefault(phrase, []).append(a)
    return {p: tuple(a) for p, a in out.items()}


@cache
def _not_asking() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_words(p)) for p in _table()["_not_asking"])


def _grams(words: list[str], longest: int = 4) -> set[tuple[str, ...]]:
    """Every run of up to ``longest`` words of ``words``."""
    return {
        tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)
    }


_IDENTIFIER = re.compile(r"\S*[^\W_](?:_|\.(?=\w))\S*")
"""A word joined to another by an underscore or a dot ("freeze_all", "max_length",
"console.height"): a name in code, which asks nothing."""
FRAGMENT_WORDS = 2
"""A question naming more than this many words beside a one-word ask may be a keyword
fragment (``_in_fragment``); as ``_chroma_kb.ENTITY_WORDS``, the most an entity is named by."""


@cache
def _small_words() -> frozenset[str]:
    """The small words a question sets its asking word among (stop words, ``_frame``)."""
    return frozenset(_table()["_frame"]) | STOP_WORDS


@cache
def _no_content() -> frozenset[str]:
    """Words that name nothing asked about: the small ones and the asking ones."""
    return _small_words() | _ASKING


def _in_fragment(words: list[str], at: int) -> bool:
    """Whether the one asking word at ``words[at]`` sits in a keyword fragment, not a
    question: a content word on each side of it ("polkit Authorization speak work",
    "concurrent established keep-alive"), where a question sets it among its small words
    ("population of germany", "who founded microsoft", "do they speak in Brazil", or last:
    "does ethanol boil"), and more than ``FRAGMENT_WORDS`` other content words (a short
    "germany population 2020" names its entity)."""
    small = _small_words()
    if at == 0 or at == len(words) - 1 or words[at - 1] in small or words[at + 1] in small:
        return False
    content = [w for i, w in enumerate(words) if i != at and w and w not in _no_content()]
    return len(content) > FRAGMENT_WORDS


def asked_attributes(query: str) -> list[Attribute]:
    """The attributes ``query`` asks ("how tall is the Eiffel Tower" → height), each by its
    words as listed (no other form: "found" of "isn't found" asks no founding), not by a
    name in code ("freeze_all"), not by a phrase that only looks like it ("how far along",
    ``_not_asking``), and not by one word set in a keyword fragment (``_in_fragment``)."""
    words = _words(_IDENTIFIER.sub(" ", query))
    for phrase in _not_asking():
        n = len(phrase)
        starts = [i for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == phrase]
        for i in starts:
            words[i : i + n] = [""] * n
    grams = _grams(words)
    asked: set[str] = set()
    for p, attrs in _asking_phrases().items():
        if p not in grams:
            continue
        for a in attrs:
            if len(p) == 1 and all(
                _in_fragment(words, i) for i, w in enumerate(words) if w == p[0]
            ):
                continue
            asked.add(a.name)
    return [a for a in _attributes() if a.name in asked]


def _gives(attribute: Attribute, words: list[str], stems: set[str]) -> bool:
    if not attribute.given_stems.isdisjoint(stems):
        return True
    for phrase in attribute.given:
        if phrase == ("#year",):
            if any(_YEAR.search(w) for w in words):
                return True
            continue
        n = len(phrase)
        if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
            return True
    return False


def ungiven(asked: list[Attribute], text: str) -> list[str]:
    """The names of the ``asked`` attributes ``text`` does not give."""
    if not asked:
        return []
    words = _words(text)
    stems = {_stem(w) for w in words}
    return [a.name for a in asked if not _gives(a, words, stems)]


def entity_words(query: str, asked: list[Attribute], ignore: Set[str] = frozenset()) -> list[str]:
    """What ``query`` asks the ``asked`` attributes of: its words that neither ask nor give
    them ("away" of "how far away") nor frame the question ("how", "many", ``_frame``; stop words; ``asking_words.txt``), nor are
    in ``ignore`` (the base's generic words): "currency of india" → india, "how many moons does mars have" →
    mars. A lower-case name the entity check cannot see; one an earlier part names ("in that
    country", ``_references``) is not named here; a past participle ("in what year
    was that patent granted") tells what happened to it, not what it is."""
    frame = set(_table()["_frame"]) | STOP_WORDS | _ASKING
    references = set(_table()["_references"])
    words = _words(query)
    referred = {w for before, w in pairwise(words) if before in references}
    asking = {w for a in asked for p in (*a.asked, *a.given) for w in p}
    stems = {_stem(w) for w in asking} | {s for a in asked for s in a.given_stems}
    return [
        w
        for w in dict.fromkeys(words)
        if (len(w) > 2 or not w.isalpha())  # "k2"
        and w not in frame
        and w not in ignore
        and w not in referred  # "that country": an earlier step's, not named here
        and w not in asking
        and stem(w) not in stems
        and not w.isdigit()
        and not (len(w) > 4 and w.endswith("ed"))  # "granted", "sent": a deed, not a name
    ]


def gives_of(
    asked: list[Attribute], subject: str, title: str, passage: str, also: Sequence[str] = ()
) -> bool:
    """Whether ``passage`` gives the ``asked`` attributes of ``subject`` (the most telling word
    the entity is named by, "" when not known): one of its statements gives them all and,
    with the passage's title and the statement it leans on ("Its capital is Paris",
    ``answer_words.txt``), writes ``subject``. Why: France's
    passage names Switzerland among its neighbours, and its capital is Paris, not
    Switzerland's. Without a ``subject``, the passage as a whole must give them. The title
    names the subject but gives nothing: "Discovery of penicillin" over a statement of who
    made it a medicine does not say who discovered it. ``also``: other words the question
    names the entity by, which the same statement must write too ("how fast is sound in
    water": the speed of sound in dry air is another speed)."""
    statements = [u.text for u in units(passage)] or [passage]
    words = [_words(t) for t in (title, *statements)]
    stems = [{_stem(w) for w in ws} for ws in words]
    said = words[1:]  # a title names a topic ("Discovery of penicillin"): it states nothing
    if not all(_gives(a, [w for ws in said for w in ws], set().union(*stems[1:])) for a in asked):
        return False  # nowhere in the passage: no statement of it gives them
    if not subject:
        return True
    for i, statement in enumerate(statements, start=1):
        leans = i > 1 and words[i][:1] and words[i][0] in _LEANING
        parts = [i - 1, i] if leans else [i]
        window_words = [w for j in parts for w in words[j]]
        window_stems = set().union(*(stems[j] for j in parts))
        window = " ".join([title, statements[i - 2] if leans else "", statement])
        if all(_gives(a, window_words, window_stems) for a in asked) and all(
            w in window_words or w in words[0] or mentions(window, w) for w in (subject, *also)
        ):
            return True
    return False
