"""MCP server ``units``: unit conversion from a natural-language question.

Run: ``python -m agentroute_tools.units`` (stdio) or ``... --http --port 8765``.
"""

from __future__ import annotations

import mcp_types
from agentroute_tools._cli import main
from agentroute_tools._descriptions import tool_description
from agentroute_tools._units import UnitsError, convert, format_quantity
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["convert_tool", "server"]

DESCRIPTION = tool_description("convert")

server = MCPServer("units", instructions="Unit conversion from natural language.")


@server.tool(name="convert", description=DESCRIPTION)
def convert_tool(query: str) -> mcp_types.CallToolResult:
    try:
        result = convert(query)
    except UnitsError as exc:
        raise ToolError(str(exc)) from None
    exact, shown = format_quantity(result.result)
    return mcp_types.CallToolResult(
        content=[mcp_types.TextContent(type="text", text=result.text)],
        structured_content={
            "quantity": result.value_text,
            "from_unit": result.source.symbol,
            "to_unit": result.target.symbol,
            "dimension": result.source.dimension,
            "result": shown,
            "exact": exact,
            "value": float(result.result),
        },
    )


if __name__ == "__main__":
    main(server)
