"""Each target reads its argument in its own words: a misspelt value is corrected against the
vocabulary of the tool or base it is sent to before that target is asked.

Why: the planner routes on a corrected clause, but the step carries the user's spelling, and
a target handed "captial of Frnace", "time in londn" or "3 fet" fails or answers something
else although it knows "capital", "France", "London" and "feet". The vocabulary is the
target's own (its description, examples and schema; a graph's entities, aliases and
relations; a base's passages; the places a time-zone field is read from, the file types a
pattern is), the corrector is
the planner's (`agentroute.text.Speller`: only words that are no English word, one
unambiguous candidate within one or two slips), and each correction is returned for the
trace. Experts are never read this way: a language model reads slips itself, and its text
is the user's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentroute.protocols import Target
from agentroute.text import Speller, field_kind, file_words, time_zone_places
from agentroute.types import TargetKind

__all__ = ["ArgumentReader", "own_words"]


def own_words(target: Target) -> list[str]:
    """The texts whose words are all the values ``target`` knows: what it says it holds
    (``vocabulary()``: a graph's names and relations, a base's passages) with its
    description, the options of its schema's enums, the places a time-zone field takes and
    the file types and folder words a path or pattern is read from.
    A tool's description alone is not its vocabulary: a converter's names "megabits" and
    not "megabytes", which it knows all the same."""
    d = target.descriptor
    texts: list[str] = []
    props: Mapping[str, Any] = (d.input_schema or {}).get("properties") or {}
    for name, prop in props.items():
        if not isinstance(prop, Mapping):
            continue
        texts += [str(option) for option in prop.get("enum") or []]
        kind = field_kind(name, prop)
        if kind == "timezone":
            texts += time_zone_places()
        elif kind in ("glob", "path"):
            texts += file_words()
    vocabulary = getattr(target, "vocabulary", None)
    if callable(vocabulary):
        texts += [d.description, *d.examples, *d.domains, *map(str, vocabulary())]
    return texts


class ArgumentReader:
    """One corrector per target, built the first time a step goes there."""

    def __init__(self, targets: Mapping[str, Target], english: frozenset[str]) -> None:
        """``english``: a general English vocabulary; its words are never corrected, and a
        slip as near one of them as to the target's word stays as written."""
        self.targets = targets
        self.english = english
        self._spellers: dict[str, Speller | None] = {}

    def read(self, target: str, query: str) -> tuple[str, dict[str, str]]:
        """``query`` as ``target`` reads it, and the corrections made (misspelt → read as)."""
        speller = self._speller(target)
        if speller is None:
            return query, {}
        return speller.read(query)

    def _speller(self, name: str) -> Speller | None:
        if name not in self._spellers:
            target = self.targets.get(name)
            words = own_words(target) if target is not None else []
            if target is None or target.descriptor.kind is TargetKind.EXPERT or not words:
                self._spellers[name] = None
            else:
                self._spellers[name] = Speller(words, self.english.__contains__, self.english)
        return self._spellers[name]
