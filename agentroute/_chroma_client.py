"""Where chromadb's collections live: embedded on disk in this process, or on a Chroma server.

A server (``chroma run``) lets several processes and machines share one store; its address
and credentials are a :class:`ChromaServer` (``[persistence]`` in ``agentroute.toml``). The
secret never sits in the file: ``token_env`` names the environment variable that holds it.
A server that cannot be reached, at the start or in the middle of a session, raises
:class:`ChromaServerError` naming its address and what to do, never an HTTP client's traceback;
the same collection object serves again once the server is back.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "ChromaServer",
    "ChromaServerError",
    "check_env_name",
    "chroma_client",
    "light_overrides",
    "parse_chroma_url",
]

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """``http(s)://host[:port]`` as (host, port, tls); the port defaults as chromadb's does
    (8000 for http, 443 for https). Raises ``ValueError`` saying what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a URL ({exc}); write it as http://host:port") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a Chroma server address; write it as http://host:port")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ValueError(f"{url!r}: a Chroma server address has no path; write http://host:port")
    tls = parts.scheme == "https"
    return parts.hostname, port if port is not None else (443 if tls else 8000), tls


def check_env_name(value: str | None) -> str | None:
    """``value`` if it can name an environment variable; a token pasted in its place is
    refused (the secret must not sit in a file)."""
    if value is not None and not _ENV_NAME.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an environment variable's name: name the variable that "
            "holds the token (e.g. CHROMA_TOKEN), never the token itself"
        )
    return value


