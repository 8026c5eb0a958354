"""What a unit measures, so that a follow-up asking for another kind of measure is declined.

"30 celsius to fahrenheit", then "and in feet?": feet measure a length, and no conversion
turns a temperature into one. Sent on, the units tool fails and the fallback answers with a
passage about kelvin; a careful reader says the two do not convert. Which unit measures what
is data (``text/unit_dimensions.json``); a quantity given "per" something (a speed written
"60 miles per hour") is never judged, its unit is not the one word.
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import alternation, cue_table

__all__ = ["dimension_of", "mismatched"]

_TABLE = {
    unit: dimension
    for dimension, units in cue_table("unit_dimensions.json").items()
    if not dimension.startswith("_")
    for unit in units
}
_QUANTITY = re.compile(rf"\d\s?((?:{alternation(_TABLE)}))(?![\w/])", re.I)
_PER = re.compile(r"\bper\b|\d\s?[a-z]+/[a-z]+|\ban?\s+(?:hour|second|minute)\b", re.I)


def dimension_of(unit: str) -> str | None:
    """What ``unit`` measures ("feet": length), ``None`` for a unit the table leaves out."""
    return _TABLE.get(unit.strip().lower())


def mismatched(quantity: str, unit: str, said: str = "") -> tuple[str, str] | None:
    """The two measures when ``quantity`` ("30 celsius") cannot be given in ``unit``
    ("feet"): (temperature, length); ``None`` when they agree or either is unknown, or when
    the request it came from (``said``) gives a rate ("per hour")."""
    if _PER.search(quantity) or _PER.search(said):
        return None
    found = _QUANTITY.search(quantity)
    have = dimension_of(found.group(1)) if found is not None else None
    want = dimension_of(unit)
    if have is None or want is None or have == want:
        return None
    return have, want
