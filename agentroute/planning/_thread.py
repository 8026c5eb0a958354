"""Which earlier turn of a chat thread a follow-up continues.

People come back to a topic after an aside: "Convert 5 miles to km", "What's the capital of
Peru?", "and 8 miles?". Read against the last turn, "8 miles" has nothing to replace; read
against the turn before, it replaces "5 miles". A follow-up continues the most recent turn it
shares a sign with: a content word ("miles", "time", "Kenya"), a value of the same kind (a
number, a percentage, a name, a language, a quoted text), or, for a pronoun of a place or a
person ("there", "they", "he"), a name to refer to. The last turn keeps the follow-up unless
it shares nothing and an earlier one does: an unrelated aside never steals a follow-up, and a
follow-up that fits the last turn is never sent further back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentroute.text import STOP_WORDS
from agentroute.text._lexicon import LANGUAGES, alternation, cue_table
from agentroute.types import PriorTurn

__all__ = ["EARLIER_TURNS", "continued_turn", "shares_sign", "word_stem"]

EARLIER_TURNS = 3
"""How many turns before the last one a thread keeps for its follow-ups."""

_CUES = cue_table("followup.json")
_SKIP = frozenset(
    w
    for phrase in [
        *_CUES["generic_words"],
        *_CUES["openers"],
        *_CUES["acknowledgements"],
        *_CUES["corrections"],
        *_CUES["wh_words"],
        *_CUES["return_words"],
    ]
    for w in phrase.split()
)
"""Words that say a follow-up is one, not what it is about ("and", "again", "back")."""
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:[.,]\d+)*")
_PERCENT = re.compile(r"%|\bper\s?cent|\bpercent", re.I)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z][\w'-]*")
_FIRST_NAME = re.compile(r"^\W*([A-Z][a-z][\w'-]*)")
_LANGUAGE = re.compile(rf"\b(?:{alternation(LANGUAGES)})\b", re.I)
_QUOTED = re.compile(r"[\"“'`][^\"”'`]{2,}[\"”'`]")
_REFERS_TO_NAME = re.compile(rf"\b(?:{alternation(_CUES['entity_pronouns'])})\b", re.I)
_QUANTITY = re.compile(rf"\d\s?((?:{alternation(_CUES['units'])}))(?![\w/])", re.I)
"""A number with its unit ("8 miles", "50 F"): the unit, not the number, is what it shares."""
_MEASURE = re.compile(
    rf"\b(?:{alternation(u for u in _CUES['units'] if len(u) > 2 and u not in STOP_WORDS)})\b", re.I
)
"""A unit named without a number ("and the distance in metres?"): of a turn that gave a
quantity."""
_FILE = re.compile(r"\b[\w-]+\.[a-z][a-z0-9]{1,5}\b")
"""A file name ("todo.md"): of a turn that read or listed another one."""


def word_stem(word: str) -> str:
    """Enough of a word to meet its plural or its verb ("percentages" and "percentage",
    "invented" and "invent")."""
    word = word.lower().split("'")[0]
    for ending in ("ages", "age", "ing", "ed", "es", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _content(text: str) -> set[str]:
    """Content words, and the units of its quantities however short ("50 F": "f")."""
    words = {
        word_stem(w)
        for w in _WORD.findall(text)
        if len(w) > 1 and w.lower() not in STOP_WORDS and w.lower() not in _SKIP
    }
    return words | {word_stem(m.group(1)) for m in _QUANTITY.finditer(text)}


def _names(text: str, *, first: bool) -> set[str]:
    """Capitalised words past the first (a question's first word is capitalised anyway); the
    first too when ``first`` and it is no common word ("Argentina?", not "What")."""
    found = {m.group(0).lower() for m in _NAME.finditer(text)}
    lead = _FIRST_NAME.match(text)
    if first and lead and lead.group(1).lower() not in STOP_WORDS | _SKIP:
        found.add(lead.group(1).lower())
    return found - STOP_WORDS


def _kinds(text: str, *, first: bool) -> set[str]:
    kinds = set()
    if _NUMBER.search(text) and not (first and _QUANTITY.search(text)):
        kinds.add("number")
    if _PERCENT.search(text):
        kinds.add("percent")
    if _names(text, first=first):
        kinds.add("name")
    if _LANGUAGE.search(text):
        kinds.add("language")
    if _QUOTED.search(text):
        kinds.add("quoted")
    if _FILE.search(text):
        kinds.add("file")
    if _QUANTITY.search(text) if not first else _MEASURE.search(text):
        kinds.add("measure")
    return kinds


def shares_sign(followup: str, previous: str) -> bool:
    """Whether ``followup`` shares a sign with the earlier request ``previous``: a content
    word, a kind of value both carry, or a name its place or person pronoun can refer to."""
    if _content(followup) & _content(previous):
        return True
    mine, theirs = _kinds(followup, first=True), _kinds(previous, first=False)
    if mine & theirs:
        return True
    return bool(_REFERS_TO_NAME.search(followup)) and "name" in theirs


def _said(turn: PriorTurn) -> str:
    """What a turn asked: its request and the queries its steps were given."""
    return ". ".join([turn.request, *(s.query for s in turn.steps)])


def continued_turn(
    followup: str, last: PriorTurn | None, earlier: Sequence[PriorTurn]
) -> PriorTurn | None:
    """The turn ``followup`` continues: ``last``, unless it shares no sign with it and a turn
    of ``earlier`` (oldest first) does, the most recent such one."""
    if last is None or not earlier or shares_sign(followup, _said(last)):
        return last
    for turn in reversed(earlier[-EARLIER_TURNS:]):
        if shares_sign(followup, _said(turn)):
            return turn
    return last
