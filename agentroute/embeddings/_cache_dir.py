"""Where agentroute keeps what it can always compute again, shared by every agent of a user.

Built models and embedded texts depend only on their inputs, not on one agent's data
directory, so a cache per user lets a first run in a new folder skip the work an earlier run
did elsewhere. Nothing here is data: deleting the folder costs time, never content.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_DIR_ENV", "user_cache_dir"]

CACHE_DIR_ENV = "AGENTROUTE_CACHE_DIR"
"""Overrides the folder (tests point it at a temporary one; an empty value turns it off)."""


def user_cache_dir() -> Path | None:
    """``$AGENTROUTE_CACHE_DIR``, else ``$XDG_CACHE_HOME/agentroute``, else
    ``~/.cache/agentroute``; ``None`` when the variable is set empty or no home is known."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit is not None:
        return Path(explicit).expanduser() if explicit.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg:
        return Path(xdg) / "agentroute"
    try:
        return Path.home() / ".cache" / "agentroute"
    except RuntimeError:  # no HOME and no passwd entry
        return None
