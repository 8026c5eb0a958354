"""A question that needs the answer of another first: "what package provides the command
that converts a file to hex?".

Why: no one passage answers it — the man pages say which command converts to hex, the
package records which package ships that command. The phrase "the <kind> that/which ..."
(a kind noun of ``name_kinds.txt`` and a relative clause) is the inner question ("which
command converts a file to hex?"); its answer, a name, takes the phrase's place in the outer
one ("what package provides xxd?"). Read from the sentence's structure, not its wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentroute.text._shapes import KIND_NOUNS

__all__ = ["Nested", "nested_question"]

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
