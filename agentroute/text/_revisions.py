"""Git revisions as people name them: ``HEAD~2``, a commit hash, "the last commit",
"the previous commit", "3 commits ago", "the feature-x branch".

A revision argument read with the generic "token after the word commit" rule takes whatever
follows ("the HEAD commit contains" → ``contains``); this reads only what names a revision.
The relative words ("last", "previous") are data in ``lexicon.json``.
"""

from __future__ import annotations

import re

from agentroute.text._lexicon import REVISION_WORDS, ROOT_WORDS, STOP_WORDS
from agentroute.text._values import Text

__all__ = ["CURRENT", "find_revision", "written_revision"]

CURRENT = "HEAD"
"""The revision a required revision argument takes when the text names none."""

_REF = re.compile(r"(?<![\w/-])(HEAD(?:[~^]\d*)*|[0-9a-f]{7,40})(?![\w/-])")
_RELATIVE = "|".join(sorted(map(re.escape, REVISION_WORDS), key=len, reverse=True))
_NAMED = re.compile(rf"\b(?:the\s+)?({_RELATIVE})\s+(?:commit|revision|change|changeset)\b", re.I)
_AGO = re.compile(
    r"\b(\d+)\s+commits?\s+(?:ago|back|before\s+(?:head|the\s+last(?:\s+one)?))\b", re.I
)
_BEFORE = re.compile(
    r"\b(?:commit|revision|one)\s+before\s+(?:the\s+)?(?:last|latest|head|current)(?:\s+one)?\b",
    re.I,
)
_BRANCH = re.compile(
    r"\b(?:branch|tag)\s+(?:called\s+|named\s+)?[\"'`]?([\w./-]+)|\b([\w./-]+)\s+(?:branch|tag)\b",
    re.I,
)


_FILE_AT = re.compile(
    rf"(?<![\w.])([\w./-]+\.[A-Za-z][A-Za-z0-9]{{0,7}})\s+(?:at|in|as\s+of)\s+{_REF.pattern}"
)
"""A file as it was at a revision ("config.toml at HEAD~1"): git's ``REV:path``."""


def written_revision(text: Text) -> str | None:
    """A revision written in git's own notation ("HEAD~2", "HEAD^"), taking its span: the
    value a required name the text gives no other way takes ("diff of HEAD~2"), and no
    number for another argument (its "2")."""
    for m in text.find(_REF, 1):
        if m.group(1).startswith("HEAD"):
            text.take(m.start(1), m.end(1))
            return m.group(1)
    return None


def find_revision(text: Text) -> str | None:
    """The revision the text names (taking its span), or ``None``."""
    for m in text.find(_FILE_AT):
        text.take(m.start(), m.end())
        return f"{m.group(2)}:{m.group(1)}"
    for m in text.find(_REF, 1):
        if m.group(1).startswith("HEAD") or re.search(r"\d", m.group(1)):
            text.take(m.start(1), m.end(1))
            return m.group(1)
    for m in text.find(_AGO):
        text.take(m.start(), m.end())
        return f"HEAD~{int(m.group(1))}"
    for m in text.find(_BEFORE):
        text.take(m.start(), m.end())
        return "HEAD~1"
    for m in text.find(_NAMED):
        text.take(m.start(), m.end())
        return REVISION_WORDS[re.sub(r"\s+", " ", m.group(1).lower())]
    for m in text.find(_BRANCH):
        group = 1 if m.group(1) else 2
        name = m.group(group)
        if name.lower() in STOP_WORDS or name.lower() in ROOT_WORDS:
            continue
        text.take(m.start(group), m.end(group))
        return name
    return None
