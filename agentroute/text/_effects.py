"""What a tool may do to the world, and whether a request asks to change it.

Both read words only, from the tables in ``effects.json`` (data, not code):

* `tool_effect`: a tool's effect from its name (``git_commit`` → write) or, when its name
  holds no known verb, from the first word of its description ("Records changes..." →
  write). Used only where the tool's server gives no MCP annotations.
* `asks_to_write`: whether a clause of a request asks to change something. A clause led by
  a question word or a reading verb ("show me the last 5 commits", "what changed") reads; one
  led by an imperative writing verb ("commit the staged changes") writes. Verbs count in
  their base form only: in "the last 5 commits", "commits" is a noun. `write_verb` gives
  the verb itself, so a writing request can prefer the tool named by it (`names_verb`).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Literal

from agentroute.text._needs import capability_need

__all__ = [
    "WRITES",
    "Effect",
    "asks_to_write",
    "names_verb",
    "offers_verb",
    "tool_effect",
    "write_verb",
]

Effect = Literal["read", "write", "destructive"]

WRITES: frozenset[str] = frozenset({"write", "destructive"})
"""The effects that change the world."""

_TABLES = json.loads(resources.files("agentroute.text").joinpath("effects.json").read_text("utf-8"))
_DESTRUCTIVE = frozenset(_TABLES["destructive_verbs"])
_WRITE = frozenset(_TABLES["write_verbs"])
_NOUN_MARKERS = frozenset(_TABLES["noun_markers"])
_READ = frozenset(_TABLES["read_verbs"])
_DESCRIBED_WRITE = frozenset(_TABLES["described_writes"])
_DESCRIBED_DESTRUCTIVE = frozenset(_TABLES["described_destructive"])
_LEAD_INS = frozenset(_TABLES["request_lead_ins"])
_READ_LEADS = frozenset(_TABLES["read_leads"])
_TIME_FRAMES = frozenset(_TABLES["time_frames"])
_SUBJECTS = frozenset(_TABLES["subjects"])
_COMPOSING = frozenset(_TABLES["composing_verbs"])
_DESTINATIONS = frozenset(_TABLES["write_destinations"])
_VIEWING = frozenset(_TABLES["viewing_verbs"])
_SYNONYMS: dict[str, list[str]] = _TABLES["verb_synonyms"]
_FILE_WORDS = frozenset({"file", "files", "folder", "directory", "document", "doc"})
_OBJECT_ENDS = frozenset({"that", "which", "who", "for", "about", "to", "into", "onto", "in",
                          "on", "with", "using", "so", "and", "then", "explaining"})  # fmt: skip
_PATHLIKE = re.compile(r"[\w-]+\.[a-z][a-z0-9]{0,5}\b|/")

_QUOTED = re.compile(r"\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)|`[^`]*`|“[^”]*”")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _name_words(name: str) -> list[str]:
    """``git_create_branch`` / ``createBranch`` / ``get-sum`` → their words, lower case."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name.rpartition(".")[2])
    return re.findall(r"[a-z]+", spaced.lower())


def tool_effect(name: str, description: str = "") -> Effect | None:
    """The effect a tool's name and description suggest; ``None`` when they say nothing. A
    name that starts with a verb says it (``read_record`` reads a record; ``record_note``
    writes one); otherwise any of its words."""
    named = _name_words(name)
    if named:
        for verbs, effect in ((_DESTRUCTIVE, "destructive"), (_WRITE, "write"), (_READ, "read")):
            if named[0] in verbs:
                return effect  # type: ignore[return-value]
    words = set(named)
    if words & _DESTRUCTIVE:
        return "destructive"
    if words & _WRITE:
        return "write"
    if words & _READ:
        return "read"
    first = _WORD.findall(description.lower())[:1]
    if not first:
        return None
    word = first[0]
    if word in _DESTRUCTIVE or word in _DESCRIBED_DESTRUCTIVE:
        return "destructive"
    if word in _WRITE or word in _DESCRIBED_WRITE:
        return "write"
    if word in _READ:
        return "read"
    return None


