"""MCP client side: supervised server connections, tools as targets, serving targets over MCP.

``McpHub(specs)`` starts every configured server (stdio process, streamable HTTP endpoint or a
Python server in this process), keeps one session open per server, restarts crashed servers,
and exposes each tool as an ``McpToolTarget`` named ``<server>.<tool>``.
``build_target_server`` goes the other way: it serves any targets (experts, knowledge bases,
whole agents) as MCP tools.

Only ``McpServerSpec`` loads with the package: the rest imports mcp (a second of CPU), which a
command that only reads a configuration must not pay.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from agentroute.mcp._spec import DEFAULT_ENV_ALLOW, McpServerSpec

if TYPE_CHECKING:
    from agentroute.mcp._errors import (
        McpCallFailedError,
        McpError,
        McpTimeoutError,
        McpUnavailableError,
    )
    from agentroute.mcp._hub import McpHub
    from agentroute.mcp._serve import build_target_server, run_server, run_server_async
    from agentroute.mcp._server import McpServer
    from agentroute.mcp._target import McpToolTarget

__all__ = [
    "DEFAULT_ENV_ALLOW",
    "McpCallFailedError",
    "McpError",
    "McpHub",
    "McpServer",
    "McpServerSpec",
    "McpTimeoutError",
    "McpToolTarget",
    "McpUnavailableError",
    "build_target_server",
    "run_server",
    "run_server_async",
]

_HOME = {
    "McpCallFailedError": "_errors",
    "McpError": "_errors",
    "McpTimeoutError": "_errors",
    "McpUnavailableError": "_errors",
    "McpHub": "_hub",
    "build_target_server": "_serve",
    "run_server": "_serve",
    "run_server_async": "_serve",
    "McpServer": "_server",
    "McpToolTarget": "_target",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
