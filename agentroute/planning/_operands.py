"""Another operation on the numbers of the previous calculation.

After "Add 48 and 17" people write "now subtract them instead", "and their product?" or
"what about the difference?": "them" are the two numbers the calculation was given (it gave
one result, so two things can only be its operands), and the new operation joins them. Read as
the usual reference to the result ("subtract 65"), nothing is left to compute. Words are data
(``operand_operations`` in ``agentroute/text/followup.json``).
"""

from __future__ import annotations

import re

from agentroute.planning._operation import NUMBER
from agentroute.text._lexicon import alternation, cue_table
from agentroute.types import PriorStep, TargetKind

__all__ = ["on_operands"]

_CUES = cue_table("followup.json")
_OPERATIONS: dict[str, str] = _CUES["operand_operations"]
_OPERATION = re.compile(rf"\b({alternation(_OPERATIONS)})\b", re.I)
_THEM = re.compile(
    r"\b(?:them|those|these|both|their|the\s+two|the\s+numbers|those\s+numbers)\b", re.I
)
_THE_NOUN = re.compile(rf"\bthe\s+({alternation(_OPERATIONS)})\b(?!\s+of\b)", re.I)
""""what about the product?": the operation named as its result, of nothing else."""
_EQUALS = re.compile(r"[=≈]")


def on_operands(text: str, own: list[PriorStep]) -> str | None:
    """The calculation ``text`` asks of the numbers the last turn's one calculation was given
    ("subtract them instead" after "Add 48 and 17": "48 - 17"), else ``None``."""
    if len(own) != 1 or own[0].kind is not TargetKind.TOOL or NUMBER.search(text):
        return None
    step = own[0]
    numbers = [n.group(0) for n in NUMBER.finditer(step.query)]
    if len(numbers) < 2 or not _EQUALS.search(step.result):  # not a calculation of numbers
        return None
    said = _OPERATION.search(text)
    if said is None or not (_THEM.search(text) or _THE_NOUN.search(text)):
        return None
    operator = _OPERATIONS[said.group(1).lower()]
    if operator == "average":
        return f"the average of {', '.join(numbers[:-1])} and {numbers[-1]}"
    if operator in "-/" and len(numbers) != 2:  # which one is taken from which is not said
        return None
    return f" {operator} ".join(numbers)
