"""Serve targets (experts, knowledge bases, whole agents) as MCP tools taking ``query: str``.

This is how one router becomes a tool of another: ``agentroute serve expert NAME`` wraps
``build_target_server`` + ``run_server``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal, Protocol, cast, runtime_checkable

import anyio
import mcp_types
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from agentroute._log import level_name
from agentroute._runtime import resume_collection
from agentroute.protocols import Target, bounded_invoke
from agentroute.types import TargetKind

__all__ = ["Askable", "build_target_server", "run_server", "run_server_async"]

_TOOL_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
DEFAULT_TIMEOUT_S = 120.0


@runtime_checkable
class Askable(Protocol):
    """Anything that answers a question (e.g. a whole agent)."""

    async def ask(self, query: str) -> str: ...


def _tool_name(name: str) -> str:
    return _TOOL_NAME.sub("_", name).strip("_") or "ask"


def _describe(item: Target | Askable, name: str) -> tuple[str, str]:
    if isinstance(item, Target):
        d = item.descriptor
        text = d.description or f"Ask {d.name}."
        if d.examples:
            text += "\n\nExamples:\n" + "\n".join(f"- {e}" for e in d.examples)
        return _tool_name(d.name), text
    description = getattr(item, "description", "") or (type(item).__doc__ or "").strip()
    return _tool_name(getattr(item, "name", name)), (
        description or f"Ask {name} a question in natural language."
    )


def _asked(query: str, tool_name: str) -> None:
    """An empty question is the caller's mistake: a tool error, not an 'answer' to nothing."""
    if not query.strip():
        raise ToolError(f"{tool_name}: empty query: ask a question")


def _make_tool(item: Target | Askable, tool_name: str, timeout_s: float) -> Any:
    if isinstance(item, Target):

        async def answer(query: str, args: dict[str, Any] | None) -> mcp_types.CallToolResult:
            _asked(query, tool_name)
            obs = await bounded_invoke(item, "serve", query, args, timeout=timeout_s)
            if not obs.ok:
                raise ToolError(obs.error or f"{tool_name} failed")
            sources = [s.model_dump(mode="json", exclude_none=True) for s in obs.sources]
            return mcp_types.CallToolResult(
                content=[mcp_types.TextContent(type="text", text=obs.result)],
                structured_content={"result": obs.result, "sources": sources},
            )

        if item.descriptor.kind is not TargetKind.KNOWLEDGE:

            async def ask_target(query: str) -> mcp_types.CallToolResult:
                return await answer(query, None)

            return ask_target

        async def search_knowledge(
            query: str, k: int | None = None, where: dict[str, Any] | None = None
        ) -> mcp_types.CallToolResult:
            """``k``: how many passages at most; ``where``: a metadata filter (chromadb's
            syntax, e.g. ``{"section": "admin"}``)."""
            args = {
                "query": query,
                **({"k": k} if k else {}),
                **({"where": where} if where else {}),
            }
            return await answer(query, args)

        return search_knowledge

    async def ask(query: str) -> mcp_types.CallToolResult:
        _asked(query, tool_name)
        with anyio.fail_after(timeout_s):
            answer = await item.ask(query)
        return mcp_types.CallToolResult(
            content=[mcp_types.TextContent(type="text", text=str(answer))],
            structured_content={"result": str(answer)},
        )

    return ask


def build_target_server(
    targets: Sequence[Target | Askable],
    name: str,
    *,
    instructions: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> MCPServer:
    """An MCP server with one tool per target; each takes one argument ``query: str``.

    A target's failure (``ok=False``) becomes an MCP tool error carrying its message.
    """
    if not targets:
        raise ValueError(f"build_target_server({name!r}): no targets to serve")
    # MCPServer sets the root logger to its level (INFO by default): a served expert's
    # stderr carried every request's and the HTTP client's retries in rich's boxes
    level = cast(Any, level_name().upper())
    server: MCPServer = MCPServer(name, instructions=instructions, log_level=level)
    seen: set[str] = set()
    for item in targets:
        if not isinstance(item, Target | Askable):
            raise TypeError(
                f"build_target_server({name!r}): {item!r} is neither a Target nor has async ask()"
            )
        tool_name, description = _describe(item, name)
        if tool_name in seen:
            raise ValueError(
                f"build_target_server({name!r}): two targets map to tool {tool_name!r}"
            )
        seen.add(tool_name)
        server.add_tool(
            _make_tool(item, tool_name, timeout_s), name=tool_name, description=description
        )
    return server


async def run_server_async(
    server: MCPServer,
    transport: Literal["stdio", "http"] = "stdio",
    host: str = "127.0.0.1",
    port: int = 8765,
) -> None:
    """Serve until cancelled (stdio: until stdin closes)."""
    resume_collection()  # a server runs long: its start-up is over
    if transport == "stdio":
        await server.run_stdio_async()
    elif transport == "http":
        await server.run_streamable_http_async(host=host, port=port)
    else:
        raise ValueError(f"transport must be 'stdio' or 'http', not {transport!r}")


def run_server(
    server: MCPServer,
    transport: Literal["stdio", "http"] = "stdio",
    host: str = "127.0.0.1",
    port: int = 8765,
) -> None:
    """Blocking entry point for CLIs (``agentroute serve ...``, ``python -m agentroute_tools.X``)."""
    anyio.run(run_server_async, server, transport, host, port)
