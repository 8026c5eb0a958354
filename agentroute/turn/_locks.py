"""One turn at a time per thread, across every process (API workers, chats, runs): an advisory
``flock`` on a file per thread in the data directory. The kernel drops the lock when its holder
dies (``kill -9`` included), so a thread is never left locked by a process that is gone."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

__all__ = ["ThreadBusyError", "ThreadLocks"]


class ThreadBusyError(Exception):
    """Another request held the thread for longer than this one would wait."""


class ThreadLocks:
    """Locks of one data directory's threads (the workers of one server share it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, thread: str) -> Path:
        return self.folder / (hashlib.sha256(thread.encode()).hexdigest()[:32] + ".lock")

    @asynccontextmanager
    async def hold(self, thread: str, timeout_s: float) -> AsyncIterator[None]:
        fd = os.open(self._path(thread), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + timeout_s
            delay = 0.005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise ThreadBusyError(
                            f"thread {thread!r} is running another turn (waited {timeout_s:g} s)"
                        ) from None
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 0.1)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock
