"""MCP server ``calc``: exact arithmetic from a natural-language question.

Run: ``python -m agentroute_tools.calc`` (stdio) or ``... --http --port 8765``; an agent runs
``server`` in its own process by default (``McpServerSpec(module="agentroute_tools.calc")``).
"""

from __future__ import annotations

import mcp_types
from agentroute_tools._calc import calculate, format_number
from agentroute_tools._cli import main
from agentroute_tools._descriptions import tool_description
from agentroute_tools._server import query_server

__all__ = ["calculate_tool", "server"]


def calculate_tool(query: str) -> mcp_types.CallToolResult:
    """The answer with its expression and value as structured content (a ``CalcError`` is
    the tool's error)."""
    result = calculate(query)
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


server = query_server(
    "calc",
    instructions="Exact arithmetic from natural language.",
    tool="calculate",
    description=tool_description("calculate"),
    answer=calculate_tool,
)


if __name__ == "__main__":
    main(server)
