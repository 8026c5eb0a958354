"""One supervised MCP connection: start, keep open, restart on crash, break on repeated failure.

One long-lived owner task per server holds the transport and session contexts (anyio cancel
scopes must be entered and exited by the same task); calls from any task of the owner's loop
use the open session, and calls or ``aclose`` from another loop are marshalled onto it.

A call waits for the connection to be ready, enforces the deadline and the circuit breaker,
and turns every failure into an ``McpError`` worded for the user; the fault it reports (a
timeout, a closed connection) is what makes the supervisor restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Literal, TypeVar

import anyio
import anyio.abc
import mcp_types
from mcp import ClientSession
from mcp.shared.exceptions import MCPError

from agentroute._log import get_logger
from agentroute.mcp._breaker import CircuitBreaker
from agentroute.mcp._errors import (
    McpCallFailedError,
    McpError,
    McpTimeoutError,
    McpUnavailableError,
)
from agentroute.mcp._spec import McpServerSpec
from agentroute.mcp._stdio import ConnectionWatch, kill_group, open_stdio, spawn
from agentroute.types import Health

__all__ = ["McpServer", "ServerState"]

log = get_logger(__name__)

ServerState = Literal["idle", "starting", "ready", "restarting", "down", "closed"]
_T = TypeVar("_T")
_CALLER_ERRORS = (mcp_types.INVALID_PARAMS, mcp_types.METHOD_NOT_FOUND)
_STABLE_UPTIME_S = 10.0
_MAX_PROBE_S = 300.0


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


async def _first(*events: anyio.Event) -> None:
    """Return as soon as any of ``events`` is set."""
    async with anyio.create_task_group() as tg:

        async def wait(event: anyio.Event) -> None:
            await event.wait()
            tg.cancel_scope.cancel()

        for event in events:
            tg.start_soon(wait, event)


def _signature(tools: Sequence[mcp_types.Tool]) -> set[tuple[str, str, str]]:
    """What a tool list says to a router: names, descriptions, argument schemas."""
    return {
        (t.name, t.description or "", json.dumps(t.input_schema, sort_keys=True, default=str))
        for t in tools
    }


class McpServer:
    """A supervised connection to one MCP server (stdio process, streamable HTTP endpoint or
    a Python server in this process)."""

    def __init__(self, spec: McpServerSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.tools: list[mcp_types.Tool] = []
        self.state: ServerState = "idle"
        self.restarts = 0
        self.last_error: str | None = None
        self._session: ClientSession | None = None
        self._watch: ConnectionWatch | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing: anyio.Event | None = None
        self._wake: anyio.Event | None = None
        self._changed: asyncio.Event | None = None
        self._first_attempt: asyncio.Event | None = None
        self._start_failures = 0
        self._down_since = 0.0
        self._said_failure: str | None = None
        """The failure last logged as a warning: the same one again, restart after restart,
        is logged at info (a missing command said it five times in a one-shot run)."""
        self.breaker = CircuitBreaker(spec.breaker_threshold, spec.breaker_cooldown_s)
        self._pids: set[int] = set()
        self._spare: anyio.abc.Process | None = None
        self.on_tools_changed: Callable[[McpServer], None] | None = None
        """Called (on the server's loop) when its tool list differs from the last one seen: a
        server that came up after the agent started, a restart with other tools, or a
        ``notifications/tools/list_changed``."""
        self._relisting: set[asyncio.Task[None]] = set()
        self.calls_in_flight = 0
        """Calls sent to the server and not answered yet (what a crash would take down)."""
        self._counted: ConnectionWatch | None = None
        """The connection whose death the breaker has counted (once for all its calls)."""

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start supervising; return once connected, raise ``McpUnavailableError`` if the first
        attempt fails (the supervisor keeps retrying in the background)."""
        if self._task is not None:
            raise RuntimeError(f"MCP server {self.name!r} is already started")
        self._loop = asyncio.get_running_loop()
        self._closing, self._wake = anyio.Event(), anyio.Event()
        self._changed, self._first_attempt = asyncio.Event(), asyncio.Event()
        self._task = self._loop.create_task(self._supervise(), name=f"mcp-server:{self.name}")
        await self._first_attempt.wait()
        if self.state != "ready":
            raise McpUnavailableError(
                self.name, f"server '{self.name}' failed to start: {self.last_error}"
            )

    async def aclose(self) -> None:
        """Close the session and stop the process (its whole process group); idempotent."""
        loop = self._loop
        if loop is not None and loop is not asyncio.get_running_loop() and not loop.is_running():
            self._kill_all()  # the owner loop is gone: nothing can shut down politely
            self._set_state("closed")
            return
        await on_loop(loop, self._aclose())

    async def _aclose(self) -> None:
        if self.state == "closed" and self._task is None:
            return
        if self._closing is not None:
            self._closing.set()
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(task), 10.0)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        self._kill_all()
        self._set_state("closed")

    def _kill_all(self) -> None:
        for pid in list(self._pids):
            kill_group(pid)
        self._pids.clear()

    # ---- calls -------------------------------------------------------------------------------

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
        self.calls_in_flight += 1
        try:
            async with asyncio.timeout_at(deadline):
                result = await session.call_tool(tool, arguments)
        except TimeoutError:
            fault = f"timed out after {limit:g}s calling '{tool}'"
            watch.mark_dead(fault, hung=True)
            raise self._failed(McpTimeoutError, f"{fault}; restarting", watch) from None
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
                raise self._failed(
                    McpCallFailedError, f"{watch.fault}; restarting", watch, unavailable=True
                ) from None
            raise self._failed(
                McpCallFailedError, f"returned error {exc.code} for '{tool}': {exc.message}"
            ) from None
        except (McpError, asyncio.CancelledError):
            raise
        except Exception as exc:
            watch.mark_dead(f"failed: {describe_error(exc)}")
            raise self._failed(
                McpCallFailedError, f"{watch.fault}; restarting", watch, unavailable=True
            ) from None
        finally:
            self.calls_in_flight -= 1
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

    def _failed(
        self,
        kind: type[McpError],
        fault: str,
        watch: ConnectionWatch | None = None,
        *,
        unavailable: bool | None = None,
    ) -> McpError:
        """The error for a failed call, counted once per fault by the breaker: the calls a
        crash or a hang takes down with one connection are one failure, not one each (else
        one crash under load opens the breaker, and the server, back at once, refuses calls
        for a whole cooldown)."""
        self.last_error = fault
        if watch is not None and watch is self._counted:
            self.breaker.release()  # a trial call on a connection already counted: no verdict
        else:
            self._counted = watch
            if self.breaker.failed():
                log.warning("mcp.breaker.open", server=self.name, failures=self.breaker.failures)
        log.warning("mcp.call.failed", server=self.name, error=fault)
        return kind(self.name, f"server '{self.name}' {fault}", unavailable=unavailable)

    # ---- supervision -----------------------------------------------------------------------

    def _set_state(self, state: ServerState) -> None:
        self.state = state
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    async def _supervise(self) -> None:
        assert self._closing is not None and self._wake is not None
        delay = self.spec.backoff_initial_s
        first = True
        while not self._closing.is_set():
            self._set_state("starting" if first else "restarting")
            up_at = await self._run_connection()
            if first and self._first_attempt is not None:
                self._first_attempt.set()
            first = False
            if self._closing.is_set():
                break
            self.restarts += 1
            if up_at is not None:
                self._start_failures = 0
                if time.monotonic() - up_at >= _STABLE_UPTIME_S:
                    delay = self.spec.backoff_initial_s
            else:
                self._start_failures += 1
            if self._start_failures > self.spec.max_restarts:
                self._down_since = time.monotonic()
                probes = self._start_failures - self.spec.max_restarts  # 1 on the first time
                self._set_state("down")
                (log.warning if probes == 1 else log.info)(
                    "mcp.server.down", server=self.name, error=self.last_error
                )
                # One more try when a call wants the server, or after a cooldown anyway: a
                # server whose tools nobody can call yet (down since start-up) must come back.
                # The cooldown doubles while it stays down (at most 5 min apart).
                wait_s = min(self.spec.breaker_cooldown_s * 2 ** (probes - 1), _MAX_PROBE_S)
                with anyio.move_on_after(max(wait_s, self.spec.breaker_cooldown_s)):
                    await _first(self._wake, self._closing)
                self._wake = anyio.Event()
                continue
            self._set_state("restarting")
            with anyio.move_on_after(delay):
                await self._closing.wait()
            delay = min(max(delay * 2, 0.05), self.spec.backoff_max_s)
        await self._drop_spare()
        self._set_state("closed")

    async def _run_connection(self) -> float | None:
        """Run one connection until it dies or we close; return when it came up (or None)."""
        assert self._closing is not None
        up_at: float | None = None
        watch = ConnectionWatch()
        try:
            async with contextlib.AsyncExitStack() as stack:
                if self.spec.transport == "in_process":
                    from agentroute.mcp._in_process import open_in_process

                    read, write, watch = await stack.enter_async_context(open_in_process(self.spec))
                elif self.spec.transport == "stdio":
                    spare, self._spare = self._spare, None
                    if spare is not None and spare.returncode is not None:
                        spare = None
                    _, _, proc = streams = await stack.enter_async_context(
                        open_stdio(self.spec, on_spawn=self._pids.add, process=spare)
                    )
                    stack.callback(self._pids.discard, proc.pid)
                    watch = proc
                    read, write = streams[0], streams[1]
                else:
                    read, write = await self._open_http(stack)
                session = await stack.enter_async_context(
                    ClientSession(read, write, message_handler=self._message_handler(watch))
                )
                try:
                    with anyio.fail_after(self.spec.startup_timeout_s):
                        await session.initialize()
                        listed = await session.list_tools()
                except TimeoutError:
                    watch.mark_dead(
                        f"did not finish initialising within {self.spec.startup_timeout_s:g}s",
                        hung=True,
                    )
                    raise
                if self.spec.warm_spare and self.spec.transport == "stdio" and self._spare is None:
                    await self._start_spare()
                self._session, self._watch = session, watch
                self._set_tools(listed.tools)
                up_at = time.monotonic()
                self.last_error = None
                self._said_failure = None
                self._set_state("ready")
                if self._first_attempt is not None:
                    self._first_attempt.set()
                log.info("mcp.server.ready", server=self.name, tools=len(self.tools))
                await _first(watch.dead, self._closing)
                self._session = None
                if not self._closing.is_set():
                    self._set_state("restarting")
        except Exception as exc:
            if not watch.dead.is_set():
                where = (
                    f"unreachable at {self.spec.url}: " if self.spec.url and up_at is None else ""
                )
                watch.mark_dead(where + describe_error(exc))
        finally:
            self._session = None
        if watch.fault is not None and not self._closing.is_set():
            excerpt = watch.stderr_excerpt() if up_at is None else ""
            self.last_error = watch.fault + (f" (stderr: {excerpt})" if excerpt else "")
            again = self.last_error == self._said_failure
            (log.info if again else log.warning)(
                "mcp.server.failed", server=self.name, error=self.last_error
            )
            self._said_failure = self.last_error
        return up_at

    async def _start_spare(self) -> None:
        try:
            self._spare = await spawn(self.spec)
        except OSError as exc:
            log.warning("mcp.server.spare_failed", server=self.name, error=str(exc))
            return
        self._pids.add(self._spare.pid)

    async def _drop_spare(self) -> None:
        spare, self._spare = self._spare, None
        if spare is not None:
            kill_group(spare.pid)
            self._pids.discard(spare.pid)
            with anyio.move_on_after(1.0), contextlib.suppress(Exception):
                await spare.aclose()

    async def _open_http(self, stack: contextlib.AsyncExitStack) -> tuple[Any, Any]:
        from mcp.client.streamable_http import streamable_http_client
        from mcp.shared._httpx_utils import create_mcp_http_client

        assert self.spec.url is not None
        client = await stack.enter_async_context(
            create_mcp_http_client(headers=dict(self.spec.headers) or None)
        )
        read, write = await stack.enter_async_context(
            streamable_http_client(self.spec.url, http_client=client)
        )
        return read, write

    def _message_handler(self, watch: ConnectionWatch) -> Any:
        async def handle(message: Any) -> None:
            if isinstance(message, Exception):
                watch.mark_dead(f"transport failed: {describe_error(message)}")
            elif isinstance(message, mcp_types.ToolListChangedNotification):
                # Not awaited here: the session's receive loop runs this handler and would
                # never read the list_tools response.
                task = asyncio.get_running_loop().create_task(self._relist())
                self._relisting.add(task)
                task.add_done_callback(self._relisting.discard)

        return handle

    async def _relist(self) -> None:
        session = self._session
        if session is None:
            return  # a reconnect lists the tools anyway
        try:
            with anyio.fail_after(self.spec.startup_timeout_s):
                listed = await session.list_tools()
        except Exception as exc:
            log.warning("mcp.server.relist_failed", server=self.name, error=describe_error(exc))
            return
        self._set_tools(listed.tools)

    def _set_tools(self, tools: Sequence[mcp_types.Tool]) -> None:
        before = _signature(self.tools)
        self.tools = list(tools)
        if _signature(self.tools) != before and self.on_tools_changed is not None:
            log.info("mcp.server.tools_changed", server=self.name, tools=len(self.tools))
            try:
                self.on_tools_changed(self)
            except Exception as exc:  # a listener's bug must not take the connection down
                log.warning("mcp.server.tools_listener_failed", server=self.name, error=repr(exc))

    # ---- introspection ---------------------------------------------------------------------

    @property
    def breaker_open(self) -> bool:
        return self.breaker.is_open

    @property
    def pid(self) -> int | None:
        """The server process id (stdio only, while running)."""
        watch = self._watch
        return getattr(watch, "pid", None) if self._session is not None else None

    def health(self) -> Health:
        ok = self.state == "ready" and not self.breaker_open
        parts: list[str] = [self.state]
        if self.breaker_open:
            parts.append("circuit breaker open")
        if self.restarts:
            parts.append(f"{self.restarts} restart{'s' if self.restarts != 1 else ''}")
        if self.last_error:
            parts.append(f"last error: {self.last_error}")
        return Health(ok=ok, detail="; ".join(parts))
