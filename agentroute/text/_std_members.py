"""A member another language's standard type lacks: "Array.prototype.scramble", "Vec::retain_twice".

Why: Python's own types and modules are asked of themselves (``_unknown.missing_attribute``),
but no JavaScript or Rust runtime is here to ask, so "what does JavaScript's
Array.prototype.scramble do" went to the coding expert, which would explain a method that does
not exist. The standard types' members are data (``software/std_members.json``), judged only
when the clause says the language (its name, or "Array.prototype.x", "Vec::x"): Java's Math
has members JavaScript's lacks. A type the table lacks is never judged.
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import cue_table

__all__ = ["missing_member"]

_TABLE = cue_table("software/std_members.json")
_CUES: dict[str, list[str]] = _TABLE["cues"]
_TYPES: dict[str, dict[str, frozenset[str]]] = {
    language: {name: frozenset(members) for name, members in types.items()}
    for language, types in _TABLE.items()
    if not language.startswith("_") and language != "cues"
}
_NAMED = re.compile(
    r"(?<![\w.:])([A-Z][A-Za-z]*)(?:\.prototype)?(?:\.|::)([A-Za-z_]\w*)(?![\w]|\.\w|::)"
)
"""A member written on a type as code: "Array.prototype.flatMap", "JSON.parse", "Vec::retain"."""


def _said(clause: str, language: str) -> bool:
    low = clause.lower()
    return any(
        (c in low) if not c.isalnum() else re.search(rf"(?<![\w.]){re.escape(c)}\b", low)
        for c in _CUES[language]
    )


def missing_member(clause: str) -> str | None:
    """The ``Type.member`` or ``Type::member`` ``clause`` names that the standard type of the
    language it says lacks, as written; ``None`` when each it names exists or is not judged."""
    languages = [language for language in _TYPES if _said(clause, language)]
    for m in _NAMED.finditer(clause):
        kinds = [_TYPES[lang][m.group(1)] for lang in languages if m.group(1) in _TYPES[lang]]
        if kinds and all(m.group(2) not in members for members in kinds):
            return m.group(0)
    return None
