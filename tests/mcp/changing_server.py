"""A test MCP server whose tool list changes while it runs.

Run as ``python changing_server.py [--wait-for FILE]``: with ``--wait-for``, it exits at once
(a failed start) until FILE exists, like a server whose dependency is not up yet. Calling
``unlock`` adds the ``quarterly_report`` tool and announces ``tools/list_changed``;
``lock`` removes it again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mcp.server.mcpserver import Context, MCPServer

server = MCPServer("changing")


@server.tool()
def echo(query: str) -> str:
    """Return the query unchanged."""
    return query


def quarterly_report(quarter: str) -> str:
    """Summarise the sales figures of one quarter of the year."""
    return f"report for {quarter}: sales up 12%"


@server.tool()
async def unlock(ctx: Context) -> str:
    """Enable the reporting tools."""
    server.add_tool(quarterly_report)
    await ctx.session.send_tool_list_changed()
    return "unlocked"


@server.tool()
async def lock(ctx: Context) -> str:
    """Disable the reporting tools."""
    server.remove_tool("quarterly_report")
    await ctx.session.send_tool_list_changed()
    return "locked"


if __name__ == "__main__":
    if "--wait-for" in sys.argv and not Path(sys.argv[sys.argv.index("--wait-for") + 1]).exists():
        sys.exit("dependency not ready")
    server.run()
