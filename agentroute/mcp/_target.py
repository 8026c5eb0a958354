"""One MCP tool as a routing target (``<server>.<tool>``)."""

from __future__ import annotations

import re
import time
from typing import Any, Literal

import mcp_types

from agentroute._log import get_logger
from agentroute.mcp._error_reports import error_report
from agentroute.mcp._errors import McpError
from agentroute.mcp._server import McpServer
from agentroute.text import tool_effect
from agentroute.types import Health, Observation, Source, TargetDescriptor, TargetKind

__all__ = ["McpToolTarget", "query_argument"]

log = get_logger(__name__)

Effect = Literal["read", "write", "destructive"]

_EXAMPLE_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+?)\s*$")


def query_argument(schema: dict[str, Any] | None) -> str | None:
    """The property a natural-language query goes into, if the schema makes that obvious.

    Exactly one required string property, or else exactly one string property in total.
    """
    if not schema:
        return None
    props = schema.get("properties") or {}
    strings = [k for k, v in props.items() if isinstance(v, dict) and v.get("type") == "string"]
    required = [k for k in schema.get("required") or [] if k in strings]
    other_required = [k for k in schema.get("required") or [] if k not in strings]
    if len(required) == 1 and not other_required:
        return required[0]
    if len(strings) == 1 and not other_required:
        return strings[0]
    return None


def tool_effect_of(tool: mcp_types.Tool) -> Effect | None:
    """What the tool may do to the world: its MCP annotations where the server gives them
    (``readOnlyHint``; then ``destructiveHint``, which the spec takes as true when unsaid),
    else what its name and description say (`agentroute.text.tool_effect`)."""
    hints = tool.annotations
    if hints is not None and hints.read_only_hint is not None:
        if hints.read_only_hint:
            return "read"
        return "write" if hints.destructive_hint is False else "destructive"
    inferred = tool_effect(tool.name, tool.description or tool.title or "")
    if inferred == "write" and hints is not None and hints.destructive_hint:
        return "destructive"
    return inferred


def with_defaults(schema: dict[str, Any] | None, defaults: dict[str, Any]) -> dict[str, Any] | None:
    """``schema`` with the server-level ``defaults`` as its properties' ``default``: argument
    filling takes a required field's default when the request gives no value."""
    props = (schema or {}).get("properties") or {}
    if not schema or not any(name in props for name in defaults):
        return schema
    filled = {
        name: {**prop, "default": defaults[name]}
        if name in defaults and isinstance(prop, dict)
        else prop
        for name, prop in props.items()
    }
    return {**schema, "properties": filled}


def description_examples(description: str) -> list[str]:
    """Bullet lines after an ``Examples:`` heading in a tool description."""
    lines = description.splitlines()
    for i, line in enumerate(lines):
        if line.strip().lower().rstrip(":") in ("examples", "example", "e.g."):
            found: list[str] = []
            for rest in lines[i + 1 :]:
                match = _EXAMPLE_LINE.match(rest)
                if not match:
                    if found:
                        break
                    continue
                found.append(match.group(1).strip().strip('"'))
            return found
    return []


class McpToolTarget:
    """Invoke one tool of a supervised MCP server; never raises for a server-side failure."""

    def __init__(self, server: McpServer, tool: mcp_types.Tool) -> None:
        self.server = server
        self.tool = tool.name
        description = tool.description or tool.title or ""
        schema = dict(tool.input_schema) if tool.input_schema else None
        self._descriptor = TargetDescriptor(
            name=f"{server.name}.{tool.name}",
            kind=TargetKind.TOOL,
            description=description,
            examples=[*description_examples(description), *server.spec.examples.get(tool.name, [])],
            input_schema=with_defaults(schema, server.spec.argument_defaults()),
            server=server.name,
            latency_s=0.002,
            effect=tool_effect_of(tool),
        )
        self._query_arg = query_argument(self._descriptor.input_schema)

    @property
    def descriptor(self) -> TargetDescriptor:
        return self._descriptor

    @property
    def name(self) -> str:
        return self._descriptor.name

    @property
    def available(self) -> bool:
        """Whether its server takes calls now (not restarting, down, or refusing behind an
        open breaker). The tool stays a target meanwhile: a call waits for the server (up to
        its timeout) and fails loudly when it does not come back."""
        return self.server.state == "ready" and not self.server.breaker_open

    def estimate_cost(self, query: str) -> float:
        return 0.0

    async def health(self) -> Health:
        return self.server.health()

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        started = time.perf_counter()

        def observation(ok: bool, **fields: Any) -> Observation:
            return Observation(
                step_id=step_id,
                target=self.name,
                kind=TargetKind.TOOL,
                query=query,
                ok=ok,
                sources=[Source(kind=TargetKind.TOOL, name=self.name)],
                latency_s=time.perf_counter() - started,
                **fields,
            )

        if args is None:
            filled = self._fill(query)
            if isinstance(filled, str):
                return observation(False, error=filled)
            args = filled
        try:
            result = await self.server.call_tool(self.tool, args, timeout=timeout)
        except McpError as exc:
            return observation(False, error=str(exc), unavailable=exc.unavailable)
        text = "\n".join(
            block.text for block in result.content if isinstance(block, mcp_types.TextContent)
        )
        # Some servers report a failure as plain text without isError (see _error_reports):
        # that is a failed step too, so the planner can replan and the answer says so.
        report = text if result.is_error else error_report(text)
        if report is not None:
            if not result.is_error:
                log.info("mcp.tool.error_text", target=self.name, error=report[:200])
            return observation(
                False,
                result=text,
                error=f"tool '{self.name}' reported an error: {report or 'no details'}",
                data=result.structured_content,
            )
        return observation(True, result=text, data=result.structured_content)

    def _fill(self, query: str) -> dict[str, Any] | str:
        """Arguments from the query, or a sentence saying why they could not be derived."""
        from agentroute.text import ArgumentFillError, fill_arguments

        schema = self._descriptor.input_schema or {"type": "object", "properties": {}}
        try:
            return fill_arguments(query, schema, tool=self.tool)
        except ArgumentFillError as exc:
            log.info("mcp.argfill.failed", target=self.name, error=str(exc))
            return (
                f"could not derive arguments for tool '{self.name}' from the query: {exc}; "
                "pass explicit args"
            )
