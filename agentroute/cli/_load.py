"""The agent a command works on: the configured one, or the embedded default.

Below both ``_app`` (run, chat, targets, the policy commands) and ``_serve`` (``serve``), which
each load the agent and import this, not one another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

__all__ = ["load_agent"]


def load_agent(config: Path | None, data_dir: Path | None = None, **overrides: Any) -> Any:
    """The configured agent, or the embedded default; a bad file exits 2 with file:line [field]."""
    from agentroute._agent import Agent
    from agentroute.config import ConfigError, find_config

    path = config or find_config()
    try:
        if path is None:
            return Agent.default(data_dir or Path(".agentroute"), **overrides)
        agent = Agent.from_config(path, **overrides)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    return agent
