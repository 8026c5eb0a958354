"""A Postgres server's address, as ``[persistence]`` names it, and the errors that say which.

The connection string (a ``postgresql://`` URL or libpq's ``key=value`` form) comes from an
environment variable the configuration names (``postgres_url_env``), or from the file itself
when it carries no password (libpq then reads ``PGPASSWORD`` or ``~/.pgpass``): a secret never
sits in ``agentroute.toml``. Messages name the server as ``host:port/database``, never the
password, and the setting that points at it. psycopg is imported only to read a string.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PostgresError", "PostgresServer", "conninfo_fields", "refuse_password"]


def conninfo_fields(conninfo: str) -> dict[str, str]:
    """libpq's reading of a connection string (URL or ``key=value``); ``ValueError`` saying
    what is wrong when it cannot be read."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {k: str(v) for k, v in conninfo_to_dict(conninfo).items() if v is not None}
    except ProgrammingError as exc:
        raise ValueError(
            f"not a Postgres connection string ({exc}); write it as "
            "postgresql://user@host:port/database"
        ) from None


def refuse_password(conninfo: str) -> str:
    """``conninfo`` if it carries no password; a password belongs in the environment."""
    if "password" in conninfo_fields(conninfo):
        raise ValueError(
            "a password does not belong in the file: put the whole URL in an environment "
            "variable and name that variable in postgres_url_env (or leave the password to "
            "PGPASSWORD or ~/.pgpass)"
        )
    return conninfo


class PostgresServer(BaseModel):
    """Where a store lives on Postgres: the connection string itself (``url``, from Python or a
    password-less file entry) or the environment variable holding it (``url_env``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(None, repr=False)
    url_env: str | None = None
    setting: str = "[persistence] postgres_url_env"
    """Where the address was given, as an error message names it."""
    pool_size: int = Field(5, ge=1, le=100)
    """Connections one process may hold: turns run concurrently on the agent's loop."""
    timeout_s: float = Field(30.0, gt=0)
    """The longest a call waits for a connection: a server restarting within it costs the
    turn a wait, not an error; one down for longer fails the call, loudly."""

    def conninfo(self) -> str:
        """The connection string, read from ``url_env`` now."""
        if self.url is not None:
            return self.url
        if self.url_env is None:
            raise PostgresError.at(self, f"no Postgres server named: set {self.setting}")
        value = os.environ.get(self.url_env, "").strip()
        if not value:
            raise PostgresError.at(
                self,
                f"the environment variable {self.url_env} is not set ({self.setting}): set it "
                "to the server's URL, postgresql://user:password@host:port/database",
            )
        try:
            conninfo_fields(value)
        except ValueError as exc:
            raise PostgresError.at(self, f"{self.url_env} ({self.setting}): {exc}") from None
        return value

    @property
    def setting_key(self) -> tuple[str, ...]:
        """``setting`` as a configuration key, ``("persistence", "postgres_url_env")``: the
        CLI names the file's line that sets it."""
        table, _, rest = self.setting.partition("]")
        return (table.strip("[ "), rest.partition("=")[0].strip())

    def where(self) -> str:
        """``host:port/database``, for messages (no user, no password)."""
        try:
            fields = conninfo_fields(self.conninfo())
        except (ValueError, PostgresError):
            return f"(the address in {self.setting})"
        host = fields.get("host") or fields.get("hostaddr") or "localhost"
        database = fields.get("dbname") or fields.get("user") or os.environ.get("PGDATABASE", "")
        return f"{host}:{fields.get('port') or '5432'}/{database}"


class PostgresError(ConnectionError):
    """The configured Postgres server cannot serve: not named, down, refusing us, or lost in
    the middle of a call."""

    setting: tuple[str, ...] = ("persistence", "postgres_url_env")
    """The configuration key that names the server (``PostgresServer.setting_key``)."""

    @classmethod
    def at(cls, server: PostgresServer, message: str) -> PostgresError:
        """``message`` about ``server``, carrying the key that names it."""
        error = cls(message)
        error.setting = server.setting_key
        return error

    @classmethod
    def unreachable(cls, server: PostgresServer, cause: BaseException) -> PostgresError:
        return cls.at(
            server,
            f"the Postgres server at {server.where()} ({server.setting}) cannot be reached: "
            f"{_said(cause)}; start it, or point {server.setting} at a running one",
        )

    @classmethod
    def lost(cls, server: PostgresServer, doing: str, cause: BaseException) -> PostgresError:
        return cls.at(
            server,
            f"the Postgres server at {server.where()} ({server.setting}) failed while {doing}: "
            f"{_said(cause)}; this turn did not complete (the thread keeps its last saved "
            "state), the next one reconnects",
        )


def _said(cause: BaseException) -> str:
    """The driver's message, one line (libpq's spans several)."""
    return " ".join(str(cause).split()) or type(cause).__name__
