"""MCP server ``units``: unit conversion from a natural-language question.

Run: ``python -m agentroute_tools.units`` (stdio) or ``... --http --port 8765``; an agent runs
``server`` in its own process by default (``McpServerSpec(module="agentroute_tools.units")``).
"""

from __future__ import annotations

import mcp_types
from agentroute_tools._cli import main
from agentroute_tools._descriptions import tool_description
from agentroute_tools._server import query_server
from agentroute_tools._units import convert, format_quantity

__all__ = ["convert_tool", "server"]


def convert_tool(query: str) -> mcp_types.CallToolResult:
    """The converted quantity with its units as structured content (a ``UnitsError`` is the
    tool's error)."""
    result = convert(query)
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


server = query_server(
    "units",
    instructions="Unit conversion from natural language.",
    tool="convert",
    description=tool_description("convert"),
    answer=convert_tool,
)


if __name__ == "__main__":
    main(server)
