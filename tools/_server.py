"""The shape of every tool server here: one MCP server with one tool taking ``query: str``.

Built on the low-level ``mcp.server.lowlevel.Server``, not ``MCPServer``: constructing an
``MCPServer`` points the process's root logger at a rich console, which an agent running these
servers in its own process (over MCP's in-memory transport) must not get, nor pay rich's import
for. The client side of MCP imports the low-level server anyway, so building one costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mcp_types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

__all__ = ["query_server"]

Answer = Callable[[str], mcp_types.CallToolResult]


def _failed(text: str) -> mcp_types.CallToolResult:
    return mcp_types.CallToolResult(
        content=[mcp_types.TextContent(type="text", text=text)], is_error=True
    )


def query_server(
    name: str, *, instructions: str, tool: str, description: str, answer: Answer
) -> Server[Any]:
    """A server whose one tool ``tool(query)`` returns ``answer(query)``.

    Any exception ``answer`` raises is the tool's error (a result with ``is_error`` set, worded
    ``Error executing tool <tool>: <message>``), never a protocol failure: a question the tool
    cannot answer must not look like a broken server. ``answer`` runs inline on the server's
    loop: both tools bound their work, and a thread hop would cost more than the answer.
    """
    listed = mcp_types.Tool(
        name=tool,
        description=description,
        input_schema={
            "type": "object",
            "properties": {"query": {"title": "Query", "type": "string"}},
            "required": ["query"],
            "title": f"{tool}_toolArguments",
        },
    )

    async def list_tools(
        ctx: ServerRequestContext[Any], params: mcp_types.PaginatedRequestParams | None
    ) -> mcp_types.ListToolsResult:
        return mcp_types.ListToolsResult(tools=[listed])

    async def call_tool(
        ctx: ServerRequestContext[Any], params: mcp_types.CallToolRequestParams
    ) -> mcp_types.CallToolResult:
        if params.name != tool:
            return _failed(f"Unknown tool: {params.name}")
        query = (params.arguments or {}).get("query")
        if not isinstance(query, str):
            return _failed(f"Error executing tool {tool}: argument 'query' must be a string")
        try:
            return answer(query)
        except Exception as exc:
            return _failed(f"Error executing tool {tool}: {exc}")

    return Server(name, instructions=instructions, on_list_tools=list_tools, on_call_tool=call_tool)
