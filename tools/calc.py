"""MCP server ``calc``: exact arithmetic from a natural-language question.

Run: ``python -m agentroute_tools.calc`` (stdio) or ``... --http --port 8765``.
"""

from __future__ import annotations

import mcp_types
from agentroute_tools._calc import CalcError, calculate, format_number
from agentroute_tools._cli import main
from agentroute_tools._descriptions import tool_description
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["calculate_tool", "server"]

DESCRIPTION = tool_description("calculate")

server = MCPServer("calc", instructions="Exact arithmetic from natural language.")


@server.tool(name="calculate", description=DESCRIPTION)
def calculate_tool(query: str) -> mcp_types.CallToolResult:
    try:
        result = calculate(query)
    except CalcError as exc:
        raise ToolError(str(exc)) from None
    approx = format_number(result.value, True)
    structured = {
        "expression": result.expression,
        "result": format_number(result.value, result.approximate),
        "approximate": result.approximate,
        "value": float(approx) if "e" not in approx.lower() else float(result.value),
    }
    if result.verdict is not None:
        structured["verdict"] = result.verdict
    return mcp_types.CallToolResult(
        content=[mcp_types.TextContent(type="text", text=result.text)],
        structured_content=structured,
    )


if __name__ == "__main__":
    main(server)
