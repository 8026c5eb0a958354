"""Command line common to the tool servers: stdio by default, ``--http --port N`` for HTTP."""

from __future__ import annotations

import argparse
import gc
from typing import Any

import anyio
from mcp.server.lowlevel import Server

__all__ = ["main"]


async def _stdio(server: Server[Any]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


async def _http(server: Server[Any], host: str, port: int) -> None:
    import uvicorn

    app = server.streamable_http_app(host=host)
    await uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).serve()


def main(server: Server[Any], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m agentroute_tools.{server.name}")
    parser.add_argument("--http", action="store_true", help="serve streamable HTTP, not stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if args.http:
        anyio.run(_http, server, args.host, args.port)
    else:
        anyio.run(_stdio, server)
    # Served: exit without the interpreter's final collection of the heap (it holds no data
    # to flush), so the agent closing us does not wait on it.
    gc.freeze()
