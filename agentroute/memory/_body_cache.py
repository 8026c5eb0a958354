"""A bounded cache of case bodies (their JSON), newest use last.

Recall reads the bodies of a few close cases each turn, and the write that follows re-reads
the ones it counts a recall on; each chromadb ``get`` costs milliseconds, a parse of cached
JSON some microseconds. JSON rather than ``Case`` objects: every read gets its own copy, and
parsing is cheaper than a deep copy.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["BodyCache"]

Key = tuple[str, str]
"""(namespace, case id)"""


class BodyCache:
    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._bodies: OrderedDict[Key, str] = OrderedDict()

    def get(self, key: Key) -> str | None:
        body = self._bodies.get(key)
        if body is not None:
            self._bodies.move_to_end(key)
        return body

    def put(self, key: Key, body: str) -> None:
        self._bodies[key] = body
        self._bodies.move_to_end(key)
        while len(self._bodies) > self._size:
            self._bodies.popitem(last=False)

    def pop(self, key: Key) -> None:
        self._bodies.pop(key, None)
