"""The tool descriptions as data: ``descriptions.json`` beside this module.

Each tool's MCP description is its text followed by an ``Examples:`` list; the agent reads
that list as the tool's examples, so a new way of asking is a data change, not a code change.
"""

from __future__ import annotations

import json
from importlib import resources

__all__ = ["tool_description"]


def tool_description(tool: str) -> str:
    """The MCP description of ``tool``: what it does, then one example per line."""
    table = json.loads(
        resources.files("agentroute_tools").joinpath("descriptions.json").read_text("utf-8")
    )
    entry = table[tool]
    examples = "\n".join(f"- {e}" for e in entry["examples"])
    return f"{entry['description']}\n\nExamples:\n{examples}\n"
