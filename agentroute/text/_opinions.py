"""A verdict of taste asked as a fact: "is Python better than Go", "who is the greatest
footballer of all time".

Why: no data holds such a verdict and a general expert would only give its own as if it were
one; the honest answer is to decline, as for the future. The same words asked for a purpose
are advice a general expert gives ("is Python better than Go for data science", "what's the
best way to learn Go"). Cues are data (``opinions.json``).
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import alternation, cue_table

__all__ = ["asks_verdict"]

_TABLE = cue_table("opinions.json")
_QUESTIONS = alternation(_TABLE["verdict_questions"])
_COMPARED = re.compile(
    rf"^(?:{_QUESTIONS})\s+(?:[\w'.+#-]+\s+){{1,4}}?"
    rf"(?P<cue>{alternation(_TABLE['taste_comparatives'], any_space=True)})\s+than\s+"
    r"(?P<rest>.*)$",
    re.I,
)
""""is vim better than emacs", "are cats nicer than dogs": one thing put above another."""
_TOPPED = re.compile(
    rf"^(?:{alternation(_TABLE['choosing_questions'])})\s+(?:is\s+|are\s+|was\s+)?the\s+"
    rf"(?P<cue>{alternation(_TABLE['taste_superlatives'], any_space=True)})\s+"
    r"(?P<rest>.*)$",
    re.I,
)
""""which is the best programming language", "who's the greatest footballer of all time"."""
_ALL_TIME = re.compile(
    rf"^(?:{_QUESTIONS})\s+(?:is\s+|are\s+|was\s+)?the\s+"
    rf"(?P<cue>{alternation(_TABLE['all_time_superlatives'], any_space=True)})\s+"
    rf"(?P<rest>(?:[\w'-]+\s+){{0,3}}?(?:{alternation(_TABLE['all_time'], any_space=True)}))$",
    re.I,
)
""""who is the greatest footballer of all time": a size word made a verdict by "all time"."""
_PICKED = re.compile(
    rf"^(?:{alternation(_TABLE['choosing_questions'])})\s+(?:is\s+|are\s+|was\s+)?(?:the\s+)?"
    rf"(?P<cue>{alternation([*_TABLE['taste_comparatives'], *_TABLE['taste_superlatives']], any_space=True)})"
    r"\s*[,:]\s*(?P<rest>\S.*\s+or\s+\S.*)$",
    re.I,
)
""""which is nicer, French or Italian", "which is better: vim or emacs": one of two picked."""
_PURPOSE = re.compile(rf"\b(?:{alternation(_TABLE['purposes'], any_space=True)})\b", re.I)


def asks_verdict(clause: str) -> str | None:
    """The word of taste ``clause`` asks a verdict by ("better", "greatest"), or ``None``
    when it asks none or asks for a purpose (advice)."""
    text = re.sub(r"[?.!]+\s*$", "", clause.strip())
    if re.search(r"\d", text):
        return None  # "is 7 better than 5 as a base", "the best of 3 tries": a quantity
    m = _ALL_TIME.match(text)
    if m is not None:
        return m.group("cue").lower()
    for pattern in (_COMPARED, _TOPPED, _PICKED):
        m = pattern.match(text)
        if m is not None and _PURPOSE.search(m.group("rest")) is None:
            return m.group("cue").lower()
    return None
