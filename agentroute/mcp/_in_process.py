"""The in-process transport: a Python MCP server served inside the agent's own event loop.

The project's own tool servers need no process of their own: a subprocess costs an interpreter
start-up and a second import of mcp (seconds of CPU) for a tool that answers in a millisecond,
and must be stopped on exit. Here the server object runs as a task beside the client session,
over MCP's in-memory transport (what ``mcp.Client(server)`` uses), so the session, the calls and
every failure path are the same as over stdio.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator
from typing import Any

from mcp.client._memory import InMemoryTransport
from mcp.server.lowlevel import Server
from mcp.server.mcpserver import MCPServer

from agentroute.mcp._spec import McpServerSpec
from agentroute.mcp._stdio import ConnectionWatch

__all__ = ["load_server", "open_in_process"]

SERVER_ATTRIBUTE = "server"


def load_server(module: str) -> Server[Any] | MCPServer:
    """The MCP server object ``module.server``; a ``ValueError`` saying what is missing."""
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        raise ValueError(f"cannot import module {module!r}: {exc}") from None
    server = getattr(loaded, SERVER_ATTRIBUTE, None)
    if not isinstance(server, Server | MCPServer):
        raise ValueError(
            f"module {module!r} has no MCP server named {SERVER_ATTRIBUTE!r} "
            f"(found {type(server).__name__})"
        )
    return server


@contextlib.asynccontextmanager
async def open_in_process(spec: McpServerSpec) -> AsyncIterator[tuple[Any, Any, ConnectionWatch]]:
    """Serve ``spec.module``'s server on this loop; yield the session's streams and a watch.

    Must be entered and exited in the same task (anyio cancel scopes). A tool that raises
    comes back as an error result or an MCP error, as over any transport; the connection only
    dies if the server's own loop ends, which the watch then records.
    """
    assert spec.module is not None
    server = load_server(spec.module)
    watch = ConnectionWatch()
    async with InMemoryTransport(server) as (read, write):
        try:
            yield read, write, watch
        finally:
            watch.dead.set()
