"""What a clause needs that no text answer can give: live data, the user's own state, an act.

An expert model answers from what it learned and a knowledge base from what it holds; neither
knows tomorrow's weather, the user's inbox, or can book a taxi. Such a clause is served only by
a tool that offers it, else declined, even when a general-purpose expert is configured (it
would invent an answer). The cues are data (``needs.json``): topics that are live by nature
("weather"), state topics with a time marker ("price ... right now"), the user's own state
("my calendar", "unread"), and imperative verbs of acting in the world ("book a taxi").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

__all__ = ["Need", "capability_need"]

_TABLES = json.loads(resources.files("agentroute.text").joinpath("needs.json").read_text("utf-8"))
_EFFECTS = json.loads(
    resources.files("agentroute.text").joinpath("effects.json").read_text("utf-8")
)
_LEAD_INS = frozenset(_EFFECTS["request_lead_ins"])
_VERBS = frozenset(_TABLES["action_verbs"])
_OBJECTS = frozenset(_TABLES["action_objects"])
_VERB_LEADS = frozenset(_TABLES["verb_leads"])
_GERUND_VERBS = frozenset(_TABLES["gerund_verbs"])
_STRONG = frozenset(_TABLES["strong_verbs"])
_HOW = frozenset(w for w in _TABLES["asking_how"] if " " not in w)
_HOW_PHRASES = [w for w in _TABLES["asking_how"] if " " in w]
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|`[^`]*`|“[^”]*”")


@dataclass(frozen=True)
class Need:
    """Why a clause needs a capability: ``kind`` of need and the ``cue`` that says so."""

    kind: Literal["live", "personal", "action"]
    cue: str
    """The word (or phrase) of the table that matched, as written there."""


def _slip(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with one typing slip (a letter added, dropped or changed)."""
    if abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _find(words: list[str], phrases: list[str]) -> str | None:
    """The first phrase of ``phrases`` in ``words`` (whole words; one slip in long words)."""
    text = f" {' '.join(words)} "
    for phrase in phrases:
        if f" {phrase} " in text:
            return phrase
    for phrase in phrases:
        long = " " not in phrase and len(phrase) >= 7
        if long and any(len(w) >= 5 and _slip(w, phrase) for w in words):
            return phrase
    return None


def _words(clause: str) -> list[str]:
    return _WORD.findall(_QUOTED.sub(" ", clause.lower().replace("’", "'")))


def _acts(words: list[str]) -> str | None:
    """The verb of an imperative that acts in the world ("book a taxi", "tell Alexa to play
    the radio"): the first word after lead-ins, or after "to" in a request made through
    someone ("ask", "tell"), followed by an object (a determiner, pronoun, number; "start vacuuming"), or by
    anything for a verb that only acts ("send Tom the report")."""
    starts = [0]
    i = 0
    while i < len(words) and words[i] in _LEAD_INS:
        i += 1
    starts[0] = i
    if i < len(words) and words[i] in _VERB_LEADS and "to" in words[i:]:
        starts.append(words.index("to", i) + 1)
    for s in starts:
        if s + 1 < len(words) and words[s] in _VERBS:
            after = words[s + 1]
            gerund = words[s] in _GERUND_VERBS and after.endswith("ing")
            if after in _OBJECTS or after[0].isdigit() or gerund or words[s] in _STRONG:
                return words[s]
    return None


@lru_cache(maxsize=1024)
def capability_need(clause: str) -> Need | None:
    """The live data, personal state or action ``clause`` needs, or ``None`` when a model's
    knowledge (or any target's data) could answer it."""
    words = _words(clause)
    if not words:
        return None
    topic = _find(words, _TABLES["live_topics"])
    if topic:
        return Need("live", topic)
    if _find(words, _TABLES["live_markers"]):
        state = _find(words, _TABLES["state_topics"])
        if state:
            return Need("live", state)
    personal = _find(words, _TABLES["personal_cues"])
    if personal:
        return Need("personal", personal)
    if words[0] in _HOW or _find(words, _HOW_PHRASES) or " how to " in f" {clause.lower()} ":
        return None  # how to act is knowledge; the act is not asked for
    phrase = _find(words, _TABLES["action_phrases"])
    if phrase:
        return Need("action", phrase)
    verb = _acts(words)
    return Need("action", verb) if verb else None
