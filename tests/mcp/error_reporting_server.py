"""A test MCP server that answers with whatever text it is told to, flagged or not.

Servers word failures in their own way, some without setting ``isError``; ``reply`` lets a test
send any such wording back through a real MCP session. Run as ``python error_reporting_server.py``.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent

server = MCPServer("error-reporting")


@server.tool()
def reply(text: str, is_error: bool = False) -> CallToolResult:
    """Return ``text`` as the result's only text content, with ``isError`` as given."""
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=is_error)


@server.tool()
def read_record(name: str) -> str:
    """Look a record up; a missing one is reported in plain text, as some servers do."""
    records = {"alpha": "alpha: the first record"}
    return records.get(name, f"{name}: Error - record not found")


if __name__ == "__main__":
    server.run()
