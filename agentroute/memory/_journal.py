"""The case store's write-ahead journal: an append-only JSONL file, fsync'ed per write.

A write is durable once ``append`` returns; ``rotate`` hands the written ops over as a closed
segment file (deleted once they are applied), and ``replay`` reads whatever segments a killed
process left behind. A line torn by a crash was never acknowledged, so it is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import structlog

__all__ = ["Journal"]

log = structlog.get_logger(__name__)

_CURRENT = "journal.jsonl"


class Journal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seq = 0
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

    def rotate(self, last_seq: int) -> Path:
        """Close the current file as a segment (to apply, then delete) and start a new one."""
        self._file.close()
        segment = self.folder / f"journal-{last_seq:012d}.jsonl"
        os.replace(self.folder / _CURRENT, segment)
        self._file = (self.folder / _CURRENT).open("a", encoding="utf-8")
        return segment

    def close(self) -> None:
        self._file.close()
