"""PostgreSQL with pgvector, where cases and knowledge bases can live instead of chromadb.

A real database lets any number of processes share one case bank and one set of knowledge
bases. Where it is (a DSN, ``postgresql://user@host:port/db``) is read from the environment
variable that ``[persistence] postgres_url_env`` names: a DSN may carry a password, and a
secret never sits in a file. A server that cannot be reached raises :class:`PgVectorError`
naming its address (never the password) and what to do; the same store serves again once the
server is back (a broken connection is opened anew on the next call).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "PgConnection",
    "PgVectorError",
    "PgVectorServer",
    "as_array",
    "check_dsn_env",
    "table_name",
]

T = TypeVar("T")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_dsn_env(value: str | None) -> str | None:
    """``value`` if it can name an environment variable; a DSN pasted in its place is refused
    without repeating it (it may carry a password)."""
    if value is not None and not _ENV_NAME.fullmatch(value):
        raise ValueError(
            "this is not an environment variable's name: name the variable that holds the "
            "DSN (e.g. AGENTROUTE_POSTGRES_URL), never the DSN itself"
        )
    return value


class PgVectorError(ConnectionError):
    """The configured PostgreSQL server cannot serve: down, unreachable, refusing us, or
    without the pgvector extension."""


class PgVectorServer(BaseModel):
    """Where the PostgreSQL database is: ``url_env``, the name of the environment variable
    holding its DSN (from ``agentroute.toml``), or ``dsn`` itself (from Python)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url_env: str | None = None
    dsn: str | None = Field(None, repr=False)
    timeout_s: float = Field(30.0, gt=0)
    """The longest wait for a connection, and for one statement (a hung server fails it)."""

    @field_validator("url_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        return check_dsn_env(value)

    @model_validator(mode="after")
    def _one_source(self) -> PgVectorServer:
        if (self.url_env is None) == (self.dsn is None):
            raise ValueError("name the DSN's environment variable (url_env) or give dsn")
        return self

    def resolve(self) -> str:
        """The DSN, read from the environment now."""
        if self.dsn is not None:
            return self.dsn
        assert self.url_env is not None
        value = os.environ.get(self.url_env, "").strip()
        if not value:
            raise PgVectorError(
                f"the environment variable {self.url_env} (persistence.postgres_url_env) is not "
                "set: set it to the database's address, postgresql://user@host:port/dbname"
            )
        return value

    @property
    def address(self) -> str:
        """``host:port/db`` as errors and logs show it: never the user's password."""
        try:
            dsn = self.resolve()
        except PgVectorError:
            return f"${self.url_env}"
        if "://" not in dsn:  # key=value form
            keys = dict(p.split("=", 1) for p in dsn.split() if "=" in p)
            return f"{keys.get('host', 'localhost')}:{keys.get('port', '5432')}/{keys.get('dbname', '')}"
        parts = urlsplit(dsn)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.hostname or 'localhost'}{port}{parts.path or '/'}"

    @property
    def url(self) -> str:
        """What an error names the store by (``postgresql://host:port/db``, no password)."""
        return f"postgresql://{self.address}"


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

    def __init__(self, server: PgVectorServer) -> None:
        self.server = server
        self._conn: Any = None
        self._lock = threading.RLock()
        self._settings: dict[str, int] = {}

    def _connect(self) -> Any:
        import psycopg

        try:
            conn = psycopg.connect(
                self.server.resolve(),
                connect_timeout=max(1, int(self.server.timeout_s)),
                options=f"-c statement_timeout={int(self.server.timeout_s * 1000)}",
                autocommit=True,
            )
        except psycopg.OperationalError as exc:
            raise self.unreachable(exc) from None
        try:
            _ensure_vector(conn)
            from pgvector.psycopg import register_vector

            register_vector(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def unreachable(self, cause: BaseException) -> PgVectorError:
        detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        return PgVectorError(
            f"the PostgreSQL server at {self.server.url} cannot be reached ({detail}): "
            "start it, or point the environment variable "
            f"{self.server.url_env or '(dsn)'} at a running one"
        )

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


def _ensure_vector(conn: Any) -> None:
    """The pgvector extension in this database, created on first use (a user without the
    right to create it is told what to run)."""
    import psycopg

    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    if row is None:
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_VECTOR_LOCK,))
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except psycopg.errors.FeatureNotSupported as exc:  # not installed on the server
            raise PgVectorError(
                f"the PostgreSQL server has no pgvector extension ({exc}): install pgvector "
                "on it (the package postgresql-NN-pgvector, or a build of pgvector)"
            ) from None
        except psycopg.errors.UndefinedFile as exc:
            raise PgVectorError(
                f"the PostgreSQL server has no pgvector extension ({exc}): install pgvector"
            ) from None
        except psycopg.errors.InsufficientPrivilege:
            raise PgVectorError(
                "pgvector is not enabled in this database and this user may not enable it: "
                "run CREATE EXTENSION vector; in it as a superuser"
            ) from None
    conn.commit()