def write_verb(clause: str) -> str | None:
    """The verb by which ``clause`` asks to change something (``commit`` in "commit the
    staged changes"), or ``None`` when it only asks to read."""
    words = _WORD.findall(_QUOTED.sub(" ", clause.lower()))
    while words and words[0] in _LEAD_INS:
        words.pop(0)
    if not words or words[0] in _READ_LEADS:
        return None
    if len(words) > 1 and words[0] in _TIME_FRAMES and words[1] in _SUBJECTS:
        return None  # "before I commit, what's the status": when, not an act asked for
    verb = next(
        (
            w
            for i, w in enumerate(words)
            if (w in _WRITE or w in _DESTRUCTIVE) and not _a_noun(words, i)
        ),
        None,
    )
    if verb in _VIEWING and verb == words[0] and _opens_a_file(clause.lower(), verb):
        return None  # "open docs/guide.md" reads it; "open a ticket" makes one
    lead = words[0] if words[0] in _COMPOSING else verb if verb in _COMPOSING else None
    if lead is not None and not _writes_somewhere(clause.lower(), words, words.index(lead)):
        return None
    return verb


def _a_noun(words: list[str], at: int) -> bool:
    """Whether ``words[at]`` is a noun by its marker ("the deploy is done", "a new commit"):
    an article or possessive right before it."""
    return at > 0 and words[at - 1] in _NOUN_MARKERS


def _opens_a_file(clause: str, verb: str) -> bool:
    """Whether a verb that both shows and creates ("open") has an existing file or folder as
    its object: a path, or "the file" / "the docs folder"."""
    after = clause.split(verb, 1)[1].split()
    if not after:
        return False
    if _PATHLIKE.search(after[0]) is not None:
        return True
    thing = after[:4]
    return thing[0] in {"the", "my", "that", "this"} and bool(set(thing) & _FILE_WORDS)


def _writes_somewhere(clause: str, words: list[str], at: int) -> bool:
    """Whether a composing verb ("write", "draft") puts its text somewhere: "write a file",
    "write 'hi' to notes.txt". "Write a poem", "write a better commit message for it" and
    "write a one-liner that counts .py files" only compose text: an expert's answer."""
    rest = words[at + 1 :]
    thing = []
    for w in rest:
        if w in _OBJECT_ENDS:
            break
        thing.append(w)
    if set(thing) & _DESTINATIONS:
        return True
    unquoted = _QUOTED.sub(" ", clause)
    for where in re.finditer(r"\b(?:to|into|onto)((?:\s+\S+){1,3})", unquoted):
        near = where.group(1).split()
        if set(near) & _DESTINATIONS or _PATHLIKE.search(near[0]) is not None:
            return True
    return False


def asks_to_write(clause: str) -> bool:
    """Whether ``clause`` asks to change something (a plan may then use a writing tool): by
    a write verb, or by an act said in other words ("let #ops know that …")."""
    if write_verb(clause) is not None:
        return True
    need = capability_need(clause)
    return need is not None and need.kind == "action"


def names_verb(tool: str, verb: str) -> bool:
    """Whether a tool's name holds ``verb`` (``git.git_commit`` holds ``commit``)."""
    return verb in _name_words(tool)


def offers_verb(name: str, said: str, verb: str) -> bool:
    """Whether a writing tool's own words (its ``name`` and ``said``: description and
    examples) name the act ``verb`` asks for, in any of its forms or by a synonym of
    ``effects.json``: ``git_create_branch`` makes a branch, "Records changes to the
    repository" does not push them, "Make line-based edits" does not delete a file."""
    words = set(_name_words(name)) | set(_WORD.findall(said.lower()))
    for wanted in (verb, *_SYNONYMS.get(verb, ())):
        stem = wanted[:-1] if wanted.endswith("e") and len(wanted) > 3 else wanted
        if any(w == wanted or (len(stem) >= 3 and w.startswith(stem) and _inflects(w, stem))
               for w in words):  # fmt: skip
            return True
    return False


def _inflects(word: str, stem: str) -> bool:
    """``word`` is ``stem`` with an inflection ("creates", "staging", "edits", "moved")."""
    return word[len(stem) :] in {"", "e", "s", "es", "ed", "d", "ing", "ion", "ions", "ting", "ted"}
