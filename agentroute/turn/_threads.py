"""The chat-thread store: a LangGraph checkpointer on SQLite, on Postgres or in memory, whose
deserializer accepts only our own records, whichever holds the bytes.

Several processes may share one store: Postgres serves them all (``_pg_threads``, written
behind the turn in batches by ``_pg_writer``); a SQLite file (``_sqlite_threads``) is written
in WAL mode (LangGraph's saver sets it), and a writer that finds the file busy waits for it
(``SQLITE_BUSY_TIMEOUT_S``) instead of failing the turn."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

import agentroute.types as types
from agentroute._postgres import PostgresServer

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


SQLITE_BUSY_TIMEOUT_S = 60.0
"""How long a write waits while another process writes the same file (each write is one
short transaction: a wait this long means a process stuck holding the file)."""


async def open_thread_store(where: Path | PostgresServer | None) -> tuple[Any, Any]:
    """``(checkpointer, connection)``: on a SQLite file or a Postgres server (the connection is
    the checkpointer: closing it writes what it queued, then closes its file or pool), or in
    memory (``None``, no connection); the caller closes the connection."""
    if where is None:
        return InMemorySaver(serde=_serializer()), None
    if isinstance(where, PostgresServer):
        from agentroute.turn._pg_threads import open_postgres_threads

        return await open_postgres_threads(where, _serializer())
    from agentroute.turn._sqlite_threads import open_sqlite_threads

    where.parent.mkdir(parents=True, exist_ok=True)
    saver = await open_sqlite_threads(where, _serializer(), SQLITE_BUSY_TIMEOUT_S)
    return saver, saver
