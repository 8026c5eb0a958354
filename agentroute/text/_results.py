"""The value an earlier step's result gives a later step that refers to it.

"How many km are 5 miles? Then multiply that by 2.": the second step needs the number the
first found, not its whole reply ("5 mi = 8.04672 km [units.convert]"). A result's principal
value is its final number with its unit (from a tool's structured result when there is one,
else from the text: after the last "=" or "≈", else the first number); a target that takes
text (an expert, a translator, a knowledge base) gets the whole text instead. Whether the unit
goes with the number depends on the clause: arithmetic takes the bare number ("multiply 8.04672
by 2"), a conversion the quantity ("what is 100 °C in Fahrenheit") unless it names the source
unit itself ("convert 2496 in grams to pounds"). A clause that adds up or averages
("add up the amounts in it") gets a table's or list's numbers instead, one per row.
A knowledge base that found the entity a question asks for ("Which river does Cairo lie on?":
the Nile) says so in its structured result (``data["answer"]``): a later step ("How long is
that river?") gets that entity, whatever it takes, not the whole quoted passage.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from agentroute.text._answers import answer_in, asks_how_much

__all__ = [
    "PrincipalValue",
    "carried_unit",
    "list_numbers",
    "principal_value",
    "time_of_day",
    "value_for",
]

_TABLES = json.loads(resources.files("agentroute.text").joinpath("clauses.json").read_text("utf-8"))
_OPERATED = json.loads(
    resources.files("agentroute.text").joinpath("references.json").read_text("utf-8")
)["operation_participles"]
_ARITHMETIC = frozenset(_TABLES["arithmetic_words"]) | frozenset(_OPERATED)
"""Words of arithmetic, "doubled" and "rounded" too: the number goes in bare."""
_AGGREGATE = frozenset(_TABLES["aggregate_words"])
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CELL = re.compile(r"(?<![\w.])[-−]?(?:\d{1,3}(?:,\d{3})+(?![\d.])|\d+)(?:\.\d+)?(?![\d,]\d)")
"""A number in a table row: "3,1.5" is two cells, "1,200" one number."""
_UNIT = re.compile(r"[ \t]*(°\s?[A-Za-z]|[A-Za-z][A-Za-z/^²³0-9]*)")
_PROVENANCE = re.compile(r"\s*\[[^\]]*\]\s*$")
_UNIT_KEYS = ("to_unit", "unit", "units")
_SOURCE_UNIT = re.compile(
    r"^\s*(?:(?:in|from)\s+)?(?!(?:back|over|straight|directly|is|are|was|were|be)\b)"
    r"[^\W\d]+\s+(?:to|into|in)\b",
    re.IGNORECASE,
)
"""The clause names the unit its number is in ("convert {{s1}} grams to pounds"); "back to kg"
names none; "what {{s1}} is in ounces" names the unit it goes to, not one it is in."""
_WORD = re.compile(r"[\w%+*/^-]+")
_REFERENCE = re.compile(r"\{\{\s*[A-Za-z_][\w-]*\s*\}\}")


@dataclass(frozen=True)
class PrincipalValue:
    number: str
    unit: str = ""


def principal_value(result: str, data: Any = None) -> PrincipalValue | None:
    """The final number (and unit) a step found, or ``None`` when it found no number."""
    if isinstance(data, Mapping):
        found = data.get("result", data.get("value"))
        if isinstance(found, (int, float)) and not isinstance(found, bool):
            found = f"{found:g}" if isinstance(found, float) else str(found)
        if isinstance(found, str) and _NUMBER.fullmatch(found.strip()):
            unit = next((str(data[k]) for k in _UNIT_KEYS if isinstance(data.get(k), str)), "")
            return PrincipalValue(found.strip().replace(",", ""), unit)
    text = _PROVENANCE.sub("", result.strip())
    last_line = text.splitlines()[-1] if text else ""
    for sign in ("=", "≈"):
        if sign in last_line:
            found_value = _first(last_line.rsplit(sign, 1)[1])
            if found_value is not None:
                return found_value
    return _first(text)


def _first(text: str) -> PrincipalValue | None:
    m = _NUMBER.search(text)
    if m is None:
        return None
    unit = _UNIT.match(text, m.end())
    word = unit.group(1).strip() if unit else ""
    if word.lower() in _ARITHMETIC or word.lower() in {"and", "or", "of", "is", "in", "to"}:
        word = ""
    return PrincipalValue(m.group(0).replace(",", "").replace("−", "-"), word)


def list_numbers(text: str) -> list[str]:
    """The numbers of a table or list result, one per row (its last), or ``[]`` when the text
    is not one: fewer than two rows, a row past the header without a number ("isFile: true"),
    or a line that states a result with "=" or "≈"."""
    lines = [line for line in text.splitlines() if line.strip()]
    if any(sign in line for line in lines for sign in ("=", "≈")):
        return []
    csv = all("," in line and ", " not in line for line in lines)
    found = [
        [c.strip() for c in line.split(",") if _CELL.fullmatch(c.strip())]
        if csv
        else _CELL.findall(line)
        for line in lines
    ]
    if found and not found[0]:  # a header row
        found = found[1:]
    if len(found) < 2 or not all(found):
        return []
    return [row[-1].replace(",", "").replace("−", "-") for row in found]


def value_for(
    query: str,
    at: int,
    result: str,
    data: Any,
    *,
    takes_text: bool,
    unit: str = "",
    asked: str = "",
) -> str:
    """What replaces the reference at ``at`` in ``query``: the whole ``result`` for a target
    that takes text or a result without a number, else its number, with its unit when the
    clause converts rather than calculates. ``unit`` is the unit the number is in when the
    result does not say (a sum of two lengths in km is in km: `carried_unit`). ``asked`` is
    the earlier step's question: of a sentence that states several quantities, the one it
    asked for ("the speed of sound": 343 metres per second, not 20 degrees Celsius)."""
    text = _PROVENANCE.sub("", result.strip()) or result
    answer = data.get("answer") if isinstance(data, Mapping) else None
    numeric = isinstance(data, Mapping) and principal_value("", data) is not None
    sentence = data.get("sentence") if isinstance(data, Mapping) else None
    if not takes_text and not numeric and isinstance(sentence, str):
        # "Which river ...? How long is it in miles?": the quantity this clause asks of the
        # sentence that answered the earlier one, not the entity that one asked for.
        clause = _REFERENCE.sub(" ", query)
        own = answer_in(clause, sentence) if asks_how_much(clause) else None
        if (own is None or not own.number) and asked:
            own = answer_in(asked, sentence)  # what the earlier question asked for
        if own is not None and own.number:
            data, answer = {"value": own.number, "unit": own.unit}, None
            numeric = True  # the one quantity asked for, not every number of the passage
        elif not (isinstance(answer, str) and answer.strip()):
            # "Look up standard gravity and multiply it by 75": nothing asked a quantity, so
            # the answering sentence's first one (not the "[1]" of the quoted passage list)
            stated = _first(sentence)
            if stated is not None:
                data, numeric = {"value": stated.number, "unit": stated.unit}, True
    if isinstance(answer, str) and answer.strip() and (takes_text or not numeric):
        return answer.strip()  # a knowledge base's answering entity, not its quoted passage
    if takes_text:
        return text
    words = {w.lower() for w in _WORD.findall(_REFERENCE.sub(" ", query))}
    aggregates = (
        words & _AGGREGATE and not numeric and not _NUMBER.search(_REFERENCE.sub(" ", query))
    )
    if aggregates:  # "add up the amounts in it" (not "add 10 to it"): a table's numbers
        numbers = list_numbers(text)
        if len(numbers) > 1:
            return ", ".join(numbers[:-1]) + " and " + numbers[-1]
    clock = time_of_day(text, data)
    if clock is not None and not words & _ARITHMETIC:
        return clock  # "convert {{s1}} to Berlin time": that moment where it was told
    value = principal_value(result, data)
    if value is None:
        return text
    if not value.unit and unit:
        value = PrincipalValue(value.number, unit)
    if not value.unit or words & _ARITHMETIC or _SOURCE_UNIT.match(query[at:]):
        return value.number
    return f"{value.number} {value.unit}"


_ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ](\d{2}:\d{2})")
_ZONE = re.compile(r"\btimezone\W{1,4}([A-Za-z]+(?:/[A-Za-z_+-]+)+|UTC)\b")


def time_of_day(text: str, data: Any = None) -> str | None:
    """A time server's answer as the time of day and its zone ("00:07 in America/New_York"),
    what a later part converts, not the year its date begins with; ``None`` for any other."""
    said = json.dumps(data) if isinstance(data, Mapping) else text
    moment, zone = _ISO_TIME.search(said), _ZONE.search(said)
    if moment is None or zone is None:
        return None
    return f"{moment.group(1)} in {zone.group(1)}"


def carried_unit(own: PrincipalValue | None, inputs: list[str], computed: bool) -> str:
    """The unit of a step's number: its own, else, for a step that computes on earlier
    numbers that share one unit, that unit ("60 kg in pounds, add 10 to that, then convert
    the total back to kg": the total is in pounds). Inputs in different units give none."""
    if own is not None and own.unit:
        return own.unit
    units = {u for u in inputs if u}
    if not computed or len(units) != 1 or "" in inputs:
        return ""
    return units.pop()
