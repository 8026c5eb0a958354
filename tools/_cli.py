"""Command line shared by the tool servers: stdio by default, ``--http --port N`` for HTTP."""

from __future__ import annotations

import argparse
import asyncio

from mcp.server.mcpserver import MCPServer

__all__ = ["main"]


def main(server: MCPServer, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m agentroute_tools.{server.name}")
    parser.add_argument("--http", action="store_true", help="serve streamable HTTP, not stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if args.http:
        asyncio.run(server.run_streamable_http_async(host=args.host, port=args.port))
    else:
        asyncio.run(server.run_stdio_async())
