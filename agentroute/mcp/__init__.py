"""MCP client side: supervised server connections, tools as targets, serving targets over MCP.

``McpHub(specs)`` starts every configured server (stdio process, streamable HTTP endpoint or a
Python server in this process), keeps one session open per server, restarts crashed servers,
and exposes each tool as an ``McpToolTarget`` named ``<server>.<tool>``.
``build_target_server`` goes the other way: it serves any targets (experts, knowledge bases,
whole agents) as MCP tools.

Names load on first use: most import mcp (a second of CPU), which a command that only reads a
configuration must not pay.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

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
    from agentroute.mcp._spec import DEFAULT_ENV_ALLOW, McpServerSpec
    from agentroute.mcp._target import McpToolTarget

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "McpCallFailedError": "agentroute.mcp._errors",
        "McpError": "agentroute.mcp._errors",
        "McpTimeoutError": "agentroute.mcp._errors",
        "McpUnavailableError": "agentroute.mcp._errors",
        "McpHub": "agentroute.mcp._hub",
        "build_target_server": "agentroute.mcp._serve",
        "run_server": "agentroute.mcp._serve",
        "run_server_async": "agentroute.mcp._serve",
        "McpServer": "agentroute.mcp._server",
        "DEFAULT_ENV_ALLOW": "agentroute.mcp._spec",
        "McpServerSpec": "agentroute.mcp._spec",
        "McpToolTarget": "agentroute.mcp._target",
    },
)

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
