"""The case store's write-ahead journal: an append-only JSONL file, fsync'ed per write.

A write is durable once ``append`` returns; ``rotate`` hands the written ops over as a closed
segment file (deleted once they are applied), and ``replay`` reads whatever segments an earlier
process left behind (killed, or closed with writes it left for later: ``adopt``). A line torn by
a crash was never acknowledged, so it is skipped. Sequence numbers go on from the newest op
left on disk, so the segments' names stay in write order across processes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from agentroute._log import get_logger

__all__ = ["Journal"]

log = get_logger(__name__)

_CURRENT = "journal.jsonl"


class Journal:
    def __init__(self, folder: Path, *, start_seq: int = 0) -> None:
        self.folder = folder
        self._seq = start_seq
        self._file = (folder / _CURRENT).open("a", encoding="utf-8")

    @staticmethod
    def replay(folder: Path) -> tuple[list[dict[str, Any]], list[Path]]:
        """Ops left by an earlier process, in order, and the files they came from."""
        segments = sorted(folder.glob("journal-*.jsonl"))
        if (folder / _CURRENT).exists():
            segments.append(folder / _CURRENT)
        ops: list[dict[str, Any]] = []
        for segment in segments:
            for lineno, line in enumerate(segment.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    ops.append(json.loads(line))
                except json.JSONDecodeError:
                    log.warning("memory.journal_torn_line", file=str(segment), line=lineno)
        return ops, segments

    @staticmethod
    def adopt(folder: Path) -> tuple[list[dict[str, Any]], list[Path], int]:
        """The ops left on disk, the segment files holding them (the current file sealed as a
        segment, so new appends start a fresh one) and the last sequence number used."""
        ops, segments = Journal.replay(folder)
        last = max((int(op.get("seq", 0)) for op in ops), default=0)
        current = folder / _CURRENT
        if current in segments:
            segments.remove(current)
            if current.stat().st_size:
                sealed = folder / f"journal-{last:012d}.jsonl"
                if sealed.exists():  # only torn lines after the last segment's ops
                    sealed = folder / f"journal-{last:012d}-{len(segments)}.jsonl"
                os.replace(current, sealed)
                segments.append(sealed)
            else:
                current.unlink()
        return ops, segments, last

    def append(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Write ``ops`` durably, each stamped with the next sequence number: one sync for all
        (a turn's case and the recall counts it updates cost one fsync, not one each)."""
        lines = []
        for op in ops:
            self._seq += 1
            op["seq"] = self._seq
            lines.append(json.dumps(op, separators=(",", ":")) + "\n")
        self._file.write("".join(lines))
        self._file.flush()
        os.fsync(self._file.fileno())
        return ops

    def rotate(self, last_seq: int) -> Path | None:
        """Close the current file as a segment (to apply, then delete) and start a new one;
        ``None`` when nothing was appended since the last rotation."""
        if not self._file.tell():
            return None
        self._file.close()
        segment = self.folder / f"journal-{last_seq:012d}.jsonl"
        os.replace(self.folder / _CURRENT, segment)
        self._file = (self.folder / _CURRENT).open("a", encoding="utf-8")
        return segment

    def close(self) -> None:
        self._file.close()
