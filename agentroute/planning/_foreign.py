"""A request or a short follow-up in French, German, Spanish or Italian read in English words
where it opens the commonest ways (``foreign_frames.json``, beside this module).

"Quelle heure est-il à Tokyo ?" read by an English embedder is nearest nothing, so the
catch-all answered it; its follow-up "et à Londres ?" then went to the facts base. Read as
"what time is it in Tokyo", the time server answers, and "et à Londres ?" ("and in London?")
asks it again for London. Only a known opening is read so, with the places and languages of
the rest; anything else stays as written for the general expert.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from agentroute.text._lexicon import alternation

__all__ = ["in_english"]

_TABLE: dict[str, Any] = json.loads(
    resources.files("agentroute.planning").joinpath("foreign_frames.json").read_text("utf-8")
)
"""Beside planning, not in text: text's speller takes every word of text's tables for English,
and "tokio" would no longer be read as "tokyo"."""
_FRAME = re.compile(rf"^\W*({alternation(_TABLE['frames'], any_space=True)})(?=\W|$)", re.I)
_LEAD = re.compile(rf"^\W*({alternation(_TABLE['leads'])})(?=\s)", re.I)
_WORDS = re.compile(rf"(?<!\w)({alternation(_TABLE['words'])})(?!\w)", re.I)
_SHORT = 5
"""Up to how many words a text opened by a lead ("et", "und", "y") is read as a follow-up."""
_SPACED_MARK = re.compile(r"\s+([?!.])")


def _names_only(rest: str) -> bool:
    """Whether ``rest`` is only names: the table's, or capitalised ("Alemania?", "Sydney")."""
    words = re.findall(r"[^\W\d_][\w'-]*", _WORDS.sub("X", rest))
    return bool(words) and all(w[0].isupper() for w in words)


def _key(said: str) -> str:
    return " ".join(said.lower().split())


def in_english(text: str) -> str:
    """``text`` with a known opening and the places and languages after it in English
    ("¿cuál es la capital de Alemania?": "what is the capital of Germany?"); ``text`` itself
    when it opens no known way."""
    frame = _FRAME.match(text)
    lead = _LEAD.match(text) if frame is None and len(text.split()) <= _SHORT else None
    if frame is None and lead is None:
        return text
    if (
        lead is not None
        and " " not in lead.group(1).strip()
        and not _names_only(text[lead.end() :])
    ):
        return text  # "und tee?": a word of that language, not a name to ask again of
    found = frame or lead
    assert found is not None
    table = _TABLE["frames"] if frame is not None else _TABLE["leads"]
    head = table[_key(found.group(1))]
    rest = _WORDS.sub(lambda m: _TABLE["words"][m.group(1).lower()], text[found.end() :])
    said = f"{head}{'' if head.endswith(' ') else ' '}{rest.strip(' ¿¡')}"
    return _SPACED_MARK.sub(r"\1", " ".join(said.split()))
