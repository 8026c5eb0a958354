"""Whether the branch or commit a clause names is one the repository tool's repository has.

"show me the log of the release-3 branch", "what's in commit deadbeef1234": a repository
server has one repository (the server-level default of its tools' path argument); asked of
a branch or commit it does not have, the tool shows another one (``git_show`` of HEAD,
``git_log`` of the current branch) or fails, and the answer is of something else. Such a
request names what the server does not hold: declined, as a file the folder lacks is
(`planning._held`). Only a repository on this machine is looked at, with ``git`` itself;
a clause naming no branch or commit is not judged, nor is a writing tool ("start a new
branch bugfix-42": a branch to make is not there yet).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence

from agentroute.planning._acceptance import Choice
from agentroute.planning._candidate import Scored
from agentroute.planning._held import server_root
from agentroute.text._revisions import revisions_named
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["revision_held_only", "revision_not_held"]

_EXISTS = re.compile(
    r"\b(?:is|are)\s+there\b|\bexists?\b|\bdo(?:es)?\s+(?:\w+\s+){0,2}have\b", re.I
)
"""Whether a branch is there is asked: the listing answers "no"."""


def revision_not_held(
    clause: str, descriptor: TargetDescriptor, *, strict: bool = False
) -> str | None:
    """Why the repository tool cannot serve the branch or commit ``clause`` names (``"no
    branch or commit 'x' in /repo"``), or ``None``: it has it, the clause names none, or the
    tool is no reading tool of a repository on this machine."""
    if descriptor.kind is not TargetKind.TOOL or descriptor.writes:
        return None
    root = server_root(descriptor)
    if root is None or not os.path.exists(os.path.join(root, ".git")) or _EXISTS.search(clause):
        return None
    for name in revisions_named(clause, strict=strict):
        if not _has(root, name):
            return f"no branch or commit {name!r} in {root}"
    return None


_SEEN: set[tuple[str, str]] = set()
"""Revisions found: a commit stays (a branch may go, rarely; one made later is looked up)."""


def _has(root: str, name: str) -> bool:
    """Whether the repository at ``root`` resolves ``name`` to a commit (a branch, tag or
    hash); ``True`` when it cannot be asked (no ``git`` here)."""
    if (root, name) in _SEEN:
        return True
    git = shutil.which("git")
    if git is None:
        return True
    done = subprocess.run(
        [
            git,
            "-C",
            root,
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{name}^{{commit}}",
        ],
        capture_output=True,
        check=False,
        timeout=10,
    )
    if done.returncode == 0:
        _SEEN.add((root, name))
    return done.returncode == 0


_HOW = re.compile(r"^\W*(?:how|why|explain|what\s+does\s+\w+\s+mean)\b", re.I)


def revision_held_only(clause: str, choice: Choice, hits: Sequence[Scored]) -> Choice:
    """``choice`` unless it is a tool's, or the catch-all's (no specialist fit: "who wrote
    commit a1b2c3d4" is the repository's to tell, and the general expert would invent
    it; then only a commit or tag counts), and the clause names a branch or commit that the repository of a repository tool
    among ``hits`` (the chosen one first) does not have: then declined with the reason. A
    knowledge base or a specialist expert chosen is kept, and so is a clause asking how
    ("how do I delete the X branch" asks how, not of the repository)."""
    if not choice.candidates:
        return choice
    tool = choice.candidates[0].descriptor.kind is TargetKind.TOOL
    if not tool and (not choice.fallback or _HOW.search(clause)):
        return choice
    for hit in [choice.candidates[0], *hits]:
        # for the catch-all, only a commit or tag named: "the executive branch" is no git's
        absent = revision_not_held(clause, hit.descriptor, strict=not tool)
        if absent is not None:
            return Choice([], f"{absent}: the repository does not have it")
    return choice
