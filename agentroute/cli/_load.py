"""The agent a command works on: the configured one, or the embedded default.

Below both ``_app`` (run, chat, targets, the policy commands) and ``_serve`` (``serve``), which
each load the agent and import this, not one another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["ConfigOption", "DataDirOption", "config_read", "load_agent", "load_settings"]

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="agentroute.toml (default: found in . or a parent; else the embedded default)",
    ),
]
"""``--config`` of every command that loads the agent's configuration (``load_settings``)."""
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Where threads, memory and knowledge live (default: the file's)."
    ),
]
"""``--data-dir``: replaces the file's ``[agent] data_dir``."""

_READ: list[Path] = []
"""The configuration file this command loaded (the last one, when several)."""


def config_read() -> Path | None:
    """The ``agentroute.toml`` this command loaded, if any: ``main`` names its line when a
    server it configures cannot be reached."""
    return _READ[-1] if _READ else None


def load_agent(config: Path | None, data_dir: Path | None = None, **overrides: Any) -> Any:
    """The configured agent, or the embedded default; a bad file exits 2 with file:line [field].

    ``data_dir`` (``--data-dir``) replaces the file's ``[agent] data_dir``."""
    from agentroute._agent import Agent
    from agentroute.config import ConfigError, find_config

    path = config or find_config()
    if path is not None:
        _READ.append(path)
    try:
        if path is None:
            return Agent.default(data_dir or Path(".agentroute"), **overrides)
        agent = Agent.from_config(path, data_dir=data_dir, **overrides)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    return agent


def load_settings(config: Path | None, data_dir: Path | None = None) -> Any:
    """The configuration a command reads without building the agent (``serve kb`` serves one
    base of it): the file, or the embedded default; a bad file exits 2 as ``load_agent`` does."""
    from agentroute.config import Config, ConfigError, find_config, load_config
    from agentroute.observability import configure_logging

    path = config or find_config()
    if path is not None:
        _READ.append(path)
    try:
        settings = load_config(path) if path is not None else Config()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if data_dir is not None:  # --data-dir wins over the file's [agent] data_dir
        settings.agent.data_dir = data_dir
    elif path is None:
        settings.agent.data_dir = Path(".agentroute")
    configure_logging(settings.logging.format, settings.logging.level)
    return settings
