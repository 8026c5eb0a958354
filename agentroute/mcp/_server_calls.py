"""Tool calls through a supervised MCP connection: wait for it to be ready, enforce the
deadline and the circuit breaker, and turn every failure into an ``McpError`` worded for the user.

Why apart from ``_server``: the supervisor opens, watches and restarts the connection; this is
what a call does with whatever connection is (or is not) there, and how it reports the fault
that makes the supervisor restart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

import anyio
import mcp_types
import structlog
from mcp import ClientSession
from mcp.shared.exceptions import MCPError

from agentroute.mcp._breaker import CircuitBreaker
from agentroute.mcp._errors import (
    McpCallFailedError,
    McpError,
    McpTimeoutError,
    McpUnavailableError,
)
from agentroute.mcp._spec import McpServerSpec
from agentroute.mcp._stdio import ConnectionWatch

__all__ = ["ServerState", "ToolCalls", "describe_error", "on_loop"]

log = structlog.get_logger(__name__)

ServerState = Literal["idle", "starting", "ready", "restarting", "down", "closed"]
_T = TypeVar("_T")
_CALLER_ERRORS = (mcp_types.INVALID_PARAMS, mcp_types.METHOD_NOT_FOUND)


async def on_loop(loop: asyncio.AbstractEventLoop | None, coro: Coroutine[Any, Any, _T]) -> _T:
    """Await ``coro`` on ``loop`` (the server's owner loop), from whichever loop we are on."""
    if loop is None or loop is asyncio.get_running_loop():
        return await coro
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))


def describe_error(exc: BaseException) -> str:
    """One line for an exception, unwrapping single-member exception groups."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    if isinstance(exc, MCPError):
        return exc.message
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, OSError) else text


class ToolCalls:
    """The calling side of a supervised server; :class:`McpServer` derives from it and sets
    these attributes (the supervisor keeps them current)."""

    name: str
    spec: McpServerSpec
    state: ServerState
    last_error: str | None
    breaker: CircuitBreaker
    _loop: asyncio.AbstractEventLoop | None
    _session: ClientSession | None
    _watch: ConnectionWatch | None
    _closing: anyio.Event | None
    _wake: anyio.Event | None
    _changed: asyncio.Event | None
    _down_since: float

    async def call_tool(
        self, tool: str, arguments: dict[str, Any], *, timeout: float | None = None
    ) -> mcp_types.CallToolResult:
        """Call ``tool``; raise an ``McpError`` (worded for the user) on a server-side failure.

        A tool that reports its own error comes back as a result with ``is_error`` set.
        """
        return await on_loop(self._loop, self._call_tool(tool, arguments, timeout))

    async def _call_tool(
        self, tool: str, arguments: dict[str, Any], timeout: float | None
    ) -> mcp_types.CallToolResult:
        limit = (
            self.spec.call_timeout_s if timeout is None else min(timeout, self.spec.call_timeout_s)
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        refusal = self.breaker.refusal()
        if refusal is not None:
            detail = f" (last: {self.last_error})" if self.last_error else ""
            raise McpUnavailableError(self.name, f"server '{self.name}' {refusal}{detail}")
        try:
            session, watch = await self._wait_ready(deadline)
        except McpError:
            self.breaker.release()
            raise
        try:
            async with asyncio.timeout_at(deadline):
                result = await session.call_tool(tool, arguments)
        except TimeoutError:
            fault = f"timed out after {limit:g}s calling '{tool}'"
            watch.mark_dead(fault, hung=True)
            raise self._failed(McpTimeoutError, f"{fault}; restarting") from None
        except MCPError as exc:
            if self._closing is not None and self._closing.is_set():
                raise McpUnavailableError(self.name, f"server '{self.name}' is closed") from None
            if exc.code in _CALLER_ERRORS and not watch.dead.is_set():
                self.breaker.succeeded()  # the server answered: it is healthy, the call was wrong
                raise McpCallFailedError(
                    self.name, f"server '{self.name}' rejected the call to '{tool}': {exc.message}"
                ) from None
            # Over HTTP any other protocol error (session terminated, 5xx) means reconnect.
            if (
                watch.dead.is_set()
                or exc.code == mcp_types.CONNECTION_CLOSED
                or self.spec.transport == "http"
            ):
                closed = exc.code == mcp_types.CONNECTION_CLOSED or watch.dead.is_set()
                watch.mark_dead(
                    f"connection closed ({exc.message})"
                    if closed
                    else f"HTTP request failed ({exc.message})"
                )
                raise self._failed(McpCallFailedError, f"{watch.fault}; restarting") from None
            raise self._failed(
                McpCallFailedError, f"returned error {exc.code} for '{tool}': {exc.message}"
            ) from None
        except (McpError, asyncio.CancelledError):
            raise
        except Exception as exc:
            watch.mark_dead(f"failed: {describe_error(exc)}")
            raise self._failed(McpCallFailedError, f"{watch.fault}; restarting") from None
        if not isinstance(result, mcp_types.CallToolResult):
            raise self._failed(
                McpCallFailedError, f"returned an unsupported result type for '{tool}'"
            )
        self.breaker.succeeded()
        return result

    async def _wait_ready(self, deadline: float) -> tuple[ClientSession, ConnectionWatch]:
        while True:
            session, watch = self._session, self._watch
            if (
                session is not None
                and watch is not None
                and self.state == "ready"
                and not watch.dead.is_set()
            ):
                return session, watch
            if self.state in ("idle", "closed"):
                raise McpUnavailableError(
                    self.name,
                    f"server '{self.name}' is {'not started' if self.state == 'idle' else 'closed'}",
                )
            if self.state == "down":
                if time.monotonic() - self._down_since < self.spec.breaker_cooldown_s:
                    raise McpUnavailableError(
                        self.name,
                        f"server '{self.name}' is down after repeated failed starts: {self.last_error}",
                    )
                assert self._wake is not None
                self._wake.set()
            assert self._changed is not None
            changed = self._changed
            try:
                async with asyncio.timeout_at(deadline):
                    await changed.wait()
            except TimeoutError:
                detail = f"; last error: {self.last_error}" if self.last_error else ""
                raise McpUnavailableError(
                    self.name, f"server '{self.name}' is not ready ({self.state}){detail}"
                ) from None

    def _failed(self, kind: type[McpError], fault: str) -> McpError:
        self.last_error = fault
        if self.breaker.failed():
            log.warning("mcp.breaker.open", server=self.name, failures=self.breaker.failures)
        log.warning("mcp.call.failed", server=self.name, error=fault)
        return kind(self.name, f"server '{self.name}' {fault}")
