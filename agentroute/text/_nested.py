"""A question that needs the answer of another first: "what package provides the command
that converts a file to hex?".

Why: no one passage answers it — the man pages say which command converts to hex, the
package records which package ships that command. The phrase "the <kind> that/which ..."
(a kind noun of ``name_kinds.txt`` and a relative clause) is the inner question ("which
command converts a file to hex?"); its answer, a name, takes the phrase's place in the outer
one ("what package provides xxd?"). Read from the sentence's structure, not its wording.

A place asked for where a place goes ("what time is it in the capital of Peru") is such an
inner question too (`inner_place`): the capital first, then the time there. So is a quantity
looked up where an operation's number goes ("twice the atomic number of iron", "convert the
speed of sound in air to km/h": `inner_quantity`): the lookup first, then the operation on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentroute.text._lexicon import alternation, cue_table
from agentroute.text._shapes import KIND_NOUNS

__all__ = ["Nested", "inner_place", "inner_quantity", "nested_question"]

_PLACE_NOUNS = alternation(cue_table("clauses.json")["place_answer_nouns"], any_space=True)
_END = r"(?=\s*(?:now|right\s+now|today|currently|at\s+the\s+moment)?\s*[?.!,;]*\s*$)"
_INNER_PLACE = re.compile(
    rf"\b(?:in|at|for)\s+(?:(?:the\s+)?(?P<noun>{_PLACE_NOUNS})\s+of\s+(?P<owner>[^\W\d][\w'-]*"
    rf"(?:\s+[^\W\d][\w'-]*){{0,3}}?)|(?P<owner2>[^\W\d][\w'-]*(?:\s+[^\W\d][\w'-]*){{0,2}}?)"
    rf"['’]s\s+(?P<noun2>{_PLACE_NOUNS})){_END}",
    re.IGNORECASE,
)
_THERE = re.compile(r"\bthere\b", re.IGNORECASE)
_CLAUSE_WORDS = cue_table("clauses.json")
_STATES = re.compile(
    r"^\W*(?:(?:so|and|but|well|ok|okay)\W+)?(?:"
    + alternation(
        [
            w
            for w in _CLAUSE_WORDS["statement_openers"]
            if w not in _CLAUSE_WORDS["articles"] and " " not in w
        ]
    )
    + r")\b",
    re.IGNORECASE,
)
"""A clause that states something ("so my cousin lives in the capital of Hungary"; its opener
not an article): the place it names is a fact given, not a question."""

_RELATIVE = re.compile(
    r"\b(?:the|a|an)\s+(?P<noun>[a-z]+)\s+(?:that|which|who)\s+(?P<clause>[^?.!;,]+?)"
    r"(?P<end>\s*(?:[?.!;,]|$))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Nested:
    """The inner question, its kind noun, and the outer question with ``{}`` for its answer."""

    inner: str
    noun: str
    outer: str

    def follow_up(self, name: str) -> str:
        """The outer question with the inner one's answer in its place."""
        return self.outer.format(name)


def nested_question(text: str) -> Nested | None:
    """The inner question ``text`` needs answered first, or ``None`` when it asks one thing
    (the phrase must leave an outer question: "the command that lists files" alone is the
    question itself)."""
    for m in _RELATIVE.finditer(text):
        noun = m.group("noun").lower()
        if noun not in KIND_NOUNS:
            continue
        before = text[: m.start()].strip()
        after = text[m.end("clause") :]
        if len(re.findall(r"[A-Za-z]+", before)) < 2:
            continue  # "The command that lists files?": nothing asked around it
        inner = f"Which {noun} {m.group('clause').strip()}?"
        outer = (
            text[: m.start()].replace("{", "{{").replace("}", "}}")
            + "{}"
            + after.replace("{", "{{").replace("}", "}}")
        )
        return Nested(inner, noun, outer)
    return None


def inner_place(text: str) -> tuple[str, str] | None:
    """``(inner, outer)`` for a clause that asks something of a place it names by a question
    ("what time is it in the capital of Peru": "what is the capital of Peru?", "what time
    is it there"), else ``None`` (nothing asked around the place: "the capital of Peru")."""
    m = _INNER_PLACE.search(text)
    if m is None or not re.search(r"[A-Za-z]", text[: m.start()]) or _STATES.match(text):
        return None
    noun = m.group("noun") or m.group("noun2")
    owner = (m.group("owner") or m.group("owner2")).strip()
    inner = f"what is the {noun.lower()} of {owner}?"
    before, after = text[: m.start()].rstrip(), text[m.end() :]
    outer = f"{before}{after}" if _THERE.search(before) else f"{before} there{after}"
    return inner, outer


_OWN = cue_table("references.json")
_QUANTITIES = alternation(cue_table("answers.json")["quantity_nouns"])
_ENDS = frozenset(_OWN["inner_quantity_ends"])
_OPERATION = frozenset(_OWN["operation_words"])
_CONVERTS = re.compile(
    rf"^\W*(?:please\s+)?(?:{alternation(_OWN['conversion_verbs'], any_space=True)})\s+$", re.I
)
_UNITS = frozenset(u.lower() for u in cue_table("followup.json")["units"])
_LOOKED_UP = re.compile(
    rf"\bthe\s+(?P<mods>(?:[^\W\d]+\s+){{0,2}}?)(?P<noun>{_QUANTITIES})s?\s+"
    r"(?:of|(?P<to>to))\s+",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(rf"\b(?:{alternation(_OWN['inner_quantity_taken'])})\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"\s*([^\W\d][\w'-]*)")
_UNIT_AFTER = re.compile(r"\s+(?:to|into|in)\s+(?:°\s?)?([^\W\d][\w/²³°]*)", re.IGNORECASE)


def inner_quantity(text: str) -> tuple[str, str] | None:
    """``(inner, outer)`` for a clause that works on a quantity it names by what it is of
    ("what's twice the atomic number of iron": "what is the atomic number of iron?", "what's
    twice it"; "convert the average distance to the Moon into miles": "what is the average
    distance to the Moon?", "convert it into miles"), else ``None``: the clause asks only the
    lookup, or gives every number itself. The words around the lookup must operate (a word of
    arithmetic) or convert (a conversion verb before it, a unit after it)."""
    for m in _LOOKED_UP.finditer(text):
        noun = m.group("noun").lower()
        if noun == "number" and not m.group("mods").strip():
            continue  # "the number of years between ...": a count, not a quantity looked up
        if m.group("to") and noun != "distance":
            continue  # "the distance to the Moon"; "the amounts to euros" is no lookup
        end, words = m.end(), 0
        while words < 4:
            word = _NAME_WORD.match(text, end)
            if word is None or word.group(1).lower() in _ENDS:
                break
            unit = _UNIT_AFTER.match(text, end)
            if words and unit is not None and unit.group(1).lower() in _UNITS:
                break  # "... in km": the unit it is asked in, not part of its name
            end, words = word.end(), words + 1
        if not words or re.match(r"\s*\d", text[end:]):
            continue
        before, after = text[: m.start()], text[end:]
        if _POINTS_BACK.search(f"{before} {after}"):
            return None  # "subtract that from the atomic number of gold": "it" is taken
        around = {w.lower() for w in re.findall(r"[^\W\d]+|%", f"{before} {after}")}
        unit = _UNIT_AFTER.match(after)
        converts = (
            _CONVERTS.match(before) is not None
            and unit is not None
            and unit.group(1).lower() in _UNITS
        )
        if not (around & _OPERATION or converts):
            continue
        inner = f"what is {text[m.start() : end].strip()}?"
        return inner, f"{before}it{after}"
    return None
