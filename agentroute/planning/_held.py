"""Whether the file or folder a clause names is one the reading tool's server holds.

A file server is confined to its allowed directory and a repository server to its repository
(the server-level default of the tool's path argument, `McpServerSpec.argument_defaults`).
"open vacation_photos.zip" when no such file is there, or "read /etc/hosts" outside the
allowed directory, planned a read that could only fail ("ENOENT", "Access denied"); the
request names something the server does not have, which is declined before any call, as a
made-up country is. A bare name of a file that lies in a folder below ("read faq.md" for
``docs/faq.md``) is asked with its folder, as the server resolves a relative path against
its root only. Only a server on this machine is looked at (its default directory exists
here: a stdio server we spawn).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from agentroute.planning._fillable import filled_arguments
from agentroute.text import FILE_NAME, STOP_WORDS, argument_kinds, named_place
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["holds_place", "outside_said", "place_not_held", "placed", "rooted", "server_root"]

_ROOTED = re.compile(r"(?<![\w.])~?/\w")
"""An absolute path written out ("/etc/hosts", "~/Downloads"; not "km/h")."""
_DRIVE = re.compile(r"(?<![\w])[A-Za-z]:\\[^\s'\"]*")
"""A path of another system's drive ("C:\\Users\\me\\notes.txt"): never below a root here."""
_WRITTEN = re.compile(r"(?<![\w.])(?:~/|/[\w.~-])[\w.~/-]*")
"""An absolute or home path written out ("/etc/hosts", "~/.ssh/id_rsa")."""
_OWN = json.loads(resources.files("agentroute.planning").joinpath("own_places.json").read_text())
_OWN_PLACE = re.compile(
    r"\bmy\s+(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in _OWN["places"]) + r")\b",
    re.I,
)
_REPOSITORY = re.compile(r"\b([\w.+-]+)\s+(?:repo|repository|codebase)\b", re.I)
_THIS_REPOSITORY = frozenset(_OWN["this_repository"])
WALK_LIMIT = 5000
"""Entries looked at below a directory for a name (a larger tree is not judged: kept)."""


def place_not_held(
    clause: str, descriptor: TargetDescriptor, fallback: str | None = None
) -> str | None:
    """Why the reading tool cannot serve the place ``clause`` names: ``"'x' is outside
    /root"`` for an absolute path outside the directory the tool's path argument defaults
    to, ``"no 'x' in /root"`` for a name nothing below it has; ``None`` when it holds it,
    names none, or is not a local reading tool. ``fallback``: the server's directory for a
    path argument with no default of its own (``paths``, a list, beside ``path``'s)."""
    for value, root, said in _paths(clause, descriptor, fallback):
        path = os.path.expanduser(value)
        if os.path.isabs(path) and not _below(path, root):  # the server refuses it
            return f"{value!r} is outside {root}"
        if said and not _where(root, path):
            return f"no {Path(path).name!r} in {root}"
    return None


def outside_said(clause: str, root: str) -> str | None:
    """Why a server confined to ``root`` (a folder, a repository) cannot serve what
    ``clause`` names outside it, whatever its call would read: a path of another drive, an
    absolute or home path not below the root ("what's in ~/.ssh/id_rsa"), a place of the
    user's own machine the root has no folder of ("list the files on my desktop"), or
    another repository ("the commits in the react repository"). ``None``: none named."""
    drive = _DRIVE.search(clause)
    if drive is not None:
        return f"{drive.group(0)!r} is outside {root}"
    for m in _WRITTEN.finditer(clause):
        path = os.path.expanduser(m.group(0))
        if not _below(path, root):
            return f"{m.group(0)!r} is outside {root}"
    own = _OWN_PLACE.search(clause)
    if own is not None and not _where(root, own.group(1).split()[-1]):
        return f"your {own.group(1).lower()} is outside {root}"
    if os.path.isdir(os.path.join(root, ".git")):
        for m in _REPOSITORY.finditer(clause):
            name = m.group(1).lower()
            if name not in _THIS_REPOSITORY and name != Path(root).name.lower():
                return f"the {m.group(1)} repository is not {root}"
    return None


def holds_place(clause: str, descriptor: TargetDescriptor) -> bool:
    """Whether a directory on this machine that one of the reading tool's path arguments
    defaults to (a repository's, a file server's root) has a file or folder the clause
    names: "app.py" is the repository's when the file server has none."""
    if descriptor.kind is not TargetKind.TOOL or descriptor.writes:
        return False
    names = _names(clause)
    return any(_where(root, name) for _key, root in _local_roots(descriptor) for name in names)


def placed(clause: str, descriptor: TargetDescriptor) -> str:
    """``clause`` with a file it names by its bare name written with the folder below the
    tool's root it lies in, when exactly one file there has that name ("read faq.md" →
    "read docs/faq.md"); unchanged otherwise. A folder at the root named by its bare name
    alone ("list docs", "ls data") is written as one ("list the docs folder"): the filler
    reads a folder by what calls it a folder."""
    if not _names(clause) and not _ROOTED.search(clause):
        folder = _folder_said(clause, descriptor)
        return folder if folder != clause else _stem_said(clause, descriptor)
    for value, root, said in _paths(clause, descriptor):
        if not said or (os.path.isabs(value) and not _below(value, root)):
            continue
        path = os.path.relpath(value, root) if os.path.isabs(value) else value
        if "/" in path or os.path.exists(os.path.join(root, path)):
            continue  # where the clause puts it, or a folder it names: the server's to say
        found = _where(root, path)
        bare = re.compile(rf"(?<![\w./-]){re.escape(path)}(?![\w-])", re.IGNORECASE)
        if len(found) == 1 and bare.search(clause):
            return bare.sub(found[0].replace(os.sep, "/").replace("\\", "\\\\"), clause, 1)
    return clause


