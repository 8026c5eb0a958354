"""MCP client side: supervised server connections, tools as targets, serving targets over MCP.

``McpHub(specs)`` starts every configured server (stdio process or streamable HTTP endpoint),
keeps one session open per server, restarts crashed servers, and exposes each tool as an
``McpToolTarget`` named ``<server>.<tool>``. ``build_target_server`` goes the other way: it
serves any targets (experts, knowledge bases, whole agents) as MCP tools.
"""

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
