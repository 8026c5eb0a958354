"""The case bank's shared write-ahead journal: append-only JSONL segments every process appends to.

Any number of processes open one bank. A write takes the journal's lock (``flock``, exclusive),
first reads whatever the other processes appended since this one last looked (so every process
applies the ops in the one order the file holds), appends its own ops, fsyncs, and lets go: the
write is durable and ordered once ``append`` returns. A reader catches up on the tail under the
shared lock; when nothing was appended (one ``stat``) it takes no lock at all.

A position is ``(segment, offset)``: segments are ``journal/NNNNNNNNNNNN.jsonl``, numbered up,
and positions compare in write order. ``applied`` is how far chromadb holds the ops (moved by
whichever process applies a batch, ``_write_behind``); a segment is deleted once a newer one is
fully applied, so a process idle across two rotations finds its segment gone
(:class:`JournalGap`) and reloads from chromadb. A line torn by a crash was never acknowledged:
the next writer ends it with a newline and every reader skips it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from agentroute._durable import write_bytes
from agentroute._log import get_logger

__all__ = ["Journal", "JournalGap", "Position"]

log = get_logger(__name__)

Position = tuple[int, int]
"""(segment number, byte offset in it): compares in write order."""

_FOLDER = "journal"
ROTATE_BYTES = 8 << 20
"""A fully applied segment at least this big is closed and a new one started."""


class JournalGap(Exception):
    """The ops after a position are gone (their segment was applied and deleted)."""


def _write_all(fd: int, data: bytes, size: int) -> None:
    """Append ``data`` whole, or cut the file back to ``size`` and raise (a full disk leaves no
    part of a write behind for a reader to take as written)."""
    done = 0
    try:
        while done < len(data):
            done += os.write(fd, data[done:])
    except OSError:
        os.ftruncate(fd, size)
        raise


def _segment_name(n: int) -> str:
    return f"{n:012d}.jsonl"


class Journal:
    """One process's handle on a bank's journal; ``cursor`` is how far this process has read."""

    def __init__(self, root: Path) -> None:
        self.folder = root / _FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.locked(exclusive=True):
            segments = self._segments()
            if not segments:
                (self.folder / _segment_name(1)).touch()
                segments = [1]
        self.cursor: Position = (segments[0], 0)
        """Where this process's reading stands (everything before it is applied here)."""

    # -- locking --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self, *, exclusive: bool) -> Iterator[None]:
        """The journal's lock, on a descriptor of its own: two threads of one process exclude
        each other as two processes do (``flock`` on one shared descriptor would only convert
        the lock the other thread holds). Not re-entrant."""
        with (self.folder / "lock").open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield

    # -- positions ------------------------------------------------------------------------------

    def _segments(self) -> list[int]:
        return sorted(
            int(p.name[:12]) for p in self.folder.glob("*.jsonl") if p.name[:12].isdigit()
        )

    def _path(self, segment: int) -> Path:
        return self.folder / _segment_name(segment)

    def end(self) -> Position:
        """The position after the last complete op on disk (caller holds a lock)."""
        last = self._segments()[-1]
        return last, self._complete_size(last)

    def _complete_size(self, segment: int) -> int:
        """The segment's size up to its last newline (a torn tail is not part of it)."""
        path = self._path(segment)
        size = path.stat().st_size
        if not size:
            return 0
        with path.open("rb") as f:
            f.seek(max(0, size - 1))
            if f.read(1) == b"\n":
                return size
            f.seek(0)
            data = f.read()
        return data.rfind(b"\n") + 1

    def applied(self) -> Position:
        """How far chromadb holds the journal's ops."""
        try:
            raw = json.loads((self.folder / "applied.json").read_text(encoding="utf-8"))
            return int(raw["segment"]), int(raw["offset"])
        except (OSError, ValueError, KeyError, TypeError):
            return self._segments()[0], 0

    def set_applied(self, pos: Position) -> None:
        body = json.dumps({"segment": pos[0], "offset": pos[1]}).encode()
        write_bytes(self.folder / "applied.json", body)

    # -- reading --------------------------------------------------------------------------------

    def has_news(self) -> bool:
        """Whether anything was appended past ``cursor`` (no lock: one or two ``stat``)."""
        seg, off = self.cursor
        try:
            if self._path(seg).stat().st_size > off:
                return True
        except FileNotFoundError:
            return True
        return self._path(seg + 1).exists()

    def read(self, start: Position, stop: Position) -> list[tuple[Position, dict[str, Any]]]:
        """The ops from ``start`` up to ``stop``, each with the position after it (caller holds
        a lock); raises :class:`JournalGap` when a segment between them is gone."""
        out: list[tuple[Position, dict[str, Any]]] = []
        seg, off = start
        while (seg, off) < stop:
            path = self._path(seg)
            try:
                with path.open("rb") as f:
                    f.seek(off)
                    data = f.read(stop[1] - off if seg == stop[0] else -1)
            except FileNotFoundError:
                raise JournalGap(f"journal segment {path} is gone") from None
            end = data.rfind(b"\n") + 1
            pos = off
            for line in data[:end].splitlines(keepends=True):
                pos += len(line)
                if not line.strip():
                    continue
                try:
                    out.append(((seg, pos), json.loads(line)))
                except json.JSONDecodeError:
                    log.warning("memory.journal_torn_line", file=str(path), offset=pos - len(line))
            if seg >= stop[0]:
                break
            seg, off = seg + 1, 0
        return out

    def catch_up(self) -> list[tuple[Position, dict[str, Any]]]:
        """The ops appended since ``cursor`` (which moves past them)."""
        if not self.has_news():
            return []
        with self.locked(exclusive=False):
            end = self.end()
            ops = self.read(self.cursor, end)
        self.cursor = end
        return ops

    # -- writing --------------------------------------------------------------------------------

    def append(
        self, ops: list[dict[str, Any]]
    ) -> tuple[list[tuple[Position, dict[str, Any]]], list[tuple[Position, dict[str, Any]]]]:
        """Append ``ops`` durably (one fsync) after the ops others appended since ``cursor``;
        returns those others' ops and ours, each with its position, in file order."""
        return self.append_with(lambda _: ops)

    def append_with(
        self, build: Callable[[list[tuple[Position, dict[str, Any]]]], list[dict[str, Any]]]
    ) -> tuple[list[tuple[Position, dict[str, Any]]], list[tuple[Position, dict[str, Any]]]]:
        """Like ``append``, the ops made by ``build`` from the others' ops, under the lock: a
        write decided on the bank as it is (a case forgotten meanwhile is not written back).
        ``build`` must take no lock of the journal's."""
        with self.locked(exclusive=True):
            last = self._segments()[-1]
            path = self._path(last)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
            try:
                size = os.fstat(fd).st_size
                if size and self._complete_size(last) != size:  # a writer died mid-line
                    _write_all(fd, b"\n", size)
                    size += 1
                theirs = self.read(self.cursor, (last, size))
                self.cursor = (last, size)
                ops = build(theirs)
                lines = [json.dumps(op, separators=(",", ":")).encode() + b"\n" for op in ops]
                if lines:
                    _write_all(fd, b"".join(lines), size)
                    try:
                        os.fsync(fd)
                    except OSError:
                        os.ftruncate(fd, size)
                        raise
            finally:
                os.close(fd)
        mine: list[tuple[Position, dict[str, Any]]] = []
        pos = size
        for op, line in zip(ops, lines, strict=True):
            pos += len(line)
            mine.append(((last, pos), op))
        self.cursor = (last, pos)
        return theirs, mine

    def rotate(self) -> None:
        """Start a new segment once the newest is fully applied and big, and delete the ones
        before it (caller holds the apply lock)."""
        with self.locked(exclusive=True):
            segments = self._segments()
            last = segments[-1]
            end = (last, self._complete_size(last))
            if self.applied() < end or end[1] < ROTATE_BYTES:
                return
            self._path(last + 1).touch()
            for old in segments[:-1]:
                self._path(old).unlink(missing_ok=True)
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def close(self) -> None:
        """Nothing stays open between calls (kept for the store's close)."""
