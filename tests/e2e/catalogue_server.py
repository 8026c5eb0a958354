"""An MCP server exposing the benchmark's catalogue of ~300 realistic tools (one process).

Each tool echoes its name and arguments, so a test can see which tool a request reached.
Run as ``python catalogue_server.py``; tool names are ``<catalogue server>_<tool>``.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from _tool_catalogue import tools

_TYPES = {"string": str, "integer": int, "boolean": bool, "number": float}

server = MCPServer("catalogue")


def _echo(name: str, schema: dict[str, Any]) -> Any:
    def tool(**kwargs: Any) -> str:
        return json.dumps({"tool": name, "args": kwargs}, sort_keys=True)

    params = []
    required = set(schema.get("required", []))
    for field, spec in schema["properties"].items():
        kind = _TYPES.get(spec.get("type", "string"), str)
        params.append(
            inspect.Parameter(
                field,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=kind if field in required else kind | None,
                **({} if field in required else {"default": None}),
            )
        )
    tool.__signature__ = inspect.Signature(params, return_annotation=str)  # type: ignore[attr-defined]
    tool.__annotations__ = {p.name: p.annotation for p in params} | {"return": str}
    return tool


for entry in tools():
    name = entry["name"].replace(".", "_")
    server.add_tool(_echo(name, entry["schema"]), name=name, description=entry["description"])

if __name__ == "__main__":
    server.run()
