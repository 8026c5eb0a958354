"""Git revisions as people name them: ``HEAD~2``, a commit hash, "the last commit",
"the previous commit", "3 commits ago", "the feature-x branch".

A revision argument read with the generic "token after the word commit" rule takes whatever
follows ("the HEAD commit contains" → ``contains``); this reads only what names a revision.
The relative words ("last", "previous") are data in ``lexicon.json``. ``revisions_named``
reads the names a clause gives to look up in a repository (a branch, tag or commit it may
lack: `planning._revision_held`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentroute.text._lexicon import REVISION_WORDS, ROOT_WORDS, STOP_WORDS, cue_table
from agentroute.text._values import Text

__all__ = ["CURRENT", "find_revision", "names_revision", "revisions_named", "written_revision"]

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


_SINCE = re.compile(r"\b(?:since|after)\s+(?:the\s+|my\s+)?(?:\w+\s+)?commit\b", re.I)


def names_revision(clause: str) -> bool:
    """Whether ``clause`` names one commit ("the previous commit", "HEAD~2", "3 commits
    ago", a hash): a tool that takes a revision is asked about it, not the working tree."""
    # "what did I change since the last commit": a commit to count from is not the one asked
    text = Text(_SINCE.sub(" ", clause))
    return any(
        next(text.find(pattern), None) is not None for pattern in (_REF, _AGO, _BEFORE, _NAMED)
    )


_NOT_NAMES = frozenset(cue_table("unknown_names.json")["branch_non_names"])
"""Words before or after "branch" that say which branch without naming it ("the current
branch", "a new branch", "branch names")."""
_NAME = r"([A-Za-z0-9][\w.-]*(?:/[\w.-]+)*)"
_BRANCHES = (
    re.compile(rf"(?<![\w/-]){_NAME}\s+branch\b", re.I),
    re.compile(rf"\bbranch\s+(?:called\s+|named\s+)?{_NAME}(?![\w/-])", re.I),
)
_TAGS = (
    re.compile(rf"(?<![\w/-]){_NAME}\s+tag\b", re.I),
    re.compile(rf"\btag\s+(?:called\s+|named\s+)?{_NAME}(?![\w/-])", re.I),
)
"""A tag by name: "the v2.3.1 tag", "tag v2.3.1"."""
_COMMIT = re.compile(r"\b(?:commit|revision|sha)\s+([0-9a-f]{6,40})\b", re.I)
_HASH = re.compile(r"(?<![\w/.-])([0-9a-f]{7,40})(?![\w/.-])")


def revisions_named(clause: str, *, strict: bool = False) -> list[str]:
    """The branches, tags and commits ``clause`` names, to look up in a repository: "the X
    branch", "branch X", "commit <hash>" and a bare hash with a digit and a letter
    ("0badc0de"; not "deadbeef" alone). ``strict``: only commits and numbered tags, names only
    a repository has ("the olive branch" may be no git branch at all)."""
    if strict:
        return _commits_and_tags(clause)
    out = _named(clause, _BRANCHES)
    out += _commits_and_tags(clause)
    for m in _HASH.finditer(clause):
        word = m.group(1)
        if re.search(r"\d", word) and re.search(r"[a-f]", word) and word not in out:
            out.append(word)
    return out


def _named(clause: str, patterns: Sequence[re.Pattern[str]]) -> list[str]:
    out: list[str] = []
    for pattern in patterns:
        for m in pattern.finditer(clause):
            name = m.group(1).rstrip(".")
            if name.lower() not in _NOT_NAMES and name.lower() not in STOP_WORDS:
                out.append(name)
    return out


_SPAN = re.compile(
    r"\b(?:between|from|since)\s+(v\d+(?:\.\d+)+)(?:\s+(?:and|to)\s+(v\d+(?:\.\d+)+))?\b"
)
"""Versions a change is asked between ("between v1.0 and v2.0", "since v1.2"): tags."""
_PRODUCT = re.compile(r"(?<=\s)[A-Z][\w.+-]*")
"""A capitalised name besides the versions ("Django", "Python"): whose versions they are."""


def _commits_and_tags(clause: str) -> list[str]:
    """The commits ("commit <hash>") and tags with a number ("the v2.3.1 tag") ``clause``
    names: names only a repository has ("the olive branch" may be no git branch at all).
    Versions a change is asked between count as tags when the clause names no product they
    could be of ("what changed between v1.0 and v2.0"; not "... of Django")."""
    tags = [t for t in _named(clause, _TAGS) if re.search(r"\d", t)]  # "v2.3.1", no "price"
    if not _PRODUCT.search(clause):
        tags += [v for m in _SPAN.finditer(clause) for v in m.groups() if v and v not in tags]
    return [*tags, *(m.group(1) for m in _COMMIT.finditer(clause))]
