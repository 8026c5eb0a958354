"""Installed into every Python process the tests start (through ``PYTHONPATH``): the project
reads nothing that lives beside its clone (issue 11). A development machine keeps reading
material and other checkouts next to the repository; a user's clone has none of it. Any open
or listing of a path inside a folder beside the clone fails at once with ``PermissionError``
naming the path, so a test, an example or a subprocess that still depends on one goes red
instead of passing only on the machines where the folder happens to exist."""

from __future__ import annotations

import os
import sys

_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "glob.glob", "os.chdir"})
FORBIDDEN: list[str] = [
    os.path.abspath(p)
    for p in os.environ.get("AGENTROUTE_FORBIDDEN_DIRS", "").split(os.pathsep)
    if p
]


def forbid(path: str | os.PathLike[str]) -> None:
    """Forbid one more folder (the guard's own tests use it on a folder they make)."""
    FORBIDDEN.append(os.path.abspath(os.fspath(path)))


def _inside(path: object) -> str | None:
    if isinstance(path, int) or path is None:
        return None
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
    except TypeError:
        return None
    full = os.path.abspath(text)
    return next((d for d in FORBIDDEN if full == d or full.startswith(d + os.sep)), None)


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in _EVENTS and args and (folder := _inside(args[0])) is not None:
        raise PermissionError(f"the project must not read {folder!r} (it read {args[0]!r})")


sys.addaudithook(_audit)
