"""Repairing a model's plan: keep what is sound, hand every unsound step back.

A small model's plan is often mostly right: one step names ``git_commit`` for "show the log",
one names ``calc.evaluate`` for ``calc``, one cites ``{{s3}}`` in a two-step plan. Rejecting the
whole plan throws away the sound steps; dispatching it runs a write for a read. So each step is
checked on its own: a near-miss target name maps to the real one only when exactly one fits;
a step with an unknown target, a writing target for a query that asks to change nothing, or a
reference to a step that does not exist is dropped, and its query is handed back for the
fallback (semantic) planner to plan. Steps that depended on a dropped step depend on its
replacement. What was changed is said in plain words, for the trace.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from agentroute.text import STOP_WORDS, asks_to_write
from agentroute.types import TargetDescriptor, references, replace_references

__all__ = ["Salvage", "StepLike", "grounded", "match_target", "salvage"]

_WORDY = re.compile(r"[^\W_]")
_TOKEN = re.compile(r"[^\W_]+")
_STEM = 4
"""Letters two words must share at their start to count as the same (plurals, typos' tails)."""
_NAME_CUTOFF = 0.85
"""How alike (difflib ratio) a misspelt target name must be to the one real name it maps to."""


class StepLike(Protocol):
    """A step as the model wrote it (``PlanSpec``'s steps)."""

    id: str
    query: str
    target: str
    depends_on: list[str]


@dataclass
class Kept:
    """A step that survives: its model id, target (maybe mapped), query and dependencies."""

    id: str
    query: str
    target: str
    depends_on: list[str]


@dataclass
class Salvage:
    """The sound steps, the queries to plan again (model id, query) and what was done."""

    kept: list[Kept] = field(default_factory=list)
    replan: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.notes)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def match_target(name: str, targets: Mapping[str, TargetDescriptor]) -> str | None:
    """The real target ``name`` means: itself, else the only one equal up to case and
    punctuation, the only one it is the last part of (``git_commit`` → ``git.git_commit``), or
    the only one alike enough; ``None`` when none or several fit (never a guess)."""
    if name in targets:
        return name
    key = _key(name)
    if not key:
        return None
    for same in (
        [t for t in targets if _key(t) == key],
        [t for t in targets if _key(t.rsplit(".", 1)[-1]) == key],
    ):
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            return None
    close = difflib.get_close_matches(name, list(targets), n=2, cutoff=_NAME_CUTOFF)
    if len(close) == 1:
        return close[0]
    return None


def _stems(text: str) -> set[str]:
    """The content words of ``text`` (no stop words: "what is" is in every question), cut to
    their first letters."""
    return {
        w[:_STEM]
        for w in _TOKEN.findall(text.lower())
        if w.isdigit() or (len(w) > 2 and w not in STOP_WORDS)
    }


def grounded(query: str, source: str) -> bool:
    """Whether ``query`` says something of ``source`` (the request and the thread): a step
    copied from the prompt's example ("<part 1 in full words>") or invented shares no word.
    A step that only applies numbers to an earlier step's result ("{{s1}} * 2") is tied to the
    request through it."""
    words = _stems(replace_references(query, lambda ref: " "))
    if words & _stems(source):
        return True
    return bool(references(query)) and all(w.isdigit() for w in words)


def _without(gone: set[str]) -> Callable[[str], str | None]:
    """For ``replace_references``: the references to ``gone`` steps removed, others kept."""
    return lambda ref: "" if ref in gone else None


def salvage(
    steps: list[StepLike],
    targets: Mapping[str, TargetDescriptor],
    done: set[str],
    source: str | None = None,
) -> Salvage:
    """Split the model's steps into the sound ones and the queries to plan again; with
    ``source`` (the request and its thread) a step whose query shares no word with it is
    dropped, not planned again (there is nothing of the request in it to plan)."""
    out = Salvage()
    ids = {s.id for s in steps}
    seen: set[str] = set()
    for step in steps:
        if step.id in seen:
            out.notes.append(f"step {step.id!r} repeated: dropped")
            continue
        seen.add(step.id)
        if not _WORDY.search(step.query):
            out.notes.append(f"step {step.id}: empty query, dropped")
            continue
        if source is not None and not grounded(step.query, source):
            out.notes.append(f"step {step.id}: {step.query!r} is not from the request, dropped")
            continue
        others = (ids - {step.id}) | done  # a step cannot wait for itself
        dangling = {d for d in {*step.depends_on, *references(step.query)} if d not in others}
        query = step.query
        if dangling & set(references(query)):
            query = " ".join(replace_references(query, _without(dangling)).split())
            out.notes.append(
                f"step {step.id}: refers to missing step(s) {sorted(dangling)}, planned again"
            )
            out.replan.append((step.id, query))
            continue
        if dangling:
            out.notes.append(f"step {step.id}: dropped dependency on missing {sorted(dangling)}")
        depends_on = [d for d in step.depends_on if d not in dangling]
        target = match_target(step.target, targets)
        if target is None:
            out.notes.append(f"step {step.id}: unknown target {step.target!r}, planned again")
            out.replan.append((step.id, query))
            continue
        if target != step.target:
            out.notes.append(f"step {step.id}: target {step.target!r} read as {target!r}")
        if targets[target].writes and not asks_to_write(query):
            out.notes.append(
                f"step {step.id}: {target} writes but {query!r} asks to change nothing, "
                "planned again"
            )
            out.replan.append((step.id, query))
            continue
        out.kept.append(Kept(id=step.id, query=query, target=target, depends_on=depends_on))
    return out
