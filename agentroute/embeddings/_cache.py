"""A per-user disk cache of files derived from model weights, so a warm start loads what a cold
one built.

The root is a folder of `agentroute.embeddings._cache_dir.user_cache_dir`. An entry is a
directory named by a content key (the hash of its inputs, not their path or date): a changed
weights file or builder gets a new entry, never a stale one. An entry is filled in a private
temporary directory and published with one ``rename``, so two processes building at once never
leave a torn entry (the loser keeps the winner's). Hashing 90 MB of
weights takes ~0.2 s, so each file's hash is remembered by its path, size and mtime: a warm
start only stats it. Loading an entry marks it used; publishing one removes entries unused for
`DiskCache.STALE_DAYS` (an upgraded model's old graph, ~90 MB, would otherwise stay forever).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from agentroute._log import get_logger

__all__ = ["DiskCache"]

_MANIFEST = "entry.json"
_HASHES = "hashes.json"

log = get_logger(__name__)


class DiskCache:
    """Entries under ``root`` (created on first write). Reads never write except the hash
    memo and the mark of use; a write that fails raises ``OSError`` for the caller to fall
    back on."""

    STALE_DAYS = 30
    """An entry not loaded for this long is removed when another is published."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._hashes: dict[str, list[int | str]] | None = None

    def file_hash(self, path: Path) -> str:
        """sha256 of a file's bytes, recomputed only when its size or mtime changes."""
        st = path.stat()
        where = str(path.resolve())
        memo = self._memo()
        seen = memo.get(where)
        if seen is not None and seen[:2] == [st.st_size, st.st_mtime_ns]:
            return str(seen[2])
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        memo[where] = [st.st_size, st.st_mtime_ns, digest]
        try:
            self._write_memo(memo)
        except OSError as exc:  # an unwritable cache costs a rehash next start, nothing more
            log.debug("cache.hashes_unwritten", root=str(self.root), reason=str(exc))
        return digest

    def entry(self, key: str) -> Path | None:
        """The published entry for ``key`` when its manifest says it is whole (every file
        present at its recorded size), else ``None``."""
        path = self.root / key
        try:
            sizes = json.loads((path / _MANIFEST).read_text(encoding="utf-8"))
            whole = all((path / name).stat().st_size == size for name, size in sizes.items())
        except (OSError, ValueError, AttributeError):
            return None
        if not whole:
            return None
        with contextlib.suppress(OSError):  # a read-only cache is still a cache
            os.utime(path)
        return path

    def put(self, key: str, fill: Callable[[Path], object]) -> Path:
        """Publish the entry ``fill`` writes into the directory it is given. If another
        process published ``key`` first, its entry stands and this one is dropped."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=self.root))
        try:
            fill(tmp)
            sizes = {p.name: p.stat().st_size for p in tmp.iterdir()}
            (tmp / _MANIFEST).write_text(json.dumps(sizes), encoding="utf-8")
            final = self.root / key
            try:
                os.rename(tmp, final)
            except OSError:
                if self.entry(key) is None:  # not a winner's entry: a broken leftover
                    self.discard(key)
                    os.rename(tmp, final)
            with contextlib.suppress(OSError):
                self._prune(keep=key)
            return final
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def discard(self, key: str) -> None:
        """Remove an entry (unreadable, say). It is renamed away first, so no reader ever
        sees it half deleted; a process that has its files open keeps them until it closes."""
        path = self.root / key
        if not path.exists():
            return
        try:
            gone = Path(tempfile.mkdtemp(prefix=f".{key}.gone.", dir=self.root))
            os.replace(path, gone / key)
        except OSError:
            shutil.rmtree(path, ignore_errors=True)
        else:
            shutil.rmtree(gone, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        """Remove entries unused for `STALE_DAYS`, and temporary directories a killed writer
        left behind (a day old: no build takes that long)."""
        now = time.time()
        for path in list(self.root.iterdir()):
            with contextlib.suppress(OSError):  # another process may be pruning too
                if path.name == keep or not path.is_dir():
                    continue
                days = (now - path.stat().st_mtime) / 86400
                if path.name.startswith("."):
                    if days > 1:
                        shutil.rmtree(path, ignore_errors=True)
                elif days > self.STALE_DAYS:
                    self.discard(path.name)

    def _memo(self) -> dict[str, list[int | str]]:
        if self._hashes is None:
            self._hashes = {}
            with contextlib.suppress(OSError, ValueError):
                loaded = json.loads((self.root / _HASHES).read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self._hashes = {
                        k: v for k, v in loaded.items() if isinstance(v, list) and len(v) == 3
                    }
        return self._hashes

    def _write_memo(self, memo: dict[str, list[int | str]]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        live = {k: v for k, v in memo.items() if os.path.exists(k)}
        fd, tmp = tempfile.mkstemp(prefix=f".{_HASHES}.", dir=self.root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(live, f)
            os.replace(tmp, self.root / _HASHES)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
