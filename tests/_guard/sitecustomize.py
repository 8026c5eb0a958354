"""Installed into every Python process the tests start (through ``PYTHONPATH``): the project
never reads the team's ``shared`` folder beside the repository (issue 11). Any open or listing
of a path inside it fails at once with ``PermissionError`` naming the path, so a test, an
example or a subprocess that still depends on it goes red instead of passing only on the
machines where the folder happens to exist."""

from __future__ import annotations

import os
import sys

_SHARED = os.environ.get("AGENTROUTE_FORBIDDEN_DIR", "")
_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "glob.glob", "os.chdir"})


def _inside(path: object) -> bool:
    if isinstance(path, int) or path is None:
        return False
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
    except TypeError:
        return False
    full = os.path.abspath(text)
    return full == _SHARED or full.startswith(_SHARED + os.sep)


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in _EVENTS and args and _inside(args[0]):
        raise PermissionError(f"the project must not read {_SHARED!r} (it read {args[0]!r})")


if _SHARED:
    sys.addaudithook(_audit)
