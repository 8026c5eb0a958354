"""An in-process test MCP server whose ``boom`` tool raises (a bug in a tool, not a refusal).

Served with ``McpServerSpec(name=..., module="raising_server")``; ``echo`` answers normally.
"""

from __future__ import annotations

from typing import Any

import mcp_types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

_QUERY = {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
TOOLS = [
    mcp_types.Tool(name="boom", description="Always raises.", input_schema=_QUERY),
    mcp_types.Tool(name="echo", description="Return the query unchanged.", input_schema=_QUERY),
]


async def list_tools(
    ctx: ServerRequestContext[Any], params: mcp_types.PaginatedRequestParams | None
) -> mcp_types.ListToolsResult:
    return mcp_types.ListToolsResult(tools=TOOLS)


async def call_tool(
    ctx: ServerRequestContext[Any], params: mcp_types.CallToolRequestParams
) -> mcp_types.CallToolResult:
    query = str((params.arguments or {}).get("query", ""))
    if params.name == "boom":
        raise RuntimeError(f"boom on {query!r}")
    return mcp_types.CallToolResult(content=[mcp_types.TextContent(type="text", text=query)])


server = Server("raising", on_list_tools=list_tools, on_call_tool=call_tool)

not_a_server = "a module attribute that is no MCP server"
