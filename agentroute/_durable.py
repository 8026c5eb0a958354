"""Files written whole or not at all: the data goes to a temporary file beside the target, is
flushed to disk, and replaces the target in one rename, so a reader (or a process started after
a crash) sees the old file or the new one, never half of one. The knowledge snapshot and the
case bank's index snapshot write their files this way."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["write_bytes", "write_npy"]


def _temporary(path: Path) -> Path:
    """A temporary name of this writer's own beside ``path``: processes sharing a data
    directory may replace the same file at once, and must not rename each other's file."""
    return path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``, durably."""
    tmp = _temporary(path)
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_npy(path: Path, array: npt.ArrayLike) -> None:
    """Replace ``path`` with ``array`` as float32 ``.npy`` (memory-mappable), durably."""
    tmp = _temporary(path)
    try:
        with tmp.open("wb") as f:
            np.save(f, np.ascontiguousarray(array, dtype=np.float32))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
