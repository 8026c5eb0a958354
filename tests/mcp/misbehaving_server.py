"""A test MCP server whose tools misbehave on purpose (hang, crash, write garbage).

Run as ``python misbehaving_server.py [--garbage-at-start] [--http PORT]``.
"""

from __future__ import annotations

import asyncio
import os
import sys

from mcp.server.mcpserver import Context, MCPServer

server = MCPServer("misbehaving")
# The SDK diverts fd 1 to stderr while serving; keep our own handle on the real stdout pipe so
# the garbage tool can corrupt the wire like a non-SDK server would.
WIRE = os.dup(1)


@server.tool()
def echo(query: str) -> str:
    """Return the query unchanged."""
    return query


@server.tool()
def env_keys() -> str:
    """Return the names of this process's environment variables, one per line."""
    return "\n".join(sorted(os.environ))


@server.tool()
def pid() -> str:
    """Return this server's process id."""
    return str(os.getpid())


@server.tool()
async def hang(query: str) -> str:
    """Never answer."""
    await asyncio.sleep(3600)
    return query


@server.tool()
def crash(query: str) -> str:
    """Exit the process abruptly."""
    os._exit(3)


@server.tool()
def garbage(query: str) -> str:
    """Write a non-JSON line to stdout, then answer."""
    os.write(WIRE, b"this is not json-rpc\n")
    return query


@server.tool()
def fail(query: str) -> str:
    """Report a tool error."""
    raise ValueError(f"cannot handle {query!r}")


@server.tool()
def add(a: int, b: int) -> str:
    """Add two integers."""
    return str(a + b)


@server.tool()
def spawn_child() -> str:
    """Start a long-lived grandchild process and return its pid."""
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    return str(child.pid)


@server.tool()
def authorization(ctx: Context) -> str:
    """Return the Authorization header this request came with (HTTP only)."""
    headers = ctx.headers or {}
    return headers.get("authorization", "<none>")


if __name__ == "__main__":
    if "--garbage-at-start" in sys.argv:
        os.write(1, b"hello from a chatty server\n")
    if "--http" in sys.argv:
        port = int(sys.argv[sys.argv.index("--http") + 1])
        asyncio.run(server.run_streamable_http_async(host="127.0.0.1", port=port))
    else:
        server.run()