class ChromaServer(BaseModel):
    """A Chroma server's address, tenant, database, and the name of the environment variable
    holding its bearer token (if it asks for one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    tenant: str = "default_tenant"
    database: str = "default_database"
    """Created on the server when missing: one database per project keeps bases apart."""
    token_env: str | None = None
    timeout_s: float = Field(60.0, gt=0)
    """The longest wait for one answer: a server that hangs fails the call, never the session
    (chromadb's own client waits forever)."""

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parse_chroma_url(value)
        return value.strip().rstrip("/")

    @field_validator("token_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        return check_env_name(value)

    def headers(self) -> dict[str, str]:
        """The request headers: the bearer token read from ``token_env`` now."""
        if self.token_env is None:
            return {}
        token = os.environ.get(self.token_env)
        if not token:
            error = ChromaServerError(
                f"the Chroma server at {self.url} needs a token, but the environment variable "
                f"{self.token_env} (persistence.chroma_token_env) is not set"
            )
            error.setting = ("persistence", "chroma_token_env")
            raise error
        return {"Authorization": f"Bearer {token}"}


class ChromaServerError(ConnectionError):
    """The configured Chroma server cannot serve: down, unreachable or refusing us."""

    setting: tuple[str, ...] = ("persistence", "chroma_url")
    """The configuration key to fix or follow (the CLI names the file's line that sets it)."""

    @classmethod
    def refused(cls, server: ChromaServer, status: int) -> ChromaServerError:
        token = (
            f"check the token in the environment variable {server.token_env}"
            if server.token_env
            else "name the environment variable holding its token in [persistence] chroma_token_env"
        )
        error = cls(f"the Chroma server at {server.url} refused the request ({status}): {token}")
        if server.token_env:
            error.setting = ("persistence", "chroma_token_env")
        return error

    @classmethod
    def unreachable(cls, server: ChromaServer, cause: BaseException) -> ChromaServerError:
        detail = str(cause) or type(cause).__name__
        if "timeout" in type(cause).__name__.lower():
            detail = f"no answer within {server.timeout_s:g} s"
        return cls(
            f"the Chroma server at {server.url} cannot be reached ({detail}): start it "
            f"(chroma run --path DIR --port {parse_chroma_url(server.url)[1]}) or point "
            "[persistence] chroma_url in agentroute.toml at a running one"
        )


def chroma_client(path: Path, server: ChromaServer | None = None) -> Any:
    """chromadb's client: embedded on disk at ``path``, or ``server``'s (one per process and
    server; every call through it, and through the collections it hands out, raises
    :class:`ChromaServerError` while the server cannot be reached)."""
    with light_overrides():
        import chromadb  # ~0.5-1 s: only a store that is written, or read without a snapshot
        from chromadb.config import Settings

        if server is None:
            settings = Settings(anonymized_telemetry=False)
            with _opening(path):
                return chromadb.PersistentClient(str(path), settings=settings)
        return _server_client(server)


@contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Held while chromadb opens the store at ``path``, across processes: its first opening
    creates the store's tables, and two processes starting at once in a new data directory
    (two chats) both ran that creation ('table collections already exists' stopped one)."""
    import fcntl

    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path / ".opening.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file drops the lock


@functools.lru_cache(maxsize=8)
def _server_client(server: ChromaServer) -> Any:
    import chromadb
    import httpx
    from chromadb.config import Settings
    from chromadb.errors import NotFoundError

    host, port, tls = parse_chroma_url(server.url)
    settings = Settings(anonymized_telemetry=False)
    headers = server.headers()
    try:  # chromadb's first request has no timeout: a hung server is found here instead
        beat = httpx.get(
            f"{server.url}/api/v2/heartbeat", headers=headers, timeout=server.timeout_s
        )
    except httpx.TransportError as exc:
        raise ChromaServerError.unreachable(server, exc) from None
    if beat.status_code in (401, 403):
        raise ChromaServerError.refused(server, beat.status_code)

    def connect() -> Any:
        return chromadb.HttpClient(
            host=host,
            port=port,
            ssl=tls,
            headers=headers,
            settings=settings,
            tenant=server.tenant,
            database=server.database,
        )

    try:
        try:
            client = connect()
        except NotFoundError:  # a new project's database: made on first use
            admin = chromadb.AdminClient(
                Settings(
                    chroma_api_impl="chromadb.api.fastapi.FastAPI",
                    chroma_server_host=host,
                    chroma_server_http_port=port,
                    chroma_server_ssl_enabled=tls,
                    chroma_server_headers=headers,
                    anonymized_telemetry=False,
                )
            )
            try:
                admin.create_database(server.database, tenant=server.tenant)
            except Exception as exc:  # another process made it between our look and now
                if "already exists" not in str(exc):
                    raise
            client = connect()
    except Exception as exc:
        _translate(exc, server)
        raise
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):  # every later request bounded too
        session.timeout = httpx.Timeout(server.timeout_s)
    return _Guarded(client, server)


def _translate(exc: BaseException, server: ChromaServer) -> None:
    """Raise the :class:`ChromaServerError` that says what ``exc`` means for the user, if it
    is about reaching the server or being let in; return for any other error."""
    from chromadb.errors import AuthorizationError, ChromaAuthError

    if _unreachable(exc):
        raise ChromaServerError.unreachable(server, exc) from None
    if isinstance(exc, AuthorizationError | ChromaAuthError):
        raise ChromaServerError.refused(server, exc.code()) from None
    status = _http_status(exc)
    if status in (401, 403):
        raise ChromaServerError.refused(server, status) from None


def _http_status(exc: BaseException) -> int | None:
    """The HTTP status of an error response behind ``exc`` (chromadb rewraps some)."""
    import httpx

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, httpx.HTTPStatusError):
            return seen.response.status_code
        seen = seen.__cause__ or seen.__context__
    return None


def _unreachable(exc: BaseException) -> bool:
    """A transport failure (refused, reset, timed out, unknown host), or chromadb's own
    "Could not connect" that wraps one."""
    import httpx

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, httpx.TransportError):
            return True
        if isinstance(seen, ValueError) and "could not connect" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _Guarded:
    """A chromadb client or collection whose calls turn a lost server into
    :class:`ChromaServerError`; the collections it returns are guarded too."""

    def __init__(self, inner: Any, server: ChromaServer) -> None:
        self._inner = inner
        self._server = server

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value
        server = self._server

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                result = value(*args, **kwargs)
            except Exception as exc:
                _translate(exc, server)
                raise
            return _Guarded(result, server) if _is_collection(result) else result

        return call


def _is_collection(value: Any) -> bool:
    from chromadb.api.models.Collection import Collection

    return isinstance(value, Collection)


_overrides_lock = threading.RLock()


def _mark(method: Any = None, **_: Any) -> Any:
    """``@override`` / ``@override(check_signature=...)`` that only marks the method."""
    if method is None:
        return _mark
    with suppress(AttributeError, TypeError):  # a builtin or a slotted object: no mark
        method.__override__ = True
    return method


@contextmanager
def light_overrides() -> Iterator[None]:
    """Run a block (chromadb's import, its client's construction) with ``overrides``'s
    ``override``/``overrides`` reduced to marking the method.

    chromadb marks its methods with ``@override``, which, as each class is created,
    disassembles the caller's frame to find the base classes and compares every signature
    with the base's: ~20% of the CPU of importing chromadb and building its first client,
    paid by every process that writes to a knowledge base (most of a one-document edit).
    Inside the block the decorator only marks the method, as it does once its checks pass (a
    method with no base, which the check would reject, is not looked for); the real one is
    back when the block ends, for any other library."""
    try:
        import overrides
        import overrides.overrides as module
    except ImportError:  # pragma: no cover - chromadb depends on it
        yield
        return
    with _overrides_lock:
        saved: list[tuple[Any, str, Callable[..., Any]]] = [
            (owner, name, getattr(owner, name))
            for owner in (overrides, module)
            for name in ("override", "overrides")
            if hasattr(owner, name)
        ]
        for owner, name, _ in saved:
            setattr(owner, name, _mark)
        try:
            yield
        finally:
            for owner, name, original in saved:
                setattr(owner, name, original)