_BARE = re.compile(r"(?<![\w./-])([A-Za-z0-9_][\w.-]*)(?![\w/-])")


def _folder_said(clause: str, descriptor: TargetDescriptor) -> str:
    """``clause`` with a word that is the name of a folder at the root of the tool's
    directory written as that folder, when the call would read no folder from it."""
    if descriptor.kind is not TargetKind.TOOL or descriptor.writes:
        return clause
    for key, root in _local_roots(descriptor):
        args = filled_arguments(clause, descriptor) or {}
        if args.get(key) != root:
            continue  # the call reads a place from the clause already
        for m in _BARE.finditer(clause):
            word = m.group(1)
            if word.lower() not in STOP_WORDS and os.path.isdir(os.path.join(root, word)):
                return f"{clause[: m.start()]}the {word} folder{clause[m.end() :]}"
    return clause


def _stem_said(clause: str, descriptor: TargetDescriptor) -> str:
    """``clause`` with a word that names one file below the tool's directory by its name
    without the extension ("how big is the budget file", "take a look at the faq") written
    as that file's path, when exactly one file there has that stem and the call would read
    no file from the clause otherwise."""
    if descriptor.kind is not TargetKind.TOOL or descriptor.writes:
        return clause
    for key, root in _local_roots(descriptor):
        args = filled_arguments(clause, descriptor) or {}
        if args.get(key) not in (None, root):
            continue  # the call reads a place from the clause already
        stems = _stems(root)
        for m in _BARE.finditer(clause):
            word = m.group(1).lower()
            if word in STOP_WORDS or len(word) < STEM_MIN:
                continue
            found = stems.get(word, [])
            if len(found) == 1:
                path = found[0].replace(os.sep, "/")
                return f"{clause[: m.start()]}{path}{clause[m.end() :]}"
    return clause


STEM_MIN = 3
"""A shorter word ("a", "md") names no file by its stem."""


def _stems(root: str) -> dict[str, list[str]]:
    """The files below ``root`` by their name without its extension, lower case (a tree too
    large to walk gives none)."""
    out: dict[str, list[str]] = {}
    seen = 0
    for folder, _dirs, files in os.walk(root):
        for one in files:
            stem, dot, _ext = one.rpartition(".")
            if dot and stem:
                rel = os.path.relpath(os.path.join(folder, one), root)
                out.setdefault(stem.lower(), []).append(rel)
            seen += 1
            if seen > WALK_LIMIT:
                return {}
    return out


def _local_roots(descriptor: TargetDescriptor) -> Iterator[tuple[str, str]]:
    """The tool's path arguments that default to a directory on this machine, with it."""
    props = (descriptor.input_schema or {}).get("properties") or {}
    for key, prop in props.items():
        if not isinstance(prop, dict) or "path" not in argument_kinds({"properties": {key: prop}}):
            continue
        root = prop.get("default")
        if isinstance(root, str) and os.path.isabs(root) and os.path.isdir(root):
            yield key, root


def rooted(clause: str) -> bool:
    """Whether the clause writes an absolute path ("read /etc/hosts"): a file to read, never
    a topic for a knowledge base."""
    return _ROOTED.search(clause) is not None


def server_root(descriptor: TargetDescriptor) -> str | None:
    """The directory on this machine the tool's path argument defaults to, if any."""
    return next((root for _key, root in _local_roots(descriptor)), None)


def _paths(
    clause: str, descriptor: TargetDescriptor, fallback: str | None = None
) -> Iterator[tuple[str, str, bool]]:
    """The path values the tool's call reads from ``clause`` whose argument defaults to a
    directory on this machine: each with that directory and whether the clause names it by
    name (a value the filler read otherwise, "it" or a stand-in, is not looked for)."""
    if descriptor.kind is not TargetKind.TOOL or descriptor.writes:
        return
    names = _names(clause)
    if not names and not _ROOTED.search(clause):
        return  # names no file, no folder, no absolute path: nothing to look for
    props = (descriptor.input_schema or {}).get("properties") or {}
    args = filled_arguments(clause, descriptor) or {}
    for key, value in args.items():
        prop = props.get(key)
        if not isinstance(prop, dict) or "path" not in argument_kinds({"properties": {key: prop}}):
            continue
        root = prop.get("default", fallback)
        if not isinstance(root, str) or not os.path.isabs(root) or not os.path.isdir(root):
            continue  # not a directory on this machine: the server's to judge
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str) and one != root:
                yield one, root, Path(one).name.lower() in names


def _names(clause: str) -> set[str]:
    """The file and folder names the clause says: "budget.csv" of "data/budget.csv", any
    extension ("movie.mp4"), and a folder named as one ("the folder called music")."""
    names = {m.group(0).lower() for m in FILE_NAME.finditer(clause)}
    named = named_place(clause)
    if named is not None:
        names.add(Path(named[1]).name.lower())
    return names


def _below(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or lies under it."""
    try:
        Path(os.path.normpath(path)).relative_to(os.path.normpath(root))
    except ValueError:
        return False
    return True


def _where(root: str, path: str) -> list[str]:
    """Where below ``root`` the path is: itself when it exists (relative to the root or
    absolute under it), else every file or folder of its name, relative to the root. A
    tree too large to walk counts as holding it. Walked anew each time: only a name not
    where the clause puts it gets here, and a file written a turn ago must count."""
    if os.path.exists(os.path.join(root, path)):
        return [path]
    name, seen, found = Path(path).name.lower(), 0, []
    for folder, dirs, files in os.walk(root):
        for one in [*dirs, *files]:
            if one.lower() == name:
                found.append(os.path.relpath(os.path.join(folder, one), root))
            seen += 1
            if seen > WALK_LIMIT:
                return found or [path]
    return found
