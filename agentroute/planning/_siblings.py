"""Between sibling tools of one server that fit a clause alike, the one its own words name.

A server's close variants ("Shows changes that are staged for commit" / "Shows changes in the
working directory that are not yet staged" / "Shows differences between branches or commits")
score within a few hundredths of each other for "show me the uncommitted changes", and
similarity leans towards the one that shares a word's topic ("commit") even when the clause
denies it ("uncommitted"). What each tool says of itself settles it:

* a tool whose required argument the clause gives nothing for (the filler could only echo the
  clause back, `planning._fillable`) steps back behind one that takes what it says, and a
  required argument whose value the clause says in so many words ("HEAD~2") counts for it;
* each clause word found in a sibling's name counts twice, in its description once, and
  against it when one of them denies what the other says ("aren't staged" against "staged",
  "uncommitted" against "for commit", "not yet staged" for "aren't staged");
* when the clause says neither a word nor its negation and two siblings differ by just that
  ("staged" / "unstaged"), the one named by the negation is meant: a state reached by an act
  (staging, archiving) is named when it is wanted.

Siblings are a server's tools whose own words share a stem (what they act on).
Only the tools' own names and descriptions are read, so a new server is judged the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import TypeVar

from agentroute.planning._candidate import Scored
from agentroute.planning._fillable import required_said
from agentroute.text import (
    FILE_NAME,
    REVISION_FIELD_NAMES,
    STOP_WORDS,
    names_revision,
    searched_as,
)
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["CLOSE", "FETCHING", "implied", "polar_signs", "siblings_first", "support"]

CLOSE = 0.12
"""Siblings within this similarity of the best of them are told apart by their own words."""
WIDE = 0.2
"""How far below a leader given nothing for its required argument a sibling may score."""

_CUES = json.loads(
    resources.files("agentroute.planning").joinpath("siblings.json").read_text("utf-8")
)
_NEGATORS = frozenset(_CUES["negators"])
_PREFIXES = tuple(_CUES["negating_prefixes"])
FETCHING = frozenset(_CUES["fetching_verbs"])
"""Verbs every tool's description may open with ("Get ...", "Returns ..."): no evidence."""
_IMPLIES: dict[str, list[str]] = _CUES["asking_implies"]
_EXTENSIONS = {ext: word for word, exts in _CUES["extension_implies"].items() for ext in exts}
_WINDOW = 3
"""A negator negates a word at most this many words after it ("not yet staged")."""
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ed", "es", "s")
_MIN = 4

S = TypeVar("S", bound=Scored)


def _own_words(d: TargetDescriptor) -> set[str]:
    """The stems of what a tool says of itself (its name and description): siblings share
    one (``list_directory`` and ``search_files`` both speak of files and directories); a server
    that gathers many providers' tools (``slack_post_message``, ``kubernetes_rollout_restart``)
    holds tools that are no variants of each other."""
    return {stem for stem, _ in polar_signs(f"{_name(d)} {d.description}")}


def _stem(word: str) -> str:
    """ "committed" → "commit", "changes" → "chang", "files" → "file"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN:
            word = word[: -len(suffix)]
            break
    if len(word) > _MIN and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "committ" → "commit"
    return word


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= _MIN and (a.startswith(b) or b.startswith(a)))


def polar_signs(text: str) -> list[tuple[str, bool]]:
    """The content words of ``text`` as ``(stem, negated)``: negated after a negator within
    a few words ("aren't staged", "not yet staged") or by a prefix ("unstaged")."""
    out: list[tuple[str, bool]] = []
    since = _WINDOW + 1
    for token in _TOKEN.findall(text.lower().replace("_", " ").replace("-", " ")):
        if token in _NEGATORS or token.endswith("n't"):
            since = 0
            continue
        since += 1
        if token in STOP_WORDS or len(token) < 3:
            continue
        negated = since <= _WINDOW
        for prefix in _PREFIXES:
            if token.startswith(prefix) and len(token) - len(prefix) >= _MIN:
                token, negated = token[len(prefix) :], not negated
                break
        out.append((_stem(token), negated))
    return out


def _name(descriptor: TargetDescriptor) -> str:
    return descriptor.name.split(".", 1)[-1]


def _own(descriptor: TargetDescriptor) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """A tool's own words: its name's, then its description's and examples'."""
    return (
        polar_signs(_name(descriptor)),
        polar_signs(" ".join([descriptor.description, *descriptor.examples])),
    )


def support(
    clause: str, descriptor: TargetDescriptor, common: frozenset[tuple[str, bool]] = frozenset()
) -> int:
    """How much a tool's own name (twice) and description (once) say what the clause says,
    less what they deny of it; signs in ``common`` (every sibling says them alike: "Shows")
    are no evidence."""
    name, said = _own(descriptor)
    total, seen = 0, set()
    for stem, negated in polar_signs(clause):
        if (stem, negated) in seen or (stem, negated) in common:
            continue
        seen.add((stem, negated))
        for weight, signs in ((2, name), (1, said)):
            if weight == 1 and stem in FETCHING:
                continue  # "Get a detailed listing": every tool hands something back
            found = {n for s, n in signs if _same(s, stem)}
            if found:
                total += weight if negated in found else -weight
                break
    return total


def _unmarked(
    clause: list[tuple[str, bool]], descriptor: TargetDescriptor, others: Sequence[Scored]
) -> bool:
    """Whether the tool's name negates a word a sibling's name says, and the clause says
    that word in neither way ("diff unstaged" beside "diff staged", for "the changes")."""
    mine = [s for s, negated in polar_signs(_name(descriptor)) if negated]
    for stem in mine:
        if any(_same(s, stem) for s, _ in clause):
            continue
        for other in others:
            theirs = polar_signs(_name(other.descriptor))
            if any(_same(s, stem) and not n for s, n in theirs):
                return True
    return False


def implied(clause: str) -> str:
    """``clause`` with the words its way of asking implies ("where is notes.txt": search,
    find; "how big is": size; a ".md" file: text), as tools name what they do."""
    low = f" {' '.join(_TOKEN.findall(clause.lower()))} "
    extra = [w for phrase, words in _IMPLIES.items() if f" {phrase} " in low for w in words]
    extra += [
        _EXTENSIONS[ext]
        for ext in (m.group(1).lower() for m in FILE_NAME.finditer(clause))
        if ext in _EXTENSIONS
    ]
    return f"{clause} {' '.join(dict.fromkeys(extra))}" if extra else clause


def _names_said(clause: str, d: TargetDescriptor) -> bool:
    """Whether a word of the tool's name is one the clause says (or its asking implies)."""
    said = {stem for stem, negated in polar_signs(clause) if not negated}
    return any(_same(s, w) for s, _ in polar_signs(_name(d)) for w in said)


