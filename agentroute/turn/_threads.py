"""The chat-thread store: a LangGraph checkpointer on SQLite (or in memory), whose
deserializer accepts only our own records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

import agentroute.types as types

__all__ = ["open_thread_store"]

_LEGACY_MODULE = "agentroute._records"
"""Where the records lived before ``agentroute.types``: threads checkpointed then name it, and
must still load (stored data is never lost to a rename)."""
sys.modules.setdefault(_LEGACY_MODULE, types)

_CHECKPOINT_TYPES = [
    (module, name)
    for module in ("agentroute.types", _LEGACY_MODULE)
    for name in (
        "Plan",
        "Step",
        "TargetKind",
        "RouteDecision",
        "Alternative",
        "PolicyDecision",
        "Observation",
        "Source",
        "TraceEvent",
        "MemoryHit",
        "AnswerCheck",
        "PriorStep",
        "PriorTurn",
    )
]
"""Our records are the only types the thread store may deserialize (LangGraph's allow-list)."""


def _serializer() -> JsonPlusSerializer:
    return JsonPlusSerializer(allowed_msgpack_modules=_CHECKPOINT_TYPES)


async def open_thread_store(path: Path | None) -> tuple[Any, Any]:
    """``(checkpointer, connection)``; the connection (``None`` in memory) is closed by the caller."""
    if path is None:
        return InMemorySaver(serde=_serializer()), None
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path))
    saver = AsyncSqliteSaver(conn, serde=_serializer())
    await saver.setup()
    return saver, conn
