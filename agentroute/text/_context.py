"""Context told before the ask: a sentence about the speaker that asks nothing itself.

People explain themselves before they ask ("I've been working on the repo all morning and lost
track of what I touched. What's the git status?", "We're four friends splitting a bill of 184,
so what's 184 divided by 4?"). Such a sentence is not a part of its own: routed, it lands on
whatever target its words resemble. It is context only when dropping it loses nothing the ask
needs: it speaks of the speaker, neither asks, commands, operates, names a thing to look up nor
refers back, no piece of it after a comma asks, an ask that names what it asks follows it and
does not refer back to it, and every value it states (a number, a file name, a capitalised
name) is said again after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentroute.text._clauses import (
    names_something,
    opens_question,
    operates,
    refers_back,
    sets_scene,
    speaks_of_self,
    starts_request,
)
from agentroute.text._files import FILE_NAME
from agentroute.text._lexicon import STOP_WORDS

__all__ = ["only_context"]

_VALUE = re.compile(rf"{FILE_NAME.pattern}|\d+(?:[.,]\d+)*|(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+\b")
"""What a sentence may state that an ask needs: file names, numbers, names (a capitalised word
not opening the sentence)."""


_PIECE = re.compile(r"[,;:]\s*|\s+-+\s+")
"""Where a sentence may run on into its ask ("I'm planning a trip, what time is it ...")."""
_ASK_WORDS = 2
"""Words beyond function words an ask needs to stand alone ("What's the git status?"; "what
do I install" leans on what was said before it)."""


def only_context(text: str, later: Sequence[str]) -> bool:
    """Whether ``text``, followed by the clauses ``later``, only tells context (see above)."""
    said = text.strip()
    if (
        not later
        or said.endswith("?")
        or not speaks_of_self(said)
        or not sets_scene(said)
        or starts_request(said)
        or opens_question(said)
        or operates(said)
        or names_something(said)
        or refers_back(said)
        or any(starts_request(p) or opens_question(p) for p in _PIECE.split(said)[1:])
    ):
        return False
    if not any(_whole_ask(c) for c in later):
        return False
    if any(refers_back(c) for c in later):
        return False
    rest = " ".join(later).lower()
    values = (m.group(0) for m in _VALUE.finditer(said))
    return all(v.lower() in rest for v in values)


def _whole_ask(clause: str) -> bool:
    """Whether ``clause`` asks, and names enough to be asked without what came before it."""
    asks = clause.rstrip().endswith("?") or starts_request(clause) or opens_question(clause)
    words = [w for w in re.findall(r"[a-z][a-z'’]*", clause.lower()) if w not in STOP_WORDS]
    return asks and len(words) >= _ASK_WORDS
