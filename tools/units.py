"""MCP server ``units``: unit conversion from a natural-language question.

Run: ``python -m agentroute_tools.units`` (stdio) or ``... --http --port 8765``.
"""

from __future__ import annotations

import mcp_types
from agentroute_tools._cli import main
from agentroute_tools._units import UnitsError, convert, format_quantity
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["convert_tool", "server"]

DESCRIPTION = """\
Unit converter: converts a quantity from one unit of measurement to another, exactly. Covers \
length/distance (km, miles, feet, inches), mass/weight (kg, pounds, ounces, stone), volume \
(litres, US and imperial gallons, pints, cups), temperature (Celsius, Fahrenheit, Kelvin), \
time/duration, speed (km/h, mph, knots), data sizes (MB, GiB, megabits) and area (acres, \
hectares, square feet). Ask in plain English.

Examples:
- how many kilometres are 5 miles
- convert 100 °F to °C
- 2.5 kg in pounds
- how many ounces in a pound
- 60 mph to km/h
- 1 GiB in MB
- 1 acre in square metres
"""

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
