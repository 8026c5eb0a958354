"""What is pgvector's own: one connection with its types, its tables' names, its vectors.

A real database lets any number of processes share one case bank and one set of knowledge
bases. Where it is comes as a :class:`~agentroute._postgres.PostgresServer` (the one address
``[persistence]`` names for chat threads too); a server that cannot be reached, or has no
pgvector, raises :class:`~agentroute._postgres.PostgresError` naming it as ``host:port/database``
(never the password) and what to do; the same store serves again once the server is back (a
broken connection is opened anew on the next call).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from agentroute._postgres import PostgresError, PostgresServer

__all__ = ["PgConnection", "as_array", "display", "table_name"]

T = TypeVar("T")


def display(server: PostgresServer) -> str:
    """What a store names itself by (``postgresql://host:port/database``): never the
    connection string, which may carry a password."""
    return f"postgresql://{server.where()}"


def table_name(prefix: str, key: str) -> str:
    """A table's name for ``key`` (a namespace, a base): a hash, so any text is safe and two
    keys never share a table (PostgreSQL cuts names at 63 bytes)."""
    import hashlib

    return f"{prefix}_{hashlib.sha256(key.encode()).hexdigest()[:24]}"


def as_array(value: Any) -> Any:
    """A vector as pgvector's adapter reads it (its ``Vector``, or an array), as float32."""
    import numpy as np

    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy is not None else value, dtype=np.float32)


class PgConnection:
    """One connection to the server, opened on first use, with pgvector's types registered;
    every call runs in its own transaction under a lock (the stores are called from worker
    threads). A connection the server dropped (a restart) is opened again, and the call
    retried once: every write here is an idempotent upsert or delete."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self._conn: Any = None
        self._lock = threading.RLock()
        self._settings: dict[str, int] = {}

    def _connect(self) -> Any:
        import psycopg

        try:
            conn = psycopg.connect(
                self.server.conninfo(),
                connect_timeout=max(1, int(self.server.timeout_s)),
                options=f"-c statement_timeout={int(self.server.timeout_s * 1000)}",
                autocommit=True,
            )
        except psycopg.OperationalError as exc:
            raise self.unreachable(exc) from None
        try:
            _ensure_vector(conn, self.server)
            from pgvector.psycopg import register_vector

            register_vector(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def unreachable(self, cause: BaseException) -> PostgresError:
        return PostgresError.unreachable(self.server, cause)

    def setting(self, conn: Any, name: str, value: int) -> None:
        """Set the session's ``name`` (``hnsw.ef_search``) if it is not set to ``value`` yet
        on this connection: a search costs one round trip, not three."""
        if self._settings.get(name) != value:
            conn.execute(f"SELECT set_config('{name}', %s, false)", (str(value),))
            self._settings[name] = value

    def run(self, work: Callable[[Any], T], *, atomic: bool = True) -> T:
        """``work(connection)`` in one transaction: committed when it returns, rolled back
        when it raises. ``atomic=False``: each statement commits on its own (one query, a
        read: no BEGIN and COMMIT round trips)."""
        import psycopg

        with self._lock:
            for attempt in (0, 1):
                fresh = self._conn is None or self._conn.closed
                if fresh:
                    self._conn = self._connect()
                    self._settings = {}
                conn = self._conn
                try:
                    if not atomic:
                        return work(conn)
                    with conn.transaction():
                        return work(conn)
                except psycopg.OperationalError as exc:
                    broken = conn.closed or conn.broken
                    if broken:
                        self.close()
                    if broken and not fresh and attempt == 0:
                        continue  # dropped while idle (a restart): once more on a new one
                    raise self.unreachable(exc) from None
            raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None


_VECTOR_LOCK = 0x61677276  # "agrv": one creator of the extension at a time


def _ensure_vector(conn: Any, server: PostgresServer) -> None:
    """The pgvector extension in this database, created on first use (a user without the
    right to create it is told what to run)."""
    import psycopg

    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    if row is None:
        at = f"the Postgres server at {server.where()} ({server.setting})"
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_VECTOR_LOCK,))
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except psycopg.errors.FeatureNotSupported as exc:  # not installed on the server
            raise PostgresError(
                f"{at} has no pgvector extension ({exc}): install pgvector on it (the "
                "package postgresql-NN-pgvector, or a build of pgvector)"
            ) from None
        except psycopg.errors.UndefinedFile as exc:
            raise PostgresError(
                f"{at} has no pgvector extension ({exc}): install pgvector"
            ) from None
        except psycopg.errors.InsufficientPrivilege:
            raise PostgresError(
                f"pgvector is not enabled in the database at {server.where()} "
                f"({server.setting}) and this user may not enable it: run CREATE EXTENSION "
                "vector; in it as a superuser"
            ) from None
    conn.commit()