def siblings_first(
    clause: str, fit: Sequence[S], pool: Sequence[S] = (), close: float = CLOSE
) -> list[S]:
    """``fit`` with the sibling of the leading tool that the clause's words name first
    (unchanged when the leader is no tool, has no close sibling or is named as well).
    Siblings come from ``fit`` and, once the leader shows its server fits, from ``pool``
    (retrieval's hits under their own thresholds)."""
    if not fit or fit[0].descriptor.kind is not TargetKind.TOOL:
        return list(fit)
    lead = fit[0].descriptor
    clause = implied(clause)
    named = {h.descriptor.name for h in fit}
    group = [
        h
        for h in [*fit, *(h for h in pool if h.descriptor.name not in named)]
        if h.descriptor.kind is TargetKind.TOOL
        and h.descriptor.server == lead.server
        and h.descriptor.writes == lead.writes  # a read among reads, a write among writes
        and _own_words(h.descriptor) & _own_words(lead)  # variants of one thing
    ]
    if len(group) < 2:
        return list(fit)
    top = max(h.score for h in group)
    leader = required_said(clause, lead)
    # a leader the clause gives nothing to call it with, or whose own words deny what the
    # clause says ("staged" for "what haven't I staged"), leaves its place to a sibling below
    denied = support(clause, lead) < 0
    reach = close if leader is not None and not denied else WIDE
    # "where is notes.txt" (search, find) beside a reader leading on "notes.txt": a sibling
    # whose name the clause says is within reach when the leader's name is not said
    named_ones = (
        [] if _names_said(clause, lead) else [h for h in group if _names_said(clause, h.descriptor)]
    )
    near = [
        h
        for h in group
        if top - h.score <= reach or (h in named_ones and top - h.score <= WIDE + close)
    ]
    if len(near) < 2:
        return list(fit)
    values = {id(h): required_said(clause, h.descriptor) for h in near}
    near = [h for h in near if values[id(h)] is not None] or near
    signs = polar_signs(clause)
    common = frozenset(
        (stem, negated)
        for stem, negated in signs
        if all(
            any(_same(s, stem) and n == negated for part in _own(h.descriptor) for s, n in part)
            for h in near
        )
    )

    # "which files changed in the last commit": what one named commit changed
    one_commit = names_revision(clause) and any(
        stem in _CHANGE_STEMS for stem, negated in signs if not negated
    )

    def rank(h: S) -> float:
        bonus = 0.5 if _unmarked(signs, h.descriptor, near) else 0.0
        # "what the previous commit changed": one commit named, a tool that takes the
        # revision shows it (not a diff of the working tree that also speaks of changes)
        bonus += 1.5 if one_commit and _takes_revision(h.descriptor) else 0.0
        return support(clause, h.descriptor, common) + (values[id(h)] or 0) + bonus

    ranks = {id(h): rank(h) for h in near}
    best = max(ranks.values())
    if id(fit[0]) in ranks and ranks[id(fit[0])] == best:
        return list(fit)
    chosen = max(near, key=lambda h: (ranks[id(h)], h.score))
    if _job_names(clause, lead) and not _job_names(clause, chosen.descriptor):
        return list(fit)  # "who last changed the repository": the commit log leads and stays
    return [chosen, *(h for h in fit if h is not chosen)]


_CHANGE_STEMS = frozenset(_CUES["change_stems"])
"""What a commit changed, in the stems `polar_signs` gives ("changed", "files", "diff")."""


def _takes_revision(d: TargetDescriptor) -> bool:
    """Whether the tool requires a revision (``revision``, ``ref``, ``sha``: a commit)."""
    required = (d.input_schema or {}).get("required") or []
    return any(name.lower() in REVISION_FIELD_NAMES for name in required)


def _job_names(clause: str, d: TargetDescriptor) -> bool:
    """Whether the words the clause's way of asking is searched by (`searched_as`: "who last
    changed" for a commit log) name the tool: a leader they name keeps its place against a
    sibling only the clause's own words ("changed": "Shows changes ...") bring forward. They
    never bring a sibling forward themselves."""
    job = searched_as(clause)[len(clause) :]
    return bool(job.strip()) and _names_said(job, d)
