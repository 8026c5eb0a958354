"""All configured MCP servers: started in parallel, exposed as one target per tool."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Self

from agentroute._log import get_logger
from agentroute.mcp._errors import McpError
from agentroute.mcp._server import McpServer
from agentroute.mcp._spec import McpServerSpec
from agentroute.mcp._target import McpToolTarget
from agentroute.types import Health

__all__ = ["McpHub"]

log = get_logger(__name__)


class McpHub:
    """Start, expose and close a set of MCP servers.

    A server that fails to start is reported unhealthy (see ``health()``) and keeps being
    retried in the background; it never stops the others from starting.
    """

    def __init__(self, specs: Iterable[McpServerSpec]) -> None:
        self.servers: dict[str, McpServer] = {}
        for spec in specs:
            if spec.name in self.servers:
                raise ValueError(f"two MCP servers are both named {spec.name!r}")
            if spec.enabled:
                self.servers[spec.name] = McpServer(spec)
        self.start_errors: dict[str, str] = {}

    async def start(self) -> None:
        """Start every enabled server in parallel."""

        async def start_one(server: McpServer) -> None:
            try:
                await server.start()
            except McpError as exc:
                self.start_errors[server.name] = str(exc)
                # the server has warned of its own failure: said again, a one-shot run's
                # stderr carried the same error twice
                said = server.last_error is not None and server.last_error in str(exc)
                (log.info if said else log.warning)(
                    "mcp.hub.start_failed", server=server.name, error=str(exc)
                )

        await asyncio.gather(*(start_one(s) for s in self.servers.values()))

    def targets(self) -> list[McpToolTarget]:
        """One target per tool of every server that is up, named ``<server>.<tool>``."""
        return [target for server in self.servers.values() for target in self.targets_of(server)]

    def on_tools_changed(self, listener: Callable[[McpServer], None]) -> None:
        """Call ``listener(server)`` whenever a server's tool list changes (see
        ``McpServer.on_tools_changed``); `targets_of` gives its targets then."""
        for server in self.servers.values():
            server.on_tools_changed = listener

    def targets_of(self, server: McpServer) -> list[McpToolTarget]:
        return [McpToolTarget(server, tool) for tool in server.tools]

    def health(self) -> dict[str, Health]:
        return {name: server.health() for name, server in self.servers.items()}

    async def aclose(self) -> None:
        """Close every server (leaves no server process behind)."""
        await asyncio.gather(*(s.aclose() for s in self.servers.values()), return_exceptions=True)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
