"""Our stdio transport: spawn a server with an allow-listed environment and watch it.

Why not ``mcp.client.stdio.stdio_client``: it always merges its own inherited variables into the
child's environment, hides the process (no pid, no exit code for error messages) and passes
garbage on stdout to the session as a value that never fails the waiting call. Here the
environment is exactly what the spec allows, every fault is recorded as a sentence a user can
act on ("crashed (exit code -9)"), and shutdown kills the whole process group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import anyio
import anyio.abc
import mcp_types
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.shared.message import SessionMessage

from agentroute._log import get_logger
from agentroute.mcp._spec import McpServerSpec

__all__ = ["ConnectionWatch", "StdioProcess", "build_env", "kill_group", "open_stdio", "spawn"]

log = get_logger(__name__)

_STDERR_TAIL_LINES = 20
_GRACE_S = 1.0
_TERM_S = 0.5


def build_env(spec: McpServerSpec, parent: dict[str, str] | None = None) -> dict[str, str]:
    """The child's whole environment: allow-listed parent variables, then explicit values."""
    source = os.environ if parent is None else parent
    env = {k: source[k] for k in spec.env_allow if k in source and not source[k].startswith("()")}
    env.update(spec.env)
    return env


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal the process group led by ``pid`` (the server runs in its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


@dataclass
class ConnectionWatch:
    """Whether a connection is dead, and why (set by the transport or by a failed call)."""

    fault: str | None = None
    """Why the connection died, as a phrase: ``crashed (exit code -9)``."""
    dead: anyio.Event = field(default_factory=anyio.Event)
    hung: bool = False
    """The server stopped answering: skip the polite shutdown grace period."""

    def mark_dead(self, fault: str, *, hung: bool = False) -> None:
        if self.fault is None:
            self.fault = fault
            self.hung = hung
        self.dead.set()

    def stderr_excerpt(self) -> str:
        return ""


@dataclass
class StdioProcess(ConnectionWatch):
    """What the supervisor knows about a running server process."""

    pid: int = 0
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=_STDERR_TAIL_LINES))
    returncode: int | None = None

    def stderr_excerpt(self) -> str:
        lines = [line for line in self.stderr_tail if line.strip()]
        return lines[-1][:300] if lines else ""


async def spawn(spec: McpServerSpec) -> anyio.abc.Process:
    """Start the server process (own session and process group, allow-listed environment)."""
    return await anyio.open_process(
        spec.argv(),
        env=build_env(spec),
        cwd=spec.cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@contextlib.asynccontextmanager
async def open_stdio(
    spec: McpServerSpec,
    on_spawn: Callable[[int], None] | None = None,
    process: anyio.abc.Process | None = None,
) -> AsyncIterator[
    tuple[
        MemoryObjectReceiveStream[SessionMessage | Exception],
        MemoryObjectSendStream[SessionMessage],
        StdioProcess,
    ]
]:
    """Spawn the server (or adopt a pre-spawned ``process``) and yield the session's
    streams plus the watched process.

    Must be entered and exited in the same task (anyio cancel scopes).
    """
    if process is None:
        process = await spawn(spec)
    proc = StdioProcess(pid=process.pid)
    if on_spawn is not None:
        on_spawn(process.pid)
    read_writer, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)

    async def wait_exit(timeout: float) -> int | None:
        with anyio.move_on_after(timeout):
            while process.returncode is None:
                await anyio.sleep(0.01)
        proc.returncode = process.returncode
        return process.returncode

    async def stdout_reader() -> None:
        assert process.stdout is not None
        buffer = b""
        async with read_writer:
            try:
                async for chunk in process.stdout:
                    buffer += chunk
                    *lines, buffer = buffer.split(b"\n")
                    for raw in lines:
                        line = raw.strip()
                        if not line:
                            continue
                        try:
                            message = mcp_types.jsonrpc_message_adapter.validate_json(
                                line, by_name=False
                            )
                        except ValueError:
                            text = line.decode("utf-8", "replace")
                            proc.mark_dead(f"wrote invalid output on stdout: {text[:200]!r}")
                            return
                        await read_writer.send(SessionMessage(message))
            except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
                pass
            if proc.fault is None:
                code = await wait_exit(1.0)
                if code is None:
                    proc.mark_dead("closed its stdout")
                elif code == 0:
                    proc.mark_dead("exited (exit code 0)")
                else:
                    proc.mark_dead(f"crashed (exit code {code})")

    async def stdin_writer() -> None:
        assert process.stdin is not None
        try:
            async with write_reader:
                async for message in write_reader:
                    data = message.message.model_dump_json(by_alias=True, exclude_unset=True)
                    await process.stdin.send((data + "\n").encode())
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            code = await wait_exit(0.5)
            proc.mark_dead(
                f"crashed (exit code {code})" if code is not None else "broken pipe on stdin"
            )
            await read_writer.aclose()

    async def stderr_reader() -> None:
        assert process.stderr is not None
        buffer = b""
        with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            async for chunk in process.stderr:
                buffer = (buffer + chunk)[-65536:]
                *lines, buffer = buffer.split(b"\n")
                for raw in lines:
                    proc.stderr_tail.append(raw.decode("utf-8", "replace"))

    async def shutdown() -> None:
        write_stream.close()
        read_stream.close()
        assert process.stdin is not None
        with contextlib.suppress(OSError, anyio.BrokenResourceError, anyio.ClosedResourceError):
            await process.stdin.aclose()
        grace = 0.0 if proc.hung else _GRACE_S
        if await wait_exit(grace) is None:
            kill_group(process.pid, signal.SIGTERM)
            if await wait_exit(_TERM_S) is None:
                kill_group(process.pid, signal.SIGKILL)
                await wait_exit(2.0)
        # Grandchildren left in the group must not outlive their server.
        kill_group(process.pid, signal.SIGKILL)
        with anyio.move_on_after(1.0):
            await process.aclose()

    async with anyio.create_task_group() as tg:
        tg.start_soon(stdout_reader)
        tg.start_soon(stdin_writer)
        tg.start_soon(stderr_reader)
        try:
            yield read_stream, write_stream, proc
        finally:
            proc.dead.set()
            with anyio.CancelScope(shield=True):
                await shutdown()
            tg.cancel_scope.cancel()
    log.debug("mcp.stdio.closed", server=spec.name, pid=proc.pid, returncode=proc.returncode)
