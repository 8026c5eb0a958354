"""MCP server ``calc``: exact arithmetic from a natural-language question.

Run: ``python -m agentroute_tools.calc`` (stdio) or ``... --http --port 8765``.
"""

from __future__ import annotations

import mcp_types
from agentroute_tools._calc import CalcError, calculate, format_number
from agentroute_tools._cli import main
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["calculate_tool", "server"]

DESCRIPTION = """\
Exact arithmetic calculator: evaluates a math expression or an arithmetic question written in \
plain English and returns the exact result (integers, fractions, exact decimals). Handles \
addition, subtraction, multiplication, division, powers, percentages, square and cube roots, \
factorials, remainders and averages. Use it for any sum, product, percentage or other \
numeric computation instead of guessing.

Examples:
- What is 17 * 23
- what is 2 to the power of 10
- 12.5% of 80
- square root of 144
- (3+4)*5
- divide 10 by 4
- what is the average of 3, 5 and 10
"""

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
